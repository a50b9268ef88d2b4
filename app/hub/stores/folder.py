"""The default hub store: package files in a folder and a small SQLite index beside them.

Nothing to install. A package becomes visible only when its row commits, and its file is renamed
into place (after fsync) just before, under SQLite's write lock: a crash before the commit leaves an
orphan file that the next start removes, never a row without its bytes. The index is the hub's own
bookkeeping (no register, no personal data), so the standard library's sqlite3 is enough.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from app.errors import StorageProblem
from app.hub.stores import (
    NO_LIMIT,
    READ_CHUNK,
    RESERVATION_TTL_S,
    PackageMeta,
    SameIdOtherBytes,
    os_reason,
    pid_alive,
)

SUFFIX = ".doudipkg"
STALE_SPOOL_S = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS packages (
    package_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    channel_seq INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    receiver_fingerprint TEXT NOT NULL DEFAULT '',
    stored_at REAL NOT NULL,
    acked_at REAL
);
CREATE INDEX IF NOT EXISTS packages_mailbox ON packages (receiver, acked_at, stored_at);
CREATE INDEX IF NOT EXISTS packages_sender ON packages (sender, acked_at);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS nonces_seen ON nonces (seen_at);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reservations (
    reservation TEXT PRIMARY KEY, sender TEXT NOT NULL, size INTEGER NOT NULL, seen_at REAL NOT NULL
);
"""
# The sender's quota use (stores/__init__.py HubStore.pending_bytes); one placeholder, the sender.
_USED = """
SELECT COALESCE(SUM(size), 0) FROM packages
 WHERE sender = ?1 AND (acked_at IS NULL OR receiver = sender)
"""

_COLUMNS = (
    "package_id, sender, receiver, channel_seq, size, sha256, created_at, stored_at, acked_at, receiver_fingerprint"
)


def _meta(row: tuple[object, ...]) -> PackageMeta:
    pid, sender, receiver, seq, size, sha, created, stored, acked, receiver_fp = row
    return PackageMeta(
        package_id=str(pid),
        sender=str(sender),
        receiver=str(receiver),
        channel_seq=int(seq),  # type: ignore[call-overload]
        size=int(size),  # type: ignore[call-overload]
        sha256=str(sha),
        created_at=str(created),
        stored_at=float(stored),  # type: ignore[arg-type]
        acked=acked is not None,
        receiver_fingerprint=str(receiver_fp),
    )


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderStore:
    kind = "folder"
    package_limit = NO_LIMIT

    def __init__(self, root: Path) -> None:
        self.root = root
        self.packages = root / "packages"
        self.spool = root / "spool"
        try:
            # Owner only, like an office's data folder: the index names who sends what to whom.
            for folder in (root, self.packages, self.spool):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                if os.name != "nt":
                    folder.chmod(0o700)
            index = root / "index.sqlite3"
            os.close(os.open(index, os.O_RDWR | os.O_CREAT, 0o600))  # SQLite's -wal and -shm take its mode
        except OSError as exc:
            raise StorageProblem(f"无法使用中转站存储文件夹 {root}：{os_reason(exc)}。") from None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self._conn()
        conn.executescript(_SCHEMA)
        self._recover()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # Each thread keeps its own connection; close() may run on another thread at shutdown.
            conn = sqlite3.connect(
                self.root / "index.sqlite3", timeout=60, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _recover(self) -> None:
        """Undo what a crash left: spooled uploads of processes no longer running, and files renamed
        into place whose row never committed."""
        now = time.time()
        for part in self.spool.glob("*.partial"):
            pid_text = part.name.split("-", 1)[0]
            stale = not pid_text.isdigit() or not pid_alive(int(pid_text))
            with contextlib.suppress(OSError):
                if stale or now - part.stat().st_mtime > STALE_SPOOL_S:
                    part.unlink()
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")  # another hub process renames only while holding this lock
        try:
            known = {str(r[0]) for r in conn.execute("SELECT package_id FROM packages")}
            for path in self.packages.glob(f"*{SUFFIX}"):
                if path.name[: -len(SUFFIX)] not in known:
                    path.unlink()
        finally:
            conn.execute("COMMIT")

    def spool_dir(self) -> Path:
        return self.spool

    def spool_name(self) -> str:
        return f"{os.getpid()}-{os.urandom(8).hex()}.partial"

    def _path(self, package_id: str) -> Path:
        return self.packages / f"{package_id}{SUFFIX}"

    def put(self, meta: PackageMeta, spooled: Path, reservation: str = "") -> bool:
        try:
            with spooled.open("rb") as f:
                os.fsync(f.fileno())
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT sha256 FROM packages WHERE package_id = ?", (meta.package_id,)).fetchone()
                conn.execute("DELETE FROM reservations WHERE reservation = ?", (reservation,))
                if row is not None:
                    conn.execute("COMMIT")
                    spooled.unlink()
                    if row[0] == meta.sha256:
                        return False
                    raise SameIdOtherBytes(meta.package_id)
                os.replace(spooled, self._path(meta.package_id))
                _fsync_dir(self.packages)
                conn.execute(
                    f"INSERT INTO packages ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                    (
                        meta.package_id,
                        meta.sender,
                        meta.receiver,
                        meta.channel_seq,
                        meta.size,
                        meta.sha256,
                        meta.created_at,
                        time.time(),
                        meta.receiver_fingerprint,
                    ),
                )
                conn.execute("COMMIT")
                return True
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                    with contextlib.suppress(OSError):
                        self._path(meta.package_id).unlink()
                raise
        except OSError as exc:
            raise StorageProblem(f"中转站无法保存数据包 {meta.package_id}：{os_reason(exc)}。") from None

    def meta(self, package_id: str) -> PackageMeta | None:
        row = self._conn().execute(f"SELECT {_COLUMNS} FROM packages WHERE package_id = ?", (package_id,)).fetchone()
        return _meta(row) if row else None

    def read(self, package_id: str) -> Iterator[bytes]:
        with self._path(package_id).open("rb") as f:
            while piece := f.read(READ_CHUNK):
                yield piece

    def mailbox(self, receiver: str) -> list[PackageMeta]:
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM packages WHERE receiver = ? AND acked_at IS NULL ORDER BY stored_at, rowid",
            (receiver,),
        )
        return [_meta(r) for r in rows]

    def ack(self, package_id: str, receiver: str) -> bool:
        cur = self._conn().execute(
            "UPDATE packages SET acked_at = ? WHERE package_id = ? AND receiver = ? AND acked_at IS NULL",
            (time.time(), package_id, receiver),
        )
        return cur.rowcount == 1

    def pending_bytes(self, sender: str) -> int:
        return int(self._conn().execute(_USED, (sender,)).fetchone()[0])

    def reserve(self, reservation: str, sender: str, size: int, quota: int) -> int | None:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")  # every hub process on this folder checks and holds under this lock
        try:
            conn.execute("DELETE FROM reservations WHERE seen_at < ?", (now - RESERVATION_TTL_S,))
            stored = int(conn.execute(_USED, (sender,)).fetchone()[0])
            held = int(
                conn.execute("SELECT COALESCE(SUM(size), 0) FROM reservations WHERE sender = ?", (sender,)).fetchone()[
                    0
                ]
            )
            if stored + held + size > quota:
                conn.execute("COMMIT")
                return stored + held
            conn.execute(
                "INSERT INTO reservations (reservation, sender, size, seen_at) VALUES (?, ?, ?, ?)",
                (reservation, sender, size, now),
            )
            conn.execute("COMMIT")
            return None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def refresh_reservation(self, reservation: str) -> None:
        self._conn().execute("UPDATE reservations SET seen_at = ? WHERE reservation = ?", (time.time(), reservation))

    def release(self, reservation: str) -> None:
        self._conn().execute("DELETE FROM reservations WHERE reservation = ?", (reservation,))

    def use_nonce(self, nonce: str, now: int, window_s: int) -> bool:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM nonces WHERE seen_at < ?", (now - 2 * window_s,))
            cur = conn.execute("INSERT OR IGNORE INTO nonces (nonce, seen_at) VALUES (?, ?)", (nonce, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return cur.rowcount == 1

    def prune(self, now: float, retention_s: float) -> int:
        conn = self._conn()
        old = [
            str(r[0])
            for r in conn.execute(
                "SELECT package_id FROM packages WHERE acked_at IS NOT NULL AND acked_at < ?", (now - retention_s,)
            )
        ]
        for pid in old:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM packages WHERE package_id = ?", (pid,))
            with contextlib.suppress(FileNotFoundError):
                self._path(pid).unlink()
            conn.execute("COMMIT")
        return len(old)

    def setting(self, name: str) -> str | None:
        row = self._conn().execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_setting(self, name: str, value: str) -> None:
        self._conn().execute(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()
