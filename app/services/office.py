"""An office on disk: its files, creating it, signing in, and recovering a lost password.

Everything here runs before there is a session (or makes one): the paths of the database and the
key slots, the password rules, the back-off after failed sign-ins, ``create_office``,
``open_session`` and ``recover``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from ..db import device_secret
from ..db.database import Database
from ..db.keyslots import KeySlotFile, new_recovery_code
from ..db.schema import migrate
from ..db.store import Store
from ..domain.entities import Office, User, ValidationError
from ..domain.ids import uuid7
from ..errors import AlreadyExists, AuthFailed, DeviceSecretMissing, InvalidInput, NoDatabase, NotFound
from .office_files import (  # noqa: F401
    DB_NAME,
    SLOTS_NAME,
    LoginThrottle,
    OfficePaths,
    load_office,
    password_problem,
    password_strength,
)
from .session import Session

# --- office creation and sign-in ---------------------------------------------------


def create_office(
    data_dir: Path | str,
    office_code: str,
    admin_username: str,
    admin_password: str,
    *,
    office_name: str = "",
    kind: str | None = None,
    admin_display_name: str = "",
) -> tuple[Session, str]:
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
    office = Office(
        code=code12,
        name=office_name or (known.name if known else ""),
        kind=kind,
        parent_code=known.parent if known else "",
    )
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
            for k, v in {
                "office_code": office.code,
                "office_name": office.name,
                "office_kind": office.kind,
                "office_parent": office.parent_code,
                "store_id": store_id,
            }.items():
                db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (k, v))
            db.executemany(
                "INSERT INTO divisions(code, parent, name, level, ur_code) VALUES (?, ?, ?, ?, ?)",
                [(d.code, d.parent, d.name, d.level, d.ur_code) for d in tree],
            )
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
    for p in (
        paths.db,
        paths.slots,
        paths.db.with_name(DB_NAME + "-wal"),
        paths.db.with_name(DB_NAME + "-shm"),
        paths.slots.with_name(SLOTS_NAME + ".lock"),
    ):
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
        raise DeviceSecretMissing(
            "这台电脑上没有此数据库的设备密钥（数据文件夹可能是从别的电脑复制来的）；请用恢复码运行 doudi recover。"
        )
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
    if secret is None:
        # Other users' slots were bound to the lost secret; they need a reset by this user.
        secret = device_secret.create(slots.store_id)
    slot = slots.wrap_user(username, new_password, key, secret)
    with store.transaction():
        store.audit(username, "用恢复码重设密码", "users", users[0].id, {"new_device_secret": new_device})
        slots = KeySlotFile.modify(paths.slots, lambda f: f.put(slot))
    return Session(paths, db, key, slots, users[0])
