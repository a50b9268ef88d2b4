"""The SQLCipher 4 connection.

Opened with a raw 256-bit key (``PRAGMA key = "x'…'"``), so SQLCipher's own
slow KDF is skipped: our key slots already stretched the password. The key is
checked at once by reading ``sqlite_master``. WAL with ``synchronous=FULL``:
nothing committed is lost on a power cut. Each thread opens its own connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlcipher3

from ..errors import AuthFailed, DatabaseCorrupt

if TYPE_CHECKING:
    # sqlcipher3 ships no types; its dbapi2 module is pysqlite's, so sqlite3's API describes it.
    from sqlite3 import Connection, Cursor

# Positional (``?``) or named (``:name``) parameters, as the DB-API takes them.
Params: TypeAlias = Sequence[Any] | Mapping[str, Any]

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
CACHE_KIB = 32 * 1024
# SQLCipher's raw key: 256 bits.
KEY_BYTES = 32


class Database:
    conn: Connection | None

    def __init__(self, path: Path | str, key: bytes, *, create: bool = False) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the database key must be 32 bytes")
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseCorrupt(f"数据库文件 {self.path} 不存在。")
        self._key_hex = key.hex()
        self._lock = threading.RLock()
        self.conn = self._connect()
        self._depth = 0

    def _connect(self) -> Connection:
        conn: Connection = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
        # Silence SQLCipher's own logging before the key, so a wrong key prints nothing.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{self._key_hex}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            raise AuthFailed("数据库密钥不正确，或数据库文件已损坏。") from None
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Decryption happens on a page-cache miss, so a larger cache pays twice for SQLCipher.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return conn

    def reopen_for_thread(self) -> Database:
        """A second keyed connection to the same file, for a worker thread."""
        clone = Database.__new__(Database)
        clone.path, clone._key_hex, clone._lock, clone._depth = self.path, self._key_hex, threading.RLock(), 0
        clone.conn = clone._connect()
        return clone

    # --- queries ---------------------------------------------------------------

    @property
    def _conn(self) -> Connection:
        conn = self.conn
        if conn is None:
            raise sqlcipher3.ProgrammingError("Cannot operate on a closed database.")
        return conn

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        return self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self._conn.execute(sql, params).fetchone()
        return row[0] if row else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction; nested uses join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._depth = 0
                self._conn.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # --- maintenance -----------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        problems = [r[0] for r in self.query("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [r[0] for r in self.query("PRAGMA cipher_integrity_check")]
        return problems

    def checkpoint(self) -> None:
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
