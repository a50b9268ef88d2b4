"""Creating an office, signing in, recovering a lost password, managing users.

A :class:`Session` is an unlocked office database with its signed-in user; the
other services hang off it (``session.households``, ``session.visits`` …).
"""
from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..db import device_secret
from ..db.database import Database
from ..errors import AlreadyExists, AuthFailed, DeviceSecretMissing, InvalidInput, NoDatabase, NotFound
from ..db.keyslots import KeySlotFile, new_recovery_code
from ..db.schema import migrate
from ..db.store import Store
from ..domain.entities import Office, User, ValidationError
from ..domain.ids import uuid7
from . import permissions

DB_NAME = "office.db"
SLOTS_NAME = "keyslots.json"
LOGIN_STATE_NAME = "login-state.json"
MIN_PASSWORD = 8


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
    def login_state(self) -> Path:
        return self.data_dir / LOGIN_STATE_NAME

    def exists(self) -> bool:
        return self.db.exists()


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少需要 {MIN_PASSWORD} 个字符。"
    if len(set(password)) < 4:
        return "密码太简单（重复字符过多）。"
    return None


def password_strength(password: str) -> int:
    """0–4, for the set-up wizard's hint."""
    if not password:
        return 0
    classes = sum(any(f(c) for c in password) for f in (str.isdigit, str.islower, str.isupper,
                                                         lambda c: not c.isalnum()))
    score = (len(password) >= 8) + (len(password) >= 12) + (classes >= 2) + (classes >= 3)
    return min(4, score) if password_problem(password) is None else min(score, 1)


class LoginThrottle:
    """Back-off after repeated failures: 3 free tries, then 2, 4, 8 … seconds (max 5 minutes).

    The state sits in a small plain file beside the database: it holds user names
    and times only, and it must work before the database can be opened.
    """

    FREE_TRIES = 3
    MAX_DELAY = 300

    def __init__(self, path: Path, clock=time.time):
        self.path, self.clock = path, clock

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _write(self, state: dict) -> None:
        try:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(state))
            os.replace(tmp, self.path)
        except OSError:
            pass

    def wait_seconds(self, username: str) -> int:
        entry = self._read().get(username)
        if not entry or entry["failures"] < self.FREE_TRIES:
            return 0
        delay = min(2 ** (entry["failures"] - self.FREE_TRIES + 1), self.MAX_DELAY)
        return max(0, int(entry["last"] + delay - self.clock() + 0.999))

    def failed(self, username: str) -> None:
        state = self._read()
        entry = state.get(username, {"failures": 0, "last": 0})
        state[username] = {"failures": entry["failures"] + 1, "last": self.clock()}
        self._write(state)

    def succeeded(self, username: str) -> None:
        state = self._read()
        if state.pop(username, None) is not None:
            self._write(state)


class Session:
    def __init__(self, paths: OfficePaths, db: Database, key: bytes, slots: KeySlotFile, user: User):
        self.paths = paths
        self.db = db
        self._key = key
        self.slots = slots
        self.store = Store(db, slots.office_code)
        self.user = user
        self.office = load_office(db)
        self._services: dict[str, object] = {}
        from .search_index import MemberSearchIndex
        self.search_index = MemberSearchIndex()   # built on the first search, then kept fresh
        self._threads = threading.local()
        self._worker_sessions: list[Session] = []
        self._home_thread = threading.get_ident()

    # Services are created on first use so a session stays cheap to open.
    def _service(self, name: str, factory):
        if name not in self._services:
            self._services[name] = factory(self)
        return self._services[name]

    @property
    def households(self):
        from .households import HouseholdService
        return self._service("households", HouseholdService)

    @property
    def visits(self):
        from .visits import VisitService
        return self._service("visits", VisitService)

    @property
    def programmes(self):
        from .programmes import ProgrammeService
        return self._service("programmes", ProgrammeService)

    @property
    def payments(self):
        from .payments import PaymentService
        return self._service("payments", PaymentService)

    @property
    def monitoring(self):
        from .monitoring import MonitoringService
        return self._service("monitoring", MonitoringService)

    @property
    def monthly_close(self):
        from .monthly_close import MonthlyCloseService
        return self._service("monthly_close", MonthlyCloseService)

    @property
    def care(self):
        from .care import CareService
        return self._service("care", CareService)

    @property
    def users(self):
        return self._service("users", UserService)

    def can(self, permission: str) -> bool:
        return permissions.allowed(self.user, permission)

    def adopt_thread(self) -> None:
        """Make the calling thread (the GUI thread) this session's home.

        Sign-in runs in a background op, so the session is born on a worker; the window that
        then uses it calls this, and every other thread gets a twin connection.
        """
        self._home_thread = threading.get_ident()
        if getattr(self._threads, "session", None) is not None:
            self._threads.session = None     # that twin belonged to this thread as a worker

    def for_thread(self) -> "Session":
        """This session on the calling thread's own keyed connection (DESIGN.md §10).

        The GUI thread gets the session itself; each worker thread gets, once, a twin with
        its own connection that shares the user, the clock and the search index.
        """
        if threading.get_ident() == self._home_thread:
            return self
        twin = getattr(self._threads, "session", None)
        if twin is None:
            twin = Session.__new__(Session)
            twin.__dict__.update({k: v for k, v in self.__dict__.items()
                                  if k not in ("db", "store", "_services", "_worker_sessions")})
            twin.db = self.db.reopen_for_thread()
            twin.store = Store(twin.db, self.slots.office_code, clock=self.store.clock)
            twin._services = {}
            twin._worker_sessions = []
            twin._home_thread = threading.get_ident()
            self._threads.session = twin
            self._worker_sessions.append(twin)
        return twin

    def worker_db(self) -> Database:
        """A separate keyed connection for a background thread."""
        return self.db.reopen_for_thread()

    def verify_password(self, password: str) -> bool:
        """For the idle lock: the signed-in user's password, checked against their slot.

        Failures count towards the same back-off as signing in: a locked, unattended PC is no
        place to guess passwords at leisure.
        """
        throttle = LoginThrottle(self.paths.login_state)
        wait = throttle.wait_seconds(self.user.username)
        if wait:
            raise AuthFailed(f"密码错误次数过多，请 {wait} 秒后再试。")
        secret = device_secret.load(self.slots.store_id)
        try:
            self.slots.unlock_user(self.user.username, password, secret or b"")
        except AuthFailed:
            throttle.failed(self.user.username)
            return False
        throttle.succeeded(self.user.username)
        return True

    def change_password(self, old: str, new: str) -> None:
        if not self.verify_password(old):
            raise AuthFailed("原密码不正确。")
        self._set_password(self.user.username, new)

    def _set_password(self, username: str, new: str) -> None:
        problem = password_problem(new)
        if problem:
            raise InvalidInput(problem)
        secret = device_secret.load(self.slots.store_id)
        if secret is None:
            secret = device_secret.create(self.slots.store_id)
        slot = self.slots.wrap_user(username, new, self._key, secret)
        with self.store.transaction():
            self.store.audit(self.user.username, "设置密码", "users", username, {"user": username})
            self.slots = KeySlotFile.modify(self.paths.slots, lambda f: f.put(slot))

    def close(self) -> None:
        for twin in self._worker_sessions:
            twin.db.close()
        self._worker_sessions.clear()
        self.db.close()


class UserService:
    def __init__(self, session: Session):
        self.s = session

    def list(self) -> list[User]:
        return self.s.store.repo(User).where(order="username")

    def add(self, username: str, role: str, password: str, display_name: str = "") -> User:
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if self.s.store.repo(User).where("username = ?", (username,)):
            raise AlreadyExists(f"用户名 {username} 已存在。")
        user = User(username=username, display_name=display_name or username, role=role)
        try:
            user.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message) from None
        with self.s.store.transaction():
            self.s.store.save(user, self.s.user.username, "新增用户")
            self.s._set_password(username, password)
        return user

    def reset_password(self, username: str, password: str) -> None:
        """The administrator sets another user's password (one's own goes through change_password)."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if username == self.s.user.username:
            raise InvalidInput("修改自己的密码请用“修改密码”，并输入原密码。")
        found = self.s.store.repo(User).where("username = ?", (username,))
        if not found or not found[0].active:
            raise NotFound(f"没有在用的用户 {username}。")
        self.s._set_password(username, password)

    def deactivate(self, username: str) -> None:
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        found = self.s.store.repo(User).where("username = ?", (username,))
        if not found:
            raise NotFound(f"没有用户 {username}。")
        before = found[0]
        user = User(**{**before.__dict__, "active": False})
        with self.s.store.transaction():
            self.s.store.save(user, self.s.user.username, "停用用户", before=before)
            self.s.slots = KeySlotFile.modify(self.s.paths.slots, lambda f: f.remove_user(username))


# --- office creation and sign-in ---------------------------------------------------

def load_office(db: Database) -> Office:
    meta = dict(db.query("SELECT key, value FROM meta"))
    return Office(code=meta.get("office_code", ""), name=meta.get("office_name", ""),
                  kind=meta.get("office_kind", "township"), parent_code=meta.get("office_parent", ""))


def create_office(data_dir: Path | str, office_code: str, admin_username: str, admin_password: str, *,
                  office_name: str = "", kind: str | None = None, admin_display_name: str = "") -> tuple[Session, str]:
    """Create an encrypted office database with its first administrator.

    Returns the open session and the recovery code, which is shown once and never stored.
    """
    from ..resource_files import divisions

    paths = OfficePaths(Path(data_dir))
    if paths.db.exists() or paths.slots.exists():
        raise AlreadyExists(f"{paths.data_dir} 中已有单位数据库；不会覆盖。")
    problem = password_problem(admin_password)
    if problem:
        raise InvalidInput(problem)
    tree = divisions()
    code = office_code.strip()
    code12 = code.ljust(12, "0") if len(code) in (6, 9) else code
    known = tree.get(code12)
    if kind is None:
        kind = "county" if known is not None and known.level == "county" else "township"
    office = Office(code=code12, name=office_name or (known.name if known else ""), kind=kind,
                    parent_code=known.parent if known else "")
    try:
        office.validate()
    except ValidationError as exc:
        if exc.field == "name":
            raise InvalidInput(f"区划代码 {code} 不在泾源县的区划表中，请同时给出单位名称。") from None
        raise InvalidInput(exc.message) from None
    admin = User(username=admin_username, display_name=admin_display_name or admin_username, role="admin")
    try:
        admin.validate()
    except ValidationError as exc:
        raise InvalidInput(exc.message) from None

    paths.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    store_id = uuid7()
    secret = device_secret.create(store_id)
    recovery = new_recovery_code()
    db = None
    try:
        db = Database(paths.db, key, create=True)
        migrate(db)
        with db.transaction():
            for k, v in {"office_code": office.code, "office_name": office.name, "office_kind": office.kind,
                         "office_parent": office.parent_code, "store_id": store_id}.items():
                db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (k, v))
            db.executemany("INSERT INTO divisions(code, parent, name, level, ur_code) VALUES (?, ?, ?, ?, ?)",
                           [(d.code, d.parent, d.name, d.level, d.ur_code) for d in tree])
            store = Store(db, office.code)
            store.save(admin, admin_username, "创建单位和管理员")
            store.audit(admin_username, "创建单位", "", "", {"office": office.code, "name": office.name})
        slots = KeySlotFile(store_id=store_id, office_code=office.code)
        slots.set_user(admin_username, admin_password, key, secret)
        slots.set_recovery(recovery, key)
        slots.save(paths.slots)
    except BaseException:
        if db is not None:
            db.close()
        remove_office_files(paths, store_id)
        raise
    return Session(paths, db, key, slots, admin), recovery


def remove_office_files(paths: OfficePaths, store_id: str) -> None:
    """Undo a creation that failed half-way: the database, its WAL, the key slots, the device secret."""
    for p in (paths.db, paths.slots, paths.db.with_name(DB_NAME + "-wal"), paths.db.with_name(DB_NAME + "-shm"),
              paths.slots.with_name(SLOTS_NAME + ".lock")):
        p.unlink(missing_ok=True)
    device_secret.forget(store_id)


def _open_db(paths: OfficePaths, key: bytes) -> Database:
    db = Database(paths.db, key)
    migrate(db)
    return db


def _require_office(paths: OfficePaths) -> None:
    if not paths.db.exists():
        raise NoDatabase(f"在 {paths.data_dir} 中没有找到单位数据库；请先运行 doudi init 或 doudi demo。")


def open_session(data_dir: Path | str, username: str, password: str) -> Session:
    paths = OfficePaths(Path(data_dir))
    _require_office(paths)
    throttle = LoginThrottle(paths.login_state)
    wait = throttle.wait_seconds(username)
    if wait:
        raise AuthFailed(f"登录失败次数过多，请 {wait} 秒后再试。")
    slots = KeySlotFile.load(paths.slots)
    secret = device_secret.load(slots.store_id)
    if secret is None:
        raise DeviceSecretMissing("这台电脑上没有此数据库的设备密钥（数据文件夹可能是从别的电脑复制来的）；"
                                  "请用恢复码运行 doudi recover。")
    try:
        key = slots.unlock_user(username, password, secret)
    except AuthFailed:
        throttle.failed(username)
        raise
    db = _open_db(paths, key)
    users = Store(db, slots.office_code).repo(User).where("username = ?", (username,))
    if not users or not users[0].active:
        db.close()
        raise AuthFailed(f"用户 {username} 已停用。")
    throttle.succeeded(username)
    return Session(paths, db, key, slots, users[0])


def recover(data_dir: Path | str, username: str, recovery_code: str, new_password: str) -> Session:
    """Set a new password with the recovery code; also works on a PC without the device secret."""
    paths = OfficePaths(Path(data_dir))
    _require_office(paths)
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput(problem)
    slots = KeySlotFile.load(paths.slots)
    key = slots.unlock_recovery(recovery_code)
    db = _open_db(paths, key)
    store = Store(db, slots.office_code)
    users = store.repo(User).where("username = ?", (username,))
    if not users:
        db.close()
        raise NotFound(f"没有用户 {username}。")
    secret = device_secret.load(slots.store_id)
    new_device = secret is None
    if new_device:
        # Other users' slots were bound to the lost secret; they need a reset by this user.
        secret = device_secret.create(slots.store_id)
    slot = slots.wrap_user(username, new_password, key, secret)
    with store.transaction():
        store.audit(username, "用恢复码重设密码", "users", users[0].id, {"new_device_secret": new_device})
        slots = KeySlotFile.modify(paths.slots, lambda f: f.put(slot))
    return Session(paths, db, key, slots, users[0])
