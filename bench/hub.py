"""Hub upload and download of a county-L-sized package over loopback ÷ copying the same file on disk
(issue 13 point 6), in one run, for each store.

The package is a real one (app.exchange.package_file.build_package: signed manifest, age-encrypted
payload) of the size of bench/exchange.py's county-L export (its recorded ``file_mib``, about 50 MiB;
``--mib`` overrides). Its payload is random bytes: the file is then as large as that export, since a
compressed, encrypted payload does not compress again either. The hub runs as its own process
(``python -m app hub serve``) on loopback; the client is app.hub.client.HubClient. The floor copies
the same file on the same disk with fsync (the hub fsyncs what it stores). Each side is the fastest
of ``--repeats`` runs; each upload is a distinct package (a second upload of one id stores nothing).

    .venv/bin/python -m bench.hub [--mib N] [--repeats 3] [--store folder|postgresql|both]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from app.hub.client import HubClient
from app.hub.load import make_offices, sim_package, write_offices_file
from bench.common import RESULTS, save
from bench.hub_load import hub_process, stores

MIB = 1 << 20
DEFAULT_MIB = 50.0


def county_l_mib() -> tuple[float, str]:
    try:
        recorded = json.loads((RESULTS / "exchange.json").read_text(encoding="utf-8"))["export"]["file_mib"]
        return float(recorded), "bench/results/exchange.json export.file_mib (county-L-sized township's first package)"
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MIB, "default (bench/results/exchange.json not found)"


def copy_seconds(source: Path, folder: Path) -> float:
    target = folder / "copy.doudipkg"
    began = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb") as f:
        os.fsync(f.fileno())
    elapsed = time.perf_counter() - began
    target.unlink()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=float, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--store", choices=("folder", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    mib, source = (args.mib, "--mib") if args.mib else county_l_mib()
    county, townships = make_offices(1)
    town = townships[0]
    payload = os.urandom(int(mib * MIB))
    packages = [sim_package(town, county, seq, payload) for seq in range(1, args.repeats + 1)]
    size = len(packages[0][1])
    results: dict[str, object] = {"package_mib": round(size / MIB, 1), "size_from": source, "repeats": args.repeats}
    with tempfile.TemporaryDirectory(prefix="doudi-bench-hub-", dir=None) as tmp:
        folder = Path(tmp)
        offices_file = folder / "offices.json"
        write_offices_file(offices_file, county, townships)
        on_disk = folder / "package.doudipkg"
        on_disk.write_bytes(packages[0][1])
        copy = min(copy_seconds(on_disk, folder) for _ in range(args.repeats))
        results["copy_seconds"] = round(copy, 3)
        results["copy_mib_per_s"] = round(size / MIB / copy, 1)
        extra = ("--max-package-mb", str(int(mib * 2) + 16), "--quota-mb", str(int(mib * (args.repeats + 2)) + 64))
        with stores(args.store, folder) as each:
            for name, spec in each:
                with hub_process(spec, offices_file, county, folder, extra=extra) as url:
                    ups, downs = [], []
                    with HubClient(url, town.code, town.signing_key, timeout=120) as sender:
                        for package_id, data in packages:
                            began = time.perf_counter()
                            assert sender.upload(package_id, data)
                            ups.append(time.perf_counter() - began)
                    with HubClient(url, county.code, county.signing_key, timeout=120) as receiver:
                        for entry in receiver.mailbox():
                            began = time.perf_counter()
                            receiver.download(entry)  # checks size and SHA-256 as a township does
                            downs.append(time.perf_counter() - began)
                up, down = min(ups), min(downs)
                results[name] = {
                    "upload_seconds": round(up, 3),
                    "download_seconds": round(down, 3),
                    "upload_mib_per_s": round(size / MIB / up, 1),
                    "download_mib_per_s": round(size / MIB / down, 1),
                    "ratio_upload_vs_copy": round(up / copy, 2),
                    "ratio_download_vs_copy": round(down / copy, 2),
                }
                print(name, results[name], flush=True)
    print("copy", results["copy_seconds"], "s;", "saved", save("hub", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
