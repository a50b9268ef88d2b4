"""200 simulated offices push and pull packages through one hub for 60 s (issue 13 point 5).

The hub runs as its own process (``python -m app hub serve``, as a county runs it) on loopback; the
offices are threads of this process (app/hub/load.py), each sending small real packages and
collecting, checking and acknowledging its own. Reported per store: packages and requests per
second, p95 latency of one request, and lost / duplicated packages (both must be 0). The loops stop
by themselves when the time is up. PostgreSQL runs from Debian's binaries in a temporary folder
(tests/hub/pg.py); without them only the folder store is measured.

    .venv/bin/python -m bench.hub_load [--offices 200] [--seconds 60] [--store folder|postgresql|both]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from app.hub import protocol
from app.hub.load import SimOffice, make_offices, run_load, write_offices_file
from bench.common import save
from tests.hub import pg

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def hub_process(
    store: str, offices_file: Path, county: SimOffice, folder: Path, *, extra: tuple[str, ...] = ()
) -> Iterator[str]:
    """The hub as a county starts it, on a free loopback port; yields its URL."""
    port = pg.free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(folder / "state"), "DOUDI_CONFIG_DIR": str(folder / "config")}
    command = [sys.executable, "-m", "app", "hub", "serve", "--store", store, "--port", str(port)]
    command += ["--offices", str(offices_file), "--county-key", county.fingerprint, *extra]
    log = (folder / f"hub-{port}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not start; see {log.name}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + protocol.HEALTH_PATH, timeout=1).status_code == 200:  # noqa: PLR2004
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


@contextlib.contextmanager
def stores(which: str, folder: Path) -> Iterator[Iterator[tuple[str, str]]]:
    """(name, --store value) for each store asked for; PostgreSQL started only when asked."""
    server = None
    try:

        def each() -> Iterator[tuple[str, str]]:
            nonlocal server
            if which in ("folder", "both"):
                yield "folder", str(folder / "store")
            if which in ("postgresql", "both"):
                if pg.binaries() is None:
                    print("PostgreSQL binaries missing: the PostgreSQL store is not measured", file=sys.stderr)
                    return
                server = pg.start(fsync=True)  # as a county's database runs
                yield "postgresql", server.create_database("hub_bench")

        yield each()
    finally:
        if server is not None:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", choices=("folder", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    county, townships = make_offices(args.offices - 1)
    results: dict[str, object] = {"offices": args.offices, "seconds": args.seconds}
    with tempfile.TemporaryDirectory(prefix="doudi-bench-hub-load-") as tmp:
        folder = Path(tmp)
        offices_file = folder / "offices.json"
        write_offices_file(offices_file, county, townships)
        with stores(args.store, folder) as each:
            for name, spec in each:
                with hub_process(spec, offices_file, county, folder, extra=("--rate", "100000/min")) as url:
                    result = run_load(url, county, townships, args.seconds)
                summary = result.summary()
                results[name] = summary
                print(name, summary, flush=True)
                for line in result.errors[:5]:
                    print("  error:", line, file=sys.stderr)
    print("saved", save("hub_load", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
