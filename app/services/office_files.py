"""The files of an office beside its database, and the rules for its passwords.

The back-off state after failed sign-ins sits here too: it must work before the database can be
opened. So does the test for a half-made office: an office is built in a folder beside its data
folder and renamed into place only when complete, and a crash can leave that folder behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..db.database import Database
from ..db.private_files import write_atomic
from ..domain.entities import Office

DB_NAME = "office.db"
SLOTS_NAME = "keyslots.json"
SLOTS_BACKUP_NAME = "keyslots.backup.json"
PARTIAL_MARK = ".partial-"
LOGIN_STATE_NAME = "login-state.json"
MIN_PASSWORD = 8
# Fewer distinct characters than this ("aaaaaaa1") is refused as too simple.
MIN_DISTINCT_CHARS = 4
# The set-up wizard's strength hint, 0 to MAX_STRENGTH: a point for each length reached and
# for each count of character classes (digit, lower, upper, other) reached.
MAX_STRENGTH = 4
STRENGTH_LENGTHS = (8, 12)
STRENGTH_CLASSES = (2, 3)


@dataclass(frozen=True)
class OfficePaths:
    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def slots(self) -> Path:
        return self.data_dir / SLOTS_NAME

    @property
    def slots_backup(self) -> Path:
        return self.data_dir / SLOTS_BACKUP_NAME

    @property
    def login_state(self) -> Path:
        return self.data_dir / LOGIN_STATE_NAME

    def exists(self) -> bool:
        return self.db.exists()

    def partial_dir(self, pid: int | None = None) -> Path:
        """Where this process builds the office before renaming it into place (same parent: same disk)."""
        return self.data_dir.parent / f".{self.data_dir.name}{PARTIAL_MARK}{os.getpid() if pid is None else pid}"

    def partial_dirs(self) -> list[Path]:
        """Folders left by any creation of this office, finished or not."""
        parent = self.data_dir.parent
        if not parent.is_dir():
            return []
        return sorted(parent.glob(f".{self.data_dir.name}{PARTIAL_MARK}*"))


def partial_pid(path: Path) -> int | None:
    """The id of the process that builds in *path*."""
    try:
        return int(path.name.rsplit(PARTIAL_MARK, 1)[1])
    except (IndexError, ValueError):
        return None


def process_alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return pid is not None
    if os.name != "posix":
        return False  # no cheap check; a stale folder is only ignored, never trusted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def half_made_office(data_dir: Path | str) -> str | None:
    """A sentence (what happened, what to do) when *data_dir* holds, or is beside, an unfinished office."""
    paths = OfficePaths(Path(data_dir))
    stale = [p for p in paths.partial_dirs() if not process_alive(partial_pid(p))]
    has_db, has_slots = paths.db.exists(), paths.slots.exists() or paths.slots_backup.exists()
    if has_db and not has_slots:
        return (
            f"{paths.data_dir} 中有数据库但没有密钥槽文件：若是建立单位时中断留下的，请删除该文件夹后重新运行 "
            "doudi init；若是已在使用的单位，请用恢复页和恢复码运行 doudi recover --sheet。"
        )
    if has_slots and not has_db:
        return (
            f"{paths.data_dir} 中只有密钥槽文件而没有数据库，是建立单位时中断留下的；"
            "没有任何数据，请删除该文件夹后重新运行 doudi init 或 doudi demo。"
        )
    if stale and not has_db:
        return (
            f"{stale[0]} 是上次建立单位时中断留下的半成品（没有显示过恢复码，不能使用）；"
            "重新运行 doudi init 或 doudi demo 会自动清理它，也可以直接删除它。"
        )
    return None


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少需要 {MIN_PASSWORD} 个字符。"
    if len(set(password)) < MIN_DISTINCT_CHARS:
        return "密码太简单（重复字符过多）。"
    return None


def password_strength(password: str) -> int:
    """0–4, for the set-up wizard's hint."""
    if not password:
        return 0
    classes = sum(
        any(f(c) for c in password) for f in (str.isdigit, str.islower, str.isupper, lambda c: not c.isalnum())
    )
    score = sum(len(password) >= n for n in STRENGTH_LENGTHS) + sum(classes >= n for n in STRENGTH_CLASSES)
    return min(MAX_STRENGTH, score) if password_problem(password) is None else min(score, 1)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``<path>.lock`` between processes and threads (each call opens its own file)."""
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class LoginThrottle:
    """Back-off after repeated failures: 3 free tries, then 2, 4, 8 … seconds (max 5 minutes).

    The state sits in a small plain file beside the database: it holds user names
    and times only, and it must work before the database can be opened. Every read-modify-write
    holds a file lock, and :meth:`begin` counts an attempt before its slow key derivation starts,
    so attempts run in parallel are all counted and cannot slip past the back-off together.
    """

    FREE_TRIES = 3
    MAX_DELAY = 300

    def __init__(self, path: Path, clock=time.time):
        self.path, self.clock = path, clock

    def _read(self) -> dict:
        try:
            state = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write(self, state: dict) -> None:
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(state).encode())

    def _wait(self, state: dict, username: str) -> int:
        entry = state.get(username)
        if not entry or entry["failures"] < self.FREE_TRIES:
            return 0
        delay = min(2 ** (entry["failures"] - self.FREE_TRIES + 1), self.MAX_DELAY)
        return max(0, int(entry["last"] + delay - self.clock() + 0.999))

    @contextlib.contextmanager
    def _state(self) -> Iterator[dict]:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(file_lock(self.path))
            except OSError:  # a read-only folder: the back-off cannot be kept, signing in still works
                yield {}
                return
            state = self._read()
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                self._write(state)

    def wait_seconds(self, username: str) -> int:
        return self._wait(self._read(), username)

    def begin(self, username: str) -> int:
        """Before trying a password: the seconds still to wait (nothing counted), or 0 and the try counted
        as a failure until :meth:`succeeded` clears it."""
        with self._state() as state:
            wait = self._wait(state, username)
            if not wait:
                self._count(state, username)
        return wait

    def _count(self, state: dict, username: str) -> None:
        entry = state.get(username, {"failures": 0, "last": 0})
        state[username] = {"failures": entry["failures"] + 1, "last": self.clock()}

    def failed(self, username: str) -> None:
        with self._state() as state:
            self._count(state, username)

    def succeeded(self, username: str) -> None:
        with self._state() as state:
            state.pop(username, None)


def key_slot_copy_problems(data_dir: Path | str) -> list[str]:
    """Sentences for ``check``: a key-slot copy that is missing or damaged, or two copies that differ.

    Signing in survives one bad copy silently (it reads the other); the next change of a password
    rewrites both, but until then the office has only one.
    """
    from ..db.keyslots import KeySlotFile
    from ..errors import KeySlotCorrupt

    paths = OfficePaths(Path(data_dir))
    problems, texts = [], []
    for path in (paths.slots, paths.slots_backup):
        try:
            texts.append(KeySlotFile.load_copy(path).to_json())
        except KeySlotCorrupt as exc:
            problems.append(str(exc))
    if len(texts) == 2 and texts[0] != texts[1]:  # noqa: PLR2004 - the two copies
        problems.append(
            f"密钥槽文件 {paths.slots} 与第二份 {paths.slots_backup} 内容不一致；请修改一次密码使两份重新一致。"
        )
    return problems


def load_office(db: Database) -> Office:
    meta = dict(db.query("SELECT key, value FROM meta"))
    return Office(
        code=meta.get("office_code", ""),
        name=meta.get("office_name", ""),
        kind=meta.get("office_kind", "township"),
        parent_code=meta.get("office_parent", ""),
    )


def device_secret_storage() -> str:
    """Where this PC keeps the device secret: ``"keyring"`` (the OS credential store) or ``"file"``."""
    from ..db import device_secret

    return device_secret.storage_kind()


def office_code(data_dir: Path | str) -> str:
    """The office code written in the key-slot file, readable before anyone signs in ("" if unreadable)."""
    from ..db.keyslots import KeySlotFile

    try:
        return KeySlotFile.load(OfficePaths(Path(data_dir)).slots).office_code
    except Exception:  # noqa: BLE001 - only for a label; signing in reports real problems
        return ""
