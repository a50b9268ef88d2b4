"""The hub store for a province: package bytes, mailbox index and nonces in PostgreSQL tables.

Several hub processes behind a load balancer share one database, so everything one process must
know about another's work lives here: a package is one row written in one transaction (an
interrupted upload leaves nothing), and a nonce is refused by every process once any has seen it.
The database's own replication and backups keep the data; the hub adds none of its own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from app.errors import StorageProblem
from app.hub.stores import READ_CHUNK, PackageMeta, SameIdOtherBytes, pid_alive

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hub_packages (
    package_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    channel_seq BIGINT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    receiver_fingerprint TEXT NOT NULL DEFAULT '',
    stored_at DOUBLE PRECISION NOT NULL,
    acked_at DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS hub_packages_mailbox ON hub_packages (receiver, acked_at, stored_at);
CREATE INDEX IF NOT EXISTS hub_packages_sender ON hub_packages (sender, acked_at);
CREATE TABLE IF NOT EXISTS hub_package_bytes (
    package_id TEXT PRIMARY KEY REFERENCES hub_packages (package_id) ON DELETE CASCADE,
    data BYTEA NOT NULL
);
-- Encrypted bytes never compress: store them out of line without TOAST's attempt at it.
ALTER TABLE hub_package_bytes ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS hub_nonces (nonce TEXT PRIMARY KEY, seen_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS hub_nonces_seen ON hub_nonces (seen_at);
CREATE TABLE IF NOT EXISTS hub_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = (
    "package_id, sender, receiver, channel_seq, size, sha256, created_at, stored_at, acked_at, receiver_fingerprint"
)
_NOW = "extract(epoch from clock_timestamp())"  # one clock for every hub process: the database's
_SCHEMA_LOCK = 640424  # an advisory lock id, so two processes starting together create tables once


SPOOL_PREFIX = "doudi-hub-spool-"


def _sweep_dead_spools() -> None:
    """A hub killed mid-upload leaves its spool folder behind (never a stored package): remove those of
    processes no longer running on this machine."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*"):
        pid = folder.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _meta(row: Any) -> PackageMeta:
    pid, sender, receiver, seq, size, sha, created, stored, acked, receiver_fp = row
    return PackageMeta(
        package_id=pid,
        sender=sender,
        receiver=receiver,
        channel_seq=int(seq),
        size=int(size),
        sha256=sha,
        created_at=created,
        stored_at=float(stored),
        acked=acked is not None,
        receiver_fingerprint=str(receiver_fp),
    )


class PostgresStore:
    kind = "postgresql"

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._local = threading.local()
        self._connections: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        _sweep_dead_spools()
        self._spool = Path(tempfile.mkdtemp(prefix=f"{SPOOL_PREFIX}{os.getpid()}-"))
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            conn.execute(_SCHEMA)

    def _conn(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            try:
                conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
            except psycopg.Error as exc:
                # The DSN may hold a password: name the failure, never the address.
                raise StorageProblem(f"中转站无法连接 PostgreSQL 数据库：{type(exc).__name__}。") from None
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def spool_dir(self) -> Path:
        return self._spool

    def spool_name(self) -> str:
        return f"{os.getpid()}-{os.urandom(8).hex()}.partial"

    def put(self, meta: PackageMeta, spooled: Path) -> bool:
        try:
            data = spooled.read_bytes()
        finally:
            with contextlib.suppress(OSError):
                spooled.unlink()
        conn = self._conn()
        with conn.transaction():
            inserted = conn.execute(
                f"INSERT INTO hub_packages ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, {_NOW}, NULL, %s) "
                "ON CONFLICT (package_id) DO NOTHING",
                (
                    meta.package_id,
                    meta.sender,
                    meta.receiver,
                    meta.channel_seq,
                    meta.size,
                    meta.sha256,
                    meta.created_at,
                    meta.receiver_fingerprint,
                ),
            ).rowcount
            if inserted == 1:
                conn.execute(
                    # %b: the bytes go in binary, not as hex text twice their size.
                    "INSERT INTO hub_package_bytes (package_id, data) VALUES (%s, %b)",
                    (meta.package_id, data),
                )
                return True
        row = conn.execute("SELECT sha256 FROM hub_packages WHERE package_id = %s", (meta.package_id,)).fetchone()
        if row is not None and row[0] == meta.sha256:
            return False
        raise SameIdOtherBytes(meta.package_id)

    def meta(self, package_id: str) -> PackageMeta | None:
        row = (
            self._conn().execute(f"SELECT {_COLUMNS} FROM hub_packages WHERE package_id = %s", (package_id,)).fetchone()
        )
        return _meta(row) if row else None

    def read(self, package_id: str) -> Iterator[bytes]:
        with self._conn().cursor(binary=True) as cur:  # binary results: the bytes as stored, no hex to decode
            row = cur.execute("SELECT data FROM hub_package_bytes WHERE package_id = %s", (package_id,)).fetchone()
        if row is None:
            return
        data = memoryview(row[0])
        for start in range(0, len(data), READ_CHUNK):
            yield bytes(data[start : start + READ_CHUNK])

    def mailbox(self, receiver: str) -> list[PackageMeta]:
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM hub_packages WHERE receiver = %s AND acked_at IS NULL "
            "ORDER BY stored_at, package_id",
            (receiver,),
        )
        return [_meta(r) for r in rows]

    def ack(self, package_id: str, receiver: str) -> bool:
        cur = self._conn().execute(
            f"UPDATE hub_packages SET acked_at = {_NOW} WHERE package_id = %s AND receiver = %s AND acked_at IS NULL",
            (package_id, receiver),
        )
        return cur.rowcount == 1

    def pending_bytes(self, sender: str) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT COALESCE(SUM(size), 0) FROM hub_packages WHERE sender = %s AND acked_at IS NULL", (sender,)
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def use_nonce(self, nonce: str, now: int, window_s: int) -> bool:
        conn = self._conn()
        with conn.transaction():
            conn.execute("DELETE FROM hub_nonces WHERE seen_at < %s", (now - 2 * window_s,))
            cur = conn.execute(
                "INSERT INTO hub_nonces (nonce, seen_at) VALUES (%s, %s) ON CONFLICT (nonce) DO NOTHING", (nonce, now)
            )
        return cur.rowcount == 1

    def prune(self, now: float, retention_s: float) -> int:
        cur = self._conn().execute(
            "DELETE FROM hub_packages WHERE acked_at IS NOT NULL AND acked_at < %s", (now - retention_s,)
        )
        return cur.rowcount

    def setting(self, name: str) -> str | None:
        row = self._conn().execute("SELECT value FROM hub_settings WHERE name = %s", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_setting(self, name: str, value: str) -> None:
        self._conn().execute(
            "INSERT INTO hub_settings (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(psycopg.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()
        with contextlib.suppress(OSError):
            for part in self._spool.glob("*"):
                part.unlink()
            self._spool.rmdir()
