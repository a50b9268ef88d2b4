"""The SQLCipher 4 connection.

Opened with a raw 256-bit key (``PRAGMA key = "x'…'"``), so SQLCipher's own
slow KDF is skipped: our key slots already stretched the password. The key is
checked at once by reading ``sqlite_master``. WAL with ``synchronous=FULL``:
nothing committed is lost on a power cut. Each thread opens its own connection.

Every fault of the file or the disk leaves this module as one of our errors with one sentence
(:func:`translate`): a damaged file is :class:`DatabaseCorrupt`, a full, read-only or missing disk
:class:`StorageProblem`, a lock held too long :class:`DatabaseBusy` — never SQLite's own text.
The key handed in always comes from an authenticated key slot (AES-GCM), so it is right for the
slot file; when SQLCipher still refuses the file, :func:`key_fits_file` decrypts a few pages by
hand to tell "the file is damaged" (the key decrypts its pages) from "the slot file belongs to
another database" — SQLCipher alone cannot, as both fail the same HMAC.
"""

from __future__ import annotations

import contextlib
import errno
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlcipher3

from ..errors import DatabaseBusy, DatabaseCorrupt, DoudiError, StorageProblem

if TYPE_CHECKING:
    # sqlcipher3 ships no types; its dbapi2 module is pysqlite's, so sqlite3's API describes it.
    from sqlite3 import Connection, Cursor

# Positional (``?``) or named (``:name``) parameters, as the DB-API takes them.
Params: TypeAlias = Sequence[Any] | Mapping[str, Any]

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
CACHE_KIB = 32 * 1024
# How long a writer waits for another one before giving up with DatabaseBusy.
BUSY_TIMEOUT_S = 30.0
# The office database's file name in its data folder.
DB_FILE_NAME = "office.db"
# SQLCipher's raw key: 256 bits.
KEY_BYTES = 32
# SQLCipher 4's defaults, which every office uses: 4 KiB pages ending in 80 reserved bytes
# (a 16-byte IV, then a 64-byte HMAC-SHA512); page 1 starts with the 16-byte salt in clear.
PAGE_SIZE = 4096
RESERVE = 80
SALT_BYTES = 16
# B-tree page kinds (interior/leaf, index/table): the first byte of every b-tree page.
_BTREE_KINDS = frozenset({2, 5, 10, 13})
# Two pages whose whole b-tree header is plausible are not chance (_looks_like_btree).
_BTREE_PAGES_NEEDED = 2
_BTREE_HEADER = 8  # bytes of a leaf page's header: kind, first freeblock, cells, content start, fragments
_MAX_FRAGMENTED = 60  # sqlite never lets a page's fragmented free bytes exceed 60
RESTORE_HINT = "请用备份恢复（doudi restore）"

# SQLite's error text, mapped to what the person can do about it.
_CORRUPT = ("database disk image is malformed", "file is not a database", "file is encrypted")
_STORAGE = (
    "disk i/o error",
    "database or disk is full",
    "attempt to write a readonly database",
    "unable to open database file",
    "readonly database",
)
_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_STORAGE_ERRNOS = {
    errno.ENOSPC: "磁盘已满",
    errno.ENOTDIR: "它不是文件夹",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘是只读的",
    errno.EIO: "磁盘读写出错",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EEXIST: "同名的文件已存在",
}


def storage_problem(exc: OSError, folder: Path | str) -> StorageProblem | None:
    """The sentence for an operating-system error on *folder*, or None when it is not a storage fault."""
    reason = _STORAGE_ERRNOS.get(exc.errno or 0)
    if reason is None:
        return None
    return StorageProblem(f"无法写入数据文件夹 {folder}：{reason}；请腾出空间、换一个可写的文件夹或检查权限。")


def translate(exc: BaseException, path: Path | str) -> DoudiError | None:
    """Our error for a SQLite or OS fault on the database at *path*; None when it is something else.

    Integrity errors (a broken constraint) are the program's own business and are not translated.
    """
    if isinstance(exc, DoudiError):
        return exc
    path = Path(path)
    if isinstance(exc, OSError):
        return storage_problem(exc, path.parent)
    if not isinstance(exc, sqlcipher3.DatabaseError) or isinstance(exc, sqlcipher3.IntegrityError):
        return None
    text = str(exc).lower()
    if any(t in text for t in _BUSY):
        return DatabaseBusy(f"数据库 {path} 正被另一个程序使用，等待后仍未释放；请关闭其他兜底窗口后重试。")
    if any(t in text for t in _CORRUPT):
        return DatabaseCorrupt(f"数据库文件 {path} 已损坏（{_what_is_damaged(text)}）；{RESTORE_HINT}。")
    if any(t in text for t in _STORAGE):
        folder = path.parent
        if "full" in text:
            reason = "磁盘已满"
        elif "readonly" in text:
            reason = "磁盘或文件夹是只读的"
        elif "unable to open" in text:
            reason = "文件夹不存在、不是文件夹或没有权限"
        else:
            reason = "磁盘读写出错"
        return StorageProblem(f"无法读写数据文件夹 {folder}：{reason}；请腾出空间、换一个可写的文件夹或检查权限。")
    return None


def _what_is_damaged(text: str) -> str:
    return "页面校验失败" if "not a database" in text or "encrypted" in text else "有页面校验失败或结构错误"


def key_fits_file(path: Path | str, key: bytes, pages: int = 8) -> bool:
    """Does *key* decrypt the file's first pages into SQLite pages? (Read by hand, HMAC ignored.)

    SQLCipher uses a raw key as the AES key itself; the salt only feeds the HMAC key. So the first
    page's header (bytes 16–23: page size, versions, 80 reserved bytes, 64/32/32) or b-tree pages
    further on decrypt to known values with the right key even when a page's HMAC or the salt is
    damaged — and with any other key to noise (a chance of 4 in 256 per page, so two are required).
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    try:
        with open(path, "rb") as f:
            data = f.read(PAGE_SIZE * pages)
    except OSError:
        return False

    def plain(number: int) -> bytes:
        page = data[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        if len(page) < PAGE_SIZE:
            return b""
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        start = SALT_BYTES if number == 1 else 0
        return dec.update(page[start : PAGE_SIZE - RESERVE]) + dec.finalize()

    first = plain(1)
    if first[:2] == PAGE_SIZE.to_bytes(2, "big") and first[4:8] == bytes([RESERVE, 64, 32, 32]):
        return True
    btree = sum(1 for n in range(2, pages + 1) if _looks_like_btree(plain(n)))
    return btree >= _BTREE_PAGES_NEEDED


def _looks_like_btree(page: bytes) -> bool:
    """A b-tree page header (sqlite's file format §1.6): its kind, and a first freeblock, cell count,
    content start and fragment count a real page can have. Noise passes the kind byte alone 4 times
    in 256 — with two pages required, a wrong key was taken for a fitting one about once in 200
    tries; with the whole header, about once in four million per page."""
    if len(page) < _BTREE_HEADER or page[0] not in _BTREE_KINDS:
        return False
    usable = PAGE_SIZE - RESERVE
    freeblock = int.from_bytes(page[1:3], "big")
    cells = int.from_bytes(page[3:5], "big")
    content = int.from_bytes(page[5:7], "big")
    return freeblock < usable and cells <= usable // 4 and 0 < content <= usable and page[7] <= _MAX_FRAGMENTED


# Pages copied per backup step: about 4 MiB, so progress moves and a cancel is heard soon.
BACKUP_STEP_PAGES = 1024


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
        self._depth = 0
        self.conn = self._connect()

    def _connect(self) -> Connection:
        with self._translated():
            conn: Connection = sqlcipher3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
            )
        try:
            # Silence SQLCipher's own logging before the key, so a wrong key prints nothing.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{self._key_hex}'\"")
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as exc:
                raise self._unopenable(exc) from None
            with self._translated():
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA temp_store = MEMORY")
                # Decryption happens on a page-cache miss, so a larger cache pays twice for SQLCipher.
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _unopenable(self, exc: sqlcipher3.DatabaseError) -> DoudiError:
        """Why a keyed file will not open: storage, lock, damage — or a slot file that is not its own."""
        mapped = translate(exc, self.path)
        if mapped is not None and not isinstance(mapped, DatabaseCorrupt):
            return mapped
        size = self.path.stat().st_size if self.path.exists() else 0
        if size < PAGE_SIZE or size % PAGE_SIZE:
            return DatabaseCorrupt(f"数据库文件 {self.path} 已损坏（大小 {size} 字节不是完整的页）；{RESTORE_HINT}。")
        if key_fits_file(self.path, bytes.fromhex(self._key_hex)):
            return DatabaseCorrupt(
                f"密码正确但数据库无法打开：文件 {self.path} 的第一页已损坏（校验失败）；{RESTORE_HINT}。"
            )
        return DatabaseCorrupt(
            f"密码正确但数据库无法打开：文件 {self.path} 已损坏，或密钥槽文件不属于这个数据库；{RESTORE_HINT}。"
        )

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite's and the OS's faults become our one-sentence errors; everything else passes."""
        try:
            yield
        except (sqlcipher3.DatabaseError, OSError) as exc:
            mapped = translate(exc, self.path)
            if mapped is None or mapped is exc:
                raise
            raise mapped from exc

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
        with self._translated():
            return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        with self._translated():
            return self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._translated():
            return self._conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._translated():
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
            with self._translated():
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                # A failed statement or COMMIT may have ended the transaction already.
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._depth = 0
                try:
                    with self._translated():
                        self._conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlcipher3.DatabaseError):
                        self._conn.execute("ROLLBACK")
                    raise

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # --- maintenance -----------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Every damaged page or broken structure, as sentences; [] when the file is whole.

        SQLCipher's page check runs first and is reported in our words (a page whose HMAC fails
        may stop SQLite's own check half-way, which then adds one sentence, not a traceback).
        """
        problems: list[str] = []
        try:
            bad_pages = [r[0] for r in self._conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        except sqlcipher3.DatabaseError as exc:
            bad_pages = [str(exc)]
        if bad_pages:
            problems.append(
                f"数据库文件 {self.path} 已损坏（{len(bad_pages)} 处页面校验失败，"
                f"例如：{bad_pages[0]}）；{RESTORE_HINT}。"
            )
        try:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
            problems += [f"数据库结构错误：{r[0]}" for r in rows if r[0] != "ok"]
        except sqlcipher3.DatabaseError as exc:
            mapped = translate(exc, self.path)
            if isinstance(mapped, DatabaseCorrupt):
                if not bad_pages:
                    problems.append(mapped.message)
            elif mapped is not None:
                raise mapped from exc
            else:
                raise
        return problems

    def checkpoint(self) -> None:
        with self._translated():
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def backup_to(self, path: Path | str, progress: Callable[[int, int], None] | None = None) -> None:
        """Copy this database, still encrypted under the same key, to *path* through SQLite's online
        backup API (a consistent snapshot even while others read or write), then reopen the copy with
        the key and check it, so a copy that cannot be read is never taken for a backup.

        ``progress(done_pages, total_pages)`` is called after each step; an exception it raises
        (a cancelled op) stops the copy.
        """
        target_path = Path(path)
        if target_path.exists():
            raise FileExistsError(target_path)
        # The target is keyed before the first page is written: the copy is encrypted like the source.
        target: Connection = sqlcipher3.connect(str(target_path), isolation_level=None)
        try:
            target.execute("PRAGMA cipher_log_level = NONE")
            target.execute(f"PRAGMA key = \"x'{self._key_hex}'\"")

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            with self._lock:
                self._conn.backup(target, pages=BACKUP_STEP_PAGES, progress=step)
        finally:
            target.close()
        check: Connection = sqlcipher3.connect(str(target_path), isolation_level=None)
        try:
            check.execute("PRAGMA cipher_log_level = NONE")
            check.execute(f"PRAGMA key = \"x'{self._key_hex}'\"")
            rows = check.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.DatabaseError:
            raise DatabaseCorrupt(f"备份副本 {target_path} 写入后无法用密钥读取。") from None
        finally:
            check.close()
        if [r[0] for r in rows] != ["ok"]:
            raise DatabaseCorrupt(f"备份副本 {target_path} 写入后未通过完整性检查：{rows[0][0]}。")
