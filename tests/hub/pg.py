"""A throw-away PostgreSQL server from Debian's binaries, for the hub's PostgreSQL store.

initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user the
Debian package creates, and the commands run through runuser. The server listens on loopback on a
free port and on a unix socket inside its own temporary folder; nothing outside it is touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    folder: Path
    port: int
    bindir: Path
    as_user: str | None

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    @property
    def dsn_base(self) -> str:
        user = self.as_user or os.environ.get("USER", "postgres")
        return f"postgresql://{user}@127.0.0.1:{self.port}"

    def dsn(self, database: str = "postgres") -> str:
        return f"{self.dsn_base}/{database}"

    def create_database(self, name: str) -> str:
        self._run(str(self.bindir / "createdb"), "-h", str(self.folder), "-p", str(self.port), name)
        return self.dsn(name)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, fsync: bool = False) -> PgServer:
    """A running server; *fsync* off for tests (nothing there must survive a power cut), on for benches."""
    bindir = binaries()
    assert bindir is not None
    as_user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="doudi-pg-"))
    if as_user:
        shutil.chown(folder, user=as_user, group=as_user)
    server = PgServer(folder=folder, port=free_port(), bindir=bindir, as_user=as_user)
    user = as_user or os.environ.get("USER", "postgres")
    server._run(
        str(bindir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync"
    )
    server._run(
        str(bindir / "pg_ctl"),
        "-D",
        str(folder / "data"),
        "-l",
        str(folder / "log"),
        "-w",
        "-o",
        f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'} "
        "-c max_connections=300",
        "start",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", server.port)) == 0:
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError("PostgreSQL did not start")
