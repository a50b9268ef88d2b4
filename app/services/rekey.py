"""The database key itself: re-keying the database, and exporting the key for support.

Why re-key: a user slot wraps the one database key. Deactivating a user drops their slot from
``keyslots.json``, but any older copy of that file (a backup, a USB stick, a copied folder) still
holds a slot that unwraps the same key, and with it the current database. Only a new key makes
such copies useless. SQLCipher 4 rewrites every page under a new raw key with ``PRAGMA rekey``.

What a re-key can and cannot keep: a slot can be rewrapped only by someone who knows its
secret. The administrator re-enters their password, so their slot is rewritten; the recovery
slot gets a new recovery code (shown once; the old sheet no longer opens anything); every other
user's password is unknown here, so their slots are dropped and they wait for the administrator
to set a new password (``UserService.needing_password``). docs/support.md says the same.

Crash safety: the new slot file is written first, beside the real one (``keyslots.json.rekey``);
then the pages are rewritten in one SQLite transaction; then the new slots replace the old.
A crash between the last two steps leaves a database that only the pending file opens, so the
next sign-in of the administrator finishes the job (:func:`finish_interrupted_rekey`).
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db import device_secret
from ..db.database import KEY_BYTES, Database
from ..db.keyslots import KeySlotFile, new_recovery_code
from ..db.private_files import sync_dir, write_atomic
from ..domain.entities import User
from ..errors import AuthFailed, DatabaseCorrupt, KeySlotCorrupt
from . import permissions
from .base import Service

if TYPE_CHECKING:
    from .office_files import OfficePaths

# The steps the progress reports (the page rewrite itself is one SQLCipher call with no callback).
STEPS = 4


@dataclass(frozen=True)
class RekeyResult:
    recovery_code: str  # the new code: shown once, then a new recovery sheet must be printed
    pages: int  # pages rewritten under the new key
    users_to_reset: list[str] = field(default_factory=list)  # active users now without a slot


def pending_path(paths: OfficePaths) -> Path:
    """Where the new slots wait while the pages are rewritten."""
    return paths.slots.with_name(paths.slots.name + ".rekey")


def _report(progress: Any, done: int, label: str, *, may_stop: bool = True) -> None:
    if progress is None:
        return
    if may_stop:
        progress.update(done, STEPS, label)
        return
    # Past the point of no return a cancel must not interrupt the slot file's replacement.
    with contextlib.suppress(Exception):
        progress.update(done, STEPS, label)


def _rewrite_pages(db: Database, new_key: bytes) -> None:
    """Re-encrypt every page of *db* under *new_key* (one transaction: all pages or none)."""
    rows = db.query(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    if rows and rows[0] and rows[0][0] not in ("ok", None):
        raise KeySlotCorrupt(f"重新加密数据库失败：{rows[0][0]}。")


def _promote(paths: OfficePaths, fresh: KeySlotFile) -> KeySlotFile:
    """Replace the slots with the pending ones (under the slot file's lock), then drop the pending file."""
    current = KeySlotFile.modify(paths.slots, lambda f: setattr(f, "slots", list(fresh.slots)))
    pending_path(paths).unlink(missing_ok=True)
    sync_dir(paths.slots.parent)
    return current


def _opens(path: Path, key: bytes) -> bool:
    try:
        Database(path, key).close()
    except (AuthFailed, DatabaseCorrupt):  # a key the file does not take reads as damage
        return False
    return True


def finish_interrupted_rekey(paths: OfficePaths, username: str, password: str) -> bool:
    """Settle a re-key that was cut off; call before signing in. Returns True if anything changed.

    Only a user with a slot in the pending file (the administrator who re-keyed) can tell which
    key the database now has: the pending key → the new slots are put in place; the old key →
    the rewrite never committed and the pending file is dropped. Otherwise nothing is touched.
    """
    pending = pending_path(paths)
    if not pending.exists():
        return False
    try:
        fresh = KeySlotFile.load(pending)
    except KeySlotCorrupt:
        return False  # written atomically, so never half; leave a foreign file for support to see
    secret = device_secret.load(fresh.store_id) or b""
    try:
        new_key = fresh.unlock_user(username, password, secret)
    except AuthFailed:
        return False
    if _opens(paths.db, new_key):
        _promote(paths, fresh)
        return True
    try:
        old_key = KeySlotFile.load(paths.slots).unlock_user(username, password, secret)
    except (AuthFailed, KeySlotCorrupt):
        return False
    if _opens(paths.db, old_key):
        pending.unlink(missing_ok=True)
        return True
    return False


class KeyService(Service):
    def _confirm_administrator(self, password: str) -> None:
        """The right to manage users, and the password typed again now (a left-open session is not enough)."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if not self.s.verify_password(password):
            raise AuthFailed("密码不正确。")

    def export_key(self, password: str) -> bytes:
        """The raw database key, for a SQLCipher 4 shell in the hands of support staff (audited)."""
        self._confirm_administrator(password)
        with self.store.transaction():
            self.store.audit(self.s.user.username, "导出数据库密钥", "", "", {"format": "sqlcipher4-raw-key"})
        return self.s._root._key

    def rekey(self, password: str, progress: Any = None) -> RekeyResult:
        """Re-encrypt the whole database under a new random key (administrator only).

        Run it as a write op: it rewrites every page. Afterwards the administrator's slot and a
        new recovery slot wrap the new key; every other active user needs a new password.
        """
        self._confirm_administrator(password)
        s = self.s
        me = s.user.username
        _report(progress, 0, "正在为管理员和新的恢复码生成密钥槽…")
        users_to_reset = sorted(u.username for u in self.store.repo(User).where("active = 1") if u.username != me)
        new_key = secrets.token_bytes(KEY_BYTES)
        code = new_recovery_code()
        secret = device_secret.load(s.slots.store_id)
        if secret is None:
            secret = device_secret.create(s.slots.store_id)
        current = KeySlotFile.load(s.paths.slots)
        fresh = KeySlotFile(store_id=current.store_id, office_code=current.office_code)
        fresh.set_user(me, password, new_key, secret)
        fresh.set_recovery(code, new_key)
        pending = pending_path(s.paths)
        write_atomic(pending, fresh.to_json().encode("utf-8"))

        pages = int(self.db.scalar("PRAGMA page_count") or 0)
        _report(progress, 1, f"正在重新加密数据库的全部 {pages} 页…")
        try:
            _rewrite_pages(self.db, new_key)
        except BaseException:
            # Nothing committed (one transaction): the old key and the old slots stand.
            if _opens(s.paths.db, s._root._key):
                pending.unlink(missing_ok=True)
            raise
        s._adopt_new_key(new_key)
        _report(progress, 2, "正在写入新的密钥槽…", may_stop=False)
        s.slots = _promote(s.paths, fresh)
        # Old-key frames left in the write-ahead log are no use to anyone; fold them away if we can.
        with contextlib.suppress(Exception):
            self.db.checkpoint()
        with self.store.transaction():
            self.store.audit(me, "重新加密数据库", "users", "", {"pages": pages, "users_to_reset": users_to_reset})
        _report(progress, STEPS, "完成", may_stop=False)
        return RekeyResult(recovery_code=code, pages=pages, users_to_reset=users_to_reset)
