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
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from app.errors import StorageProblem
from app.hub.stores import RESERVATION_TTL_S, PackageMeta, SameIdOtherBytes, pid_alive

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
CREATE TABLE IF NOT EXISTS hub_reservations (
    reservation TEXT PRIMARY KEY, sender TEXT NOT NULL, size BIGINT NOT NULL, seen_at DOUBLE PRECISION NOT NULL
);
"""
# The sender's quota use (stores/__init__.py HubStore.pending_bytes).
_USED = """
SELECT COALESCE(SUM(size), 0) FROM hub_packages
 WHERE sender = %(sender)s AND (acked_at IS NULL OR receiver = sender)
"""
# A bytea value is at most 1 GB, and the server must assemble the whole row of a COPY: leave room.
PACKAGE_LIMIT = 1000 << 20
COPY_CHUNK = 4 << 20
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # binary COPY header: no flags, no extension
_COLUMNS = (
    "package_id, sender, receiver, channel_seq, size, sha256, created_at, stored_at, acked_at, receiver_fingerprint"
)
_NOW = "extract(epoch from clock_timestamp())"  # one clock for every hub process: the database's
_SCHEMA_LOCK = 640424  # an advisory lock id, so two processes starting together create tables once
_QUOTA_LOCK = 640425  # with the sender's hash: one office's quota is checked and held by one process at a time


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
    package_limit = PACKAGE_LIMIT

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

    def put(self, meta: PackageMeta, spooled: Path, reservation: str = "") -> bool:
        try:
            conn = self._conn()
            with conn.transaction():
                conn.execute("DELETE FROM hub_reservations WHERE reservation = %s", (reservation,))
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
                    self._copy_bytes(conn, meta, spooled)
                    return True
        finally:
            with contextlib.suppress(OSError):
                spooled.unlink()
        row = conn.execute("SELECT sha256 FROM hub_packages WHERE package_id = %s", (meta.package_id,)).fetchone()
        if row is not None and row[0] == meta.sha256:
            return False
        raise SameIdOtherBytes(meta.package_id)

    @staticmethod
    def _copy_bytes(conn: psycopg.Connection[Any], meta: PackageMeta, spooled: Path) -> None:
        """The file into its bytea through binary COPY, a chunk at a time: the hub holds one chunk, not
        the package (the database assembles the value on its side)."""
        size = spooled.stat().st_size
        if size > PACKAGE_LIMIT:
            raise StorageProblem(f"数据包 {meta.package_id} 超过 PostgreSQL 存储能保存的单个包上限。")
        key = meta.package_id.encode("utf-8")
        with conn.cursor().copy("COPY hub_package_bytes (package_id, data) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_COPY_SIGNATURE + struct.pack(">hi", 2, len(key)) + key + struct.pack(">i", size))
            with spooled.open("rb") as f:
                while piece := f.read(COPY_CHUNK):
                    copy.write(piece)
            copy.write(struct.pack(">h", -1))

    def meta(self, package_id: str) -> PackageMeta | None:
        row = (
            self._conn().execute(f"SELECT {_COLUMNS} FROM hub_packages WHERE package_id = %s", (package_id,)).fetchone()
        )
        return _meta(row) if row else None

    def read(self, package_id: str) -> Iterator[bytes]:
        # A slice at a time: the bytes are stored uncompressed out of line (STORAGE EXTERNAL), so
        # substring reads only the slice's pages, and neither side holds the whole package.
        start = 1
        while True:
            with self._conn().cursor(binary=True) as cur:  # binary results: the bytes as stored, no hex
                row = cur.execute(
                    "SELECT substring(data FROM %s FOR %s) FROM hub_package_bytes WHERE package_id = %s",
                    (start, COPY_CHUNK, package_id),
                ).fetchone()
            if row is None or not row[0]:
                return
            yield bytes(row[0])
            if len(row[0]) < COPY_CHUNK:
                return
            start += COPY_CHUNK

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
        row = self._conn().execute(_USED, {"sender": sender}).fetchone()
        return int(row[0]) if row else 0

    def reserve(self, reservation: str, sender: str, size: int, quota: int) -> int | None:
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_QUOTA_LOCK, sender))
            conn.execute(f"DELETE FROM hub_reservations WHERE seen_at < {_NOW} - %s", (RESERVATION_TTL_S,))
            stored_row = conn.execute(_USED, {"sender": sender}).fetchone()
            held_row = conn.execute(
                "SELECT COALESCE(SUM(size), 0) FROM hub_reservations WHERE sender = %s", (sender,)
            ).fetchone()
            used = (int(stored_row[0]) if stored_row else 0) + (int(held_row[0]) if held_row else 0)
            if used + size > quota:
                return used
            conn.execute(
                f"INSERT INTO hub_reservations (reservation, sender, size, seen_at) VALUES (%s, %s, %s, {_NOW})",
                (reservation, sender, size),
            )
        return None

    def refresh_reservation(self, reservation: str) -> None:
        self._conn().execute(f"UPDATE hub_reservations SET seen_at = {_NOW} WHERE reservation = %s", (reservation,))

    def release(self, reservation: str) -> None:
        self._conn().execute("DELETE FROM hub_reservations WHERE reservation = %s", (reservation,))

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
