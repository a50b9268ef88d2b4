"""An office on disk: its files, creating it, signing in, and recovering a lost password.

Everything here runs before there is a session (or makes one): the paths of the database and the
key slots, the password rules, the back-off after failed sign-ins, ``create_office``,
``open_session`` and ``recover``.

An office is built whole in a folder beside its data folder and renamed into place only when the
database, both key-slot copies and the device secret are there (and, for a demo, its data): a
crash leaves nothing that looks like an office, or a working one, and the next try cleans up.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from ..db import device_secret
from ..db.database import Database, key_fits_file
from ..db.keyslots import KeySlotFile, new_recovery_code
from ..db.private_files import private_dir, restrict, sync_dir
from ..db.schema import migrate
from ..db.store import Store
from ..domain.entities import Office, User, ValidationError
from ..domain.ids import uuid7
from ..errors import (
    AlreadyExists,
    AuthFailed,
    DeviceSecretMissing,
    InvalidInput,
    KeySlotCorrupt,
    NoDatabase,
    NotFound,
    StorageProblem,
)
from .exchange.office_keys import ensure_office_keys
from .office_files import (  # noqa: F401
    DB_NAME,
    SLOTS_NAME,
    LoginThrottle,
    OfficePaths,
    half_made_office,
    load_office,
    partial_pid,
    password_problem,
    password_strength,
    process_alive,
)
from .session import Session

log = logging.getLogger(__name__)

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
    fill: Callable[[Session], object] | None = None,
) -> tuple[Session, str]:
    """Create an encrypted office database with its first administrator.

    Returns the open session and the recovery code, which is shown once and never stored.
    ``fill`` runs on the office while it is still in its build folder (the demo's data), so a crash
    during it leaves no office either.
    """
    from ..resource_files import divisions

    paths = OfficePaths(Path(data_dir))
    _check_target(paths)
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

    _check_target(paths)
    clean_partial_offices(paths)
    build = OfficePaths(paths.partial_dir())
    key = secrets.token_bytes(32)
    store_id = uuid7()
    recovery = new_recovery_code()
    db: Database | None = None
    secret_made = False
    try:
        if build.data_dir.exists():  # this process's own earlier attempt
            shutil.rmtree(build.data_dir)
        private_dir(build.data_dir)
        db = Database(build.db, key, create=True)
        restrict(build.db)
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
            # The exchange keys are born with the office, inside its encrypted database (docs/exchange.md).
            ensure_office_keys(store, admin_username)
        secret = device_secret.create(store_id)
        secret_made = True
        slots = KeySlotFile(store_id=store_id, office_code=office.code)
        slots.set_user(admin_username, admin_password, key, secret)
        slots.set_recovery(recovery, key)
        slots.save(build.slots)
        building = Session(build, db, key, slots, admin)
        db = None  # the session owns it now
        try:
            if fill is not None:
                fill(building)
        finally:
            building.close()
        _move_into_place(build, paths)
    except BaseException as exc:
        if db is not None:
            db.close()
        shutil.rmtree(build.data_dir, ignore_errors=True)
        if secret_made:
            device_secret.forget(store_id)
        if isinstance(exc, OSError):
            raise StorageProblem(f"无法在 {paths.data_dir} 建立单位数据库（{exc.strerror or exc}）。") from exc
        raise
    return open_with_key(paths, key, admin_username), recovery


def _check_target(paths: OfficePaths) -> None:
    if paths.data_dir.exists() and not paths.data_dir.is_dir():
        raise StorageProblem(f"{paths.data_dir} 是一个文件而不是文件夹；请换一个数据文件夹。")
    if paths.db.exists():
        raise AlreadyExists(f"{paths.data_dir} 中已有单位数据库；不会覆盖。")


def _move_into_place(build: OfficePaths, paths: OfficePaths) -> None:
    """Rename the finished office to its data folder; the database goes last, so it appears complete."""
    paths.data_dir.parent.mkdir(parents=True, exist_ok=True)
    _check_target(paths)
    with contextlib.suppress(FileNotFoundError, OSError):
        paths.data_dir.rmdir()  # only if empty: a folder chosen in advance, or made by the wizard
    if not paths.data_dir.exists():
        os.replace(build.data_dir, paths.data_dir)
        sync_dir(paths.data_dir.parent)
        return
    # The data folder holds other things (logs, backups, leftovers): move the files one by one.
    restrict(paths.data_dir)
    names = sorted((p.name for p in build.data_dir.iterdir()), key=lambda n: n == DB_NAME)
    for name in names:
        os.replace(build.data_dir / name, paths.data_dir / name)
    sync_dir(paths.data_dir)
    shutil.rmtree(build.data_dir, ignore_errors=True)


def clean_partial_offices(paths: OfficePaths) -> None:
    """Remove what crashed creations left beside the data folder (never one still being built)."""
    for folder in paths.partial_dirs():
        pid = partial_pid(folder)
        if pid != os.getpid() and process_alive(pid):
            continue
        with contextlib.suppress(KeySlotCorrupt):
            device_secret.forget(KeySlotFile.load(OfficePaths(folder).slots).store_id)
        shutil.rmtree(folder, ignore_errors=True)
        log.warning("已清理上次建立单位时中断留下的文件夹 %s。", folder)


def open_with_key(paths: OfficePaths, key: bytes, username: str) -> Session:
    """A session on an office whose key is already known (one just created), as *username*."""
    slots = KeySlotFile.load(paths.slots)
    notes: list[UpgradeNote] = []
    db = _open_db(paths, key, notes)
    try:
        users = Store(db, slots.office_code).repo(User).where("username = ?", (username,))
        if not users:
            raise NotFound(f"没有用户 {username}。")
    except BaseException:
        db.close()
        raise
    return _noted(Session(paths, db, key, slots, users[0]), notes)


class SheetFields(TypedDict):
    slot_lines: list[str]
    slot_qr: str
    chain_head: str


def recovery_sheet_fields(session: Session) -> SheetFields:
    """What the recovery sheet prints besides the code: ``write_recovery_sheet(..., **fields)``.

    The chain head it prints is also noted in the data folder's anchors, as printed on a sheet.
    """
    from .anchors import current_anchor, record_anchor

    anchor = current_anchor(session)
    record_anchor(session.paths.data_dir, anchor, "恢复单")
    return {
        "slot_lines": session.slots.recovery_sheet_lines(),
        "slot_qr": session.slots.recovery_sheet_payload(),
        "chain_head": anchor.hash,
    }


def remove_office_files(paths: OfficePaths, store_id: str) -> None:
    """Undo a creation that failed half-way: the database, its WAL, the key slots, the device secret."""
    for p in (
        paths.db,
        paths.slots,
        paths.slots_backup,
        paths.db.with_name(DB_NAME + "-wal"),
        paths.db.with_name(DB_NAME + "-shm"),
        paths.slots.with_name(SLOTS_NAME + ".lock"),
    ):
        p.unlink(missing_ok=True)
    device_secret.forget(store_id)


@dataclass(frozen=True)
class UpgradeNote:
    """A newer program upgraded this office's database as it opened it, after backing it up."""

    from_version: int
    to_version: int
    backup: Path

    def message(self) -> str:
        return f"兜底已把单位数据库从版本 {self.from_version} 升级到 {self.to_version}；升级前的备份在 {self.backup}。"


# The upgrade made when a session's database was opened, for the GUI to say so after sign-in.
_upgrades: weakref.WeakKeyDictionary[Session, UpgradeNote] = weakref.WeakKeyDictionary()


def upgrade_note(session: Session) -> UpgradeNote | None:
    """What opening *session* upgraded (None when its database was already current)."""
    return _upgrades.get(session)


def _noted(session: Session, notes: list[UpgradeNote]) -> Session:
    if notes:
        _upgrades[session] = notes[-1]
    return session


UPGRADING = "正在备份并升级单位数据库（数据多时需要一两分钟，请不要关闭程序或关机）…"


def _open_db(
    paths: OfficePaths,
    key: bytes,
    notes: list[UpgradeNote] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Database:
    """The office database, its schema brought up to date; a newer program backs up first and
    says so (a warning: the command line prints it on standard error). A database newer than
    this program is refused, and closed, before anything is written to it."""
    from .backup import before_upgrade_backup

    db = Database(paths.db, key)
    try:
        backup = before_upgrade_backup(db, paths.data_dir)

        def back_up_first(old: int, new: int) -> None:
            if progress is not None:
                progress(UPGRADING)
            made = backup(old, new)
            note = UpgradeNote(old, new, made.path)
            log.warning("%s", note.message())
            if notes is not None:
                notes.append(note)

        migrate(db, before_upgrade=back_up_first)
    except BaseException:
        db.close()
        raise
    return db


def _require_office(paths: OfficePaths) -> None:
    if not paths.db.exists():
        raise NoDatabase(f"在 {paths.data_dir} 中没有找到单位数据库；请先运行 doudi init 或 doudi demo。")


def open_session(
    data_dir: Path | str, username: str, password: str, *, progress: Callable[[str], None] | None = None
) -> Session:
    """Unlock and open an office for *username*. *progress* hears one sentence when the database
    must first be backed up and upgraded (a county's register takes a minute or two)."""
    from .rekey import finish_interrupted_rekey

    paths = OfficePaths(Path(data_dir))
    _require_office(paths)
    finish_interrupted_rekey(paths, username, password)  # a re-key cut off by a crash is settled first
    slots = KeySlotFile.load(paths.slots)
    secret = device_secret.load(slots.store_id)
    if secret is None:
        raise DeviceSecretMissing(
            "这台电脑上没有此数据库的设备密钥（数据文件夹可能是从别的电脑复制来的）；请用恢复码运行 doudi recover。"
        )
    throttle = LoginThrottle(paths.login_state)
    wait = throttle.begin(username)  # counted now, so parallel tries cannot all pass the back-off
    if wait:
        raise AuthFailed(f"登录失败次数过多，请 {wait} 秒后再试。")
    key = slots.unlock_user(username, password, secret)
    notes: list[UpgradeNote] = []
    db = _open_db(paths, key, notes, progress)
    users = Store(db, slots.office_code).repo(User).where("username = ?", (username,))
    if not users or not users[0].active:
        db.close()
        raise AuthFailed(f"用户 {username} 已停用。")
    throttle.succeeded(username)
    return _noted(Session(paths, db, key, slots, users[0]), notes)


def recover(
    data_dir: Path | str, username: str, recovery_code: str, new_password: str, *, sheet: str | None = None
) -> Session:
    """Set a new password with the recovery code; also works on a PC without the device secret.

    With ``sheet`` (the recovery slot as typed from the recovery sheet, or the QR code's text) it
    also works with no key-slot file at all: the slot files are rewritten from the sheet.
    """
    paths = OfficePaths(Path(data_dir))
    _require_office(paths)
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput(problem)
    paper = KeySlotFile.from_recovery_sheet(sheet) if sheet is not None else None
    slots = paper or KeySlotFile.load(paths.slots)
    key = slots.unlock_recovery(recovery_code)
    if paper is not None and not key_fits_file(paths.db, key):
        raise InvalidInput(f"这张恢复页属于另一个单位数据库，打不开 {paths.db}。", field="sheet")
    notes: list[UpgradeNote] = []
    db = _open_db(paths, key, notes)
    store = Store(db, slots.office_code)
    try:
        users = store.repo(User).where("username = ?", (username,))
        if not users:
            raise NotFound(f"没有用户 {username}。")
        if paper is not None and db.scalar("SELECT value FROM meta WHERE key = 'store_id'") != paper.store_id:
            raise InvalidInput("这张恢复页属于另一个单位数据库。", field="sheet")
        try:
            secret = device_secret.load(slots.store_id)
        except DeviceSecretMissing:  # garbled: replace it, as on a new PC
            secret = None
        new_device = secret is None
        if secret is None:
            # Other users' slots were bound to the lost secret; they need a reset by this user.
            secret = device_secret.create(slots.store_id)
        slot = slots.wrap_user(username, new_password, key, secret)
        action = "用恢复码重设密码" if paper is None else "用恢复页和恢复码重建密钥槽并重设密码"

        def change(f: KeySlotFile) -> None:
            if paper is not None:
                f.put(paper.recovery_slot())
            f.put(slot)

        with store.transaction():
            store.audit(username, action, "users", users[0].id, {"new_device_secret": new_device})
            slots = KeySlotFile.modify(paths.slots, change, rebuild=paper)
    except BaseException:
        db.close()
        raise
    return _noted(Session(paths, db, key, slots, users[0]), notes)
