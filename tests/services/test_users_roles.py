"""Who may set whose password, what deactivating does to the key slots, and re-keying the database.

The key-slot file wraps the database key. Deactivating a user drops their slot, but a copy of the
old file (a backup, a USB stick) still holds a slot that unwraps the same key, so only a re-key
makes such a copy useless. These tests use real encrypted offices.
"""

from __future__ import annotations

import shutil

import pytest

from app.db.database import Database
from app.db.keyslots import KeySlotFile
from app.errors import AuthFailed, DatabaseCorrupt, InvalidInput, PermissionDenied
from app.services import rekey as rekey_module
from app.services.office import open_session, recover
from tests.conftest import ADMIN_PASSWORD

# A key the database does not take: the sign-in says so as a wrong key or as a slot file that is not its own.
WRONG_KEY = (AuthFailed, DatabaseCorrupt)


def _admin_unlocks(slots: KeySlotFile, password: str = ADMIN_PASSWORD) -> bytes:
    from app.db import device_secret

    return slots.unlock_user("admin", password, device_secret.load(slots.store_id) or b"")


# --- 1. a clerk cannot set anyone else's password ----------------------------------------


def test_a_clerk_cannot_set_the_administrators_password_by_any_service_path(office, clerk):
    _admin, _code, data_dir = office
    stolen = "clerk-owns-admin-2031"
    with pytest.raises(PermissionDenied):
        clerk._set_password("admin", stolen)
    with pytest.raises(PermissionDenied):
        clerk.users.reset_password("admin", stolen)
    with pytest.raises(PermissionDenied):
        clerk.users.add("admin2", "admin", stolen)
    with pytest.raises(AuthFailed):
        clerk.change_password("not-the-old-one", stolen)
    with pytest.raises(PermissionDenied):
        clerk.keys.rekey("clerk-pass-2021")
    # a twin of the clerk's session (what a background op is handed) is the same clerk
    twin = clerk._twin_of(clerk)
    try:
        with pytest.raises(PermissionDenied):
            twin._set_password("admin", stolen)
    finally:
        twin._db.close()
    with pytest.raises(AuthFailed):
        open_session(data_dir, "admin", stolen)
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()


def test_a_clerk_still_changes_their_own_password_with_the_old_one(office, clerk):
    _admin, _code, data_dir = office
    clerk.change_password("clerk-pass-2021", "clerk-new-pass-2031")
    open_session(data_dir, "clerk1", "clerk-new-pass-2031").close()


def test_the_administrator_sets_another_users_password(office, clerk):
    admin, _code, data_dir = office
    admin.users.reset_password("clerk1", "clerk-reset-2031")
    open_session(data_dir, "clerk1", "clerk-reset-2031").close()


# --- 2. deactivating removes the slot; an old slot file still holds one ---------------------


def test_deactivating_removes_the_users_slot_and_sign_in(office, clerk):
    admin, _code, data_dir = office
    assert admin.slots.user_slot("clerk1") is not None
    admin.users.deactivate("clerk1")
    assert KeySlotFile.load(admin.paths.slots).user_slot("clerk1") is None
    assert admin.slots.user_slot("clerk1") is None
    with pytest.raises(AuthFailed):
        open_session(data_dir, "clerk1", "clerk-pass-2021")


def test_an_old_copy_of_the_slot_file_still_unwraps_the_key_until_a_rekey(office, clerk, tmp_path):
    """Why re-keying exists: without it the deactivated clerk's old slot still opens the database."""
    admin, _code, data_dir = office
    old_copy = tmp_path / "keyslots-copy.json"
    shutil.copy(admin.paths.slots, old_copy)
    admin.users.deactivate("clerk1")
    from app.db import device_secret

    old = KeySlotFile.load(old_copy)
    key = old.unlock_user("clerk1", "clerk-pass-2021", device_secret.load(old.store_id) or b"")
    Database(admin.paths.db, key).close()  # opens: same key

    admin.keys.rekey(ADMIN_PASSWORD)
    with pytest.raises(WRONG_KEY):
        Database(admin.paths.db, key)
    # the old file put back in place opens nothing, for the clerk or the administrator
    admin.close()
    shutil.copy(old_copy, admin.paths.slots)
    with pytest.raises(WRONG_KEY):
        open_session(data_dir, "clerk1", "clerk-pass-2021")
    with pytest.raises(WRONG_KEY):
        open_session(data_dir, "admin", ADMIN_PASSWORD)


# --- 3. re-key ----------------------------------------------------------------------------


def test_rekey_makes_an_old_slot_file_useless_and_keeps_the_register(office, tmp_path):
    admin, old_code, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021", display_name="王经办")
    households_before = admin.db.scalar("SELECT count(*) FROM users")
    old_copy = tmp_path / "keyslots-before.json"
    shutil.copy(admin.paths.slots, old_copy)
    old_key = _admin_unlocks(KeySlotFile.load(old_copy))

    steps = []

    class Progress:
        def update(self, done=None, total=None, label=None):
            steps.append((done, total, label))

    result = admin.keys.rekey(ADMIN_PASSWORD, Progress())

    # the old file's admin slot and recovery slot unwrap the old key, which opens nothing now
    assert _admin_unlocks(KeySlotFile.load(old_copy)) == old_key
    with pytest.raises(WRONG_KEY):
        Database(admin.paths.db, old_key)
    with pytest.raises(WRONG_KEY):
        Database(admin.paths.db, KeySlotFile.load(old_copy).unlock_recovery(old_code))
    # with the current slot file the administrator signs in, and the register is all there
    s = open_session(data_dir, "admin", ADMIN_PASSWORD)
    assert s.db.scalar("SELECT count(*) FROM users") == households_before
    assert not s.store.verify_audit_chain()
    assert s.db.integrity_problems() == []
    s.close()
    # the new recovery code works, the old one does not
    assert result.recovery_code != old_code
    with pytest.raises(WRONG_KEY):
        recover(data_dir, "admin", old_code, "admin-recovered-2031")
    recover(data_dir, "admin", result.recovery_code, "admin-recovered-2031").close()
    # the other users' passwords could not be rewrapped: they wait for the administrator
    assert result.users_to_reset == ["clerk1"]
    assert steps and steps[-1][0] == steps[-1][1]
    assert result.pages > 0


def test_after_a_rekey_other_users_need_a_reset_and_then_sign_in(office):
    admin, _code, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021")
    admin.keys.rekey(ADMIN_PASSWORD)
    assert admin.users.needing_password() == ["clerk1"]
    with pytest.raises(AuthFailed):
        open_session(data_dir, "clerk1", "clerk-pass-2021")
    admin.users.reset_password("clerk1", "clerk-after-rekey-2031")
    assert admin.users.needing_password() == []
    s = open_session(data_dir, "clerk1", "clerk-after-rekey-2031")
    assert s.user.role == "clerk"
    s.close()


def test_the_session_keeps_working_on_every_thread_after_a_rekey(office):
    import threading

    admin, _code, _dir = office
    before: dict[str, int] = {}

    def on_worker(out):
        twin = admin.for_thread()
        out["n"] = twin.db.scalar("SELECT count(*) FROM users")

    t = threading.Thread(target=on_worker, args=(before,))
    t.start()
    t.join()
    admin.keys.rekey(ADMIN_PASSWORD)
    # the home connection reopens with the new key; new twins get it too
    assert admin.users.list()[0].username == "admin"
    after: dict[str, int] = {}
    t = threading.Thread(target=on_worker, args=(after,))
    t.start()
    t.join()
    assert after["n"] == before["n"] == 1
    # and a password set after the rekey wraps the new key
    admin.change_password(ADMIN_PASSWORD, "admin-new-pass-2031")
    admin.close()
    open_session(admin.paths.data_dir, "admin", "admin-new-pass-2031").close()


def test_rekey_needs_the_administrators_password_again(office):
    admin, _code, data_dir = office
    with pytest.raises(AuthFailed):
        admin.keys.rekey("wrong-password-2031")
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()  # nothing changed


def test_rekey_is_audited(office):
    admin, _code, _dir = office
    admin.keys.rekey(ADMIN_PASSWORD)
    actions = [r[0] for r in admin.db.query("SELECT action FROM audit_log ORDER BY seq")]
    assert "重新加密数据库" in actions


def test_a_rekey_cut_off_after_the_database_was_rewritten_is_finished_at_next_sign_in(office, monkeypatch):
    """The database is re-encrypted but the process dies before the slot file is replaced."""
    admin, _code, data_dir = office

    def die(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(rekey_module, "_promote", die)
    with pytest.raises(KeyboardInterrupt):
        admin.keys.rekey(ADMIN_PASSWORD)
    monkeypatch.undo()
    admin.close()
    assert rekey_module.pending_path(admin.paths).exists()
    # Signing in settles it by itself: the pending slots (the new key) are put in place.
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()
    assert not rekey_module.pending_path(admin.paths).exists()


def test_a_rekey_cut_off_before_the_database_was_rewritten_leaves_the_old_key(office, monkeypatch):
    admin, _code, data_dir = office

    def die(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(rekey_module, "_rewrite_pages", die)
    with pytest.raises(KeyboardInterrupt):
        admin.keys.rekey(ADMIN_PASSWORD)
    monkeypatch.undo()
    assert not rekey_module.pending_path(admin.paths).exists()  # tidied: nothing was rewritten
    admin.close()
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()

    # a hard kill leaves the pending slots of a key the database never got: sign-in drops them
    import secrets

    from app.db import device_secret

    old = KeySlotFile.load(admin.paths.slots)
    pending = KeySlotFile(store_id=old.store_id, office_code=old.office_code)
    pending.set_user("admin", ADMIN_PASSWORD, secrets.token_bytes(32), device_secret.load(old.store_id) or b"")
    rekey_module.pending_path(admin.paths).write_text(pending.to_json(), encoding="utf-8")
    assert rekey_module.finish_interrupted_rekey(admin.paths, "admin", ADMIN_PASSWORD)
    assert not rekey_module.pending_path(admin.paths).exists()
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()


# --- 4. exporting the raw key for a SQLCipher 4 shell -------------------------------------


def test_only_the_administrator_exports_the_key_after_reentering_the_password(office, clerk):
    admin, _code, _dir = office
    with pytest.raises(PermissionDenied):
        clerk.keys.export_key("clerk-pass-2021")
    with pytest.raises(AuthFailed):
        admin.keys.export_key("wrong-password-2031")
    key = admin.keys.export_key(ADMIN_PASSWORD)
    Database(admin.paths.db, key).close()
    audited = admin.db.query("SELECT username, action FROM audit_log WHERE action = '导出数据库密钥'")
    assert audited == [("admin", "导出数据库密钥")]


def test_weak_password_is_refused_before_anything_is_written(office):
    admin, _code, _dir = office
    before = admin.paths.slots.read_bytes()
    with pytest.raises(InvalidInput):
        admin.users.add("clerk9", "clerk", "short")
    assert admin.paths.slots.read_bytes() == before
