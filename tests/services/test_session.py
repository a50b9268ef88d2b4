"""Signing in, recovery, device secrets and roles, as the clerk and the administrator meet them."""

from datetime import date
from typing import Any

import pytest

from app.db import device_secret
from app.db.database import Database
from app.errors import (
    AlreadyExists,
    AuthFailed,
    DeviceSecretMissing,
    InvalidInput,
    KeySlotCorrupt,
    NoDatabase,
    PermissionDenied,
)
from app.services.office import LoginThrottle, create_office, open_session, password_strength, recover
from app.services.session import Session, WrongThread
from tests.conftest import ADMIN_PASSWORD
from tests.factories import household, member


def test_create_office_names_it_from_the_division_table(office):
    session, _code, _ = office
    assert (session.office.code, session.office.name, session.office.kind) == ("640424100000", "香水镇", "township")
    assert session.user.role == "admin"
    assert session.db.scalar("SELECT count(*) FROM divisions WHERE level = 'village'") == 112


def test_unknown_code_needs_a_name(tmp_path):
    with pytest.raises(InvalidInput) as exc:
        create_office(tmp_path / "x", "110105", "admin", ADMIN_PASSWORD)
    assert "单位名称" in str(exc.value)
    s, _ = create_office(tmp_path / "y", "110105", "admin", ADMIN_PASSWORD, office_name="某街道")
    assert s.office.name == "某街道"
    s.close()


def test_county_office(tmp_path):
    s, _ = create_office(tmp_path / "c", "640424", "admin", ADMIN_PASSWORD)
    assert (s.office.kind, s.office.name) == ("county", "泾源县")
    s.close()


def test_an_office_is_never_overwritten(office):
    _, _, data_dir = office
    with pytest.raises(AlreadyExists):
        create_office(data_dir, "640424100", "admin", ADMIN_PASSWORD)


def test_weak_password_refused_before_anything_is_written(tmp_path):
    with pytest.raises(InvalidInput):
        create_office(tmp_path / "w", "640424100", "admin", "short")
    assert not (tmp_path / "w" / "office.db").exists()
    assert password_strength("short") <= 1 < password_strength("Longer-pass-2021")


def test_sign_in_right_and_wrong(office):
    _, _, data_dir = office
    s = open_session(data_dir, "admin", ADMIN_PASSWORD)
    assert s.user.username == "admin"
    s.close()
    with pytest.raises(AuthFailed) as exc:
        open_session(data_dir, "admin", "not the password")
    assert str(exc.value) == "用户名或密码不正确。"
    with pytest.raises(AuthFailed):
        open_session(data_dir, "ghost", ADMIN_PASSWORD)


def test_missing_database(tmp_path):
    with pytest.raises(NoDatabase) as exc:
        open_session(tmp_path / "none", "admin", ADMIN_PASSWORD)
    assert "doudi init" in str(exc.value)


def test_corrupt_keyslot_file(office):
    _, _, data_dir = office
    (data_dir / "keyslots.json").write_text("garbage")
    (data_dir / "keyslots.backup.json").write_text("garbage")
    with pytest.raises(KeySlotCorrupt):
        open_session(data_dir, "admin", ADMIN_PASSWORD)


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble"])
def test_a_lost_or_damaged_slot_file_falls_back_to_its_second_copy(office, damage, caplog):
    _, _, data_dir = office
    slots = data_dir / "keyslots.json"
    if damage == "delete":
        slots.unlink()
    elif damage == "truncate":
        slots.write_bytes(slots.read_bytes()[:100])
    else:
        slots.write_text(slots.read_text().replace('"salt": "', '"salt": "!!', 1))
    with caplog.at_level("WARNING"):
        open_session(data_dir, "admin", ADMIN_PASSWORD).close()
    assert "keyslots.backup.json" in caplog.text


def test_check_is_told_about_a_damaged_key_slot_copy(office):
    from app.services.office_files import key_slot_copy_problems

    session, _, data_dir = office
    assert key_slot_copy_problems(data_dir) == []
    (data_dir / "keyslots.backup.json").write_text("{")
    (problem,) = key_slot_copy_problems(data_dir)
    assert "keyslots.backup.json" in problem
    session.change_password(ADMIN_PASSWORD, "another-pass-77")  # any change rewrites both copies
    assert key_slot_copy_problems(data_dir) == []


def test_a_garbled_device_secret_is_one_sentence_not_a_wrong_password(office, memory_keyring):
    _, code, data_dir = office
    (key,) = memory_keyring.items
    memory_keyring.items[key] = "not base64 at all!"
    with pytest.raises(DeviceSecretMissing) as exc:
        open_session(data_dir, "admin", ADMIN_PASSWORD)
    assert "设备密钥已损坏" in str(exc.value) and "doudi recover" in str(exc.value)
    recover(data_dir, "admin", code, "brand-new-pass-1").close()  # the way out it names works
    open_session(data_dir, "admin", "brand-new-pass-1").close()


def test_an_unknown_user_name_costs_the_same_key_derivation(office, monkeypatch):
    from app.db import keyslots

    _, _, data_dir = office
    calls = []
    real = keyslots.derive

    def counting(*args):
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(keyslots, "derive", counting)
    for name in ("admin", "ghost"):
        with pytest.raises(AuthFailed) as exc:
            open_session(data_dir, name, "not the password")
        assert str(exc.value) == "用户名或密码不正确。"
    known, unknown = calls
    assert known == unknown  # the same Argon2id parameters, so the same time


def test_parallel_wrong_passwords_are_all_counted_and_cannot_pass_the_back_off(office):
    import threading

    _, _, data_dir = office
    results: list[str] = []
    start = threading.Barrier(8)

    def attempt():
        start.wait()
        try:
            open_session(data_dir, "admin", "not the password").close()
        except AuthFailed as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    tried = [r for r in results if "不正确" in r]
    assert len(tried) == LoginThrottle.FREE_TRIES  # the rest waited, none derived the key
    state = __import__("json").loads((data_dir / "login-state.json").read_text())
    assert state["admin"]["failures"] == LoginThrottle.FREE_TRIES


def test_throttle_counts_every_failure_from_parallel_processes(tmp_path):
    import multiprocessing

    path = tmp_path / "login-state.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_fail_many, args=(path, 25)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert __import__("json").loads(path.read_text())["u"]["failures"] == 100


def _fail_many(path, n):
    throttle = LoginThrottle(path)
    for _ in range(n):
        throttle.failed("u")


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX permissions")
def test_office_files_are_owner_only(office):
    _, _, data_dir = office
    for _ in range(2):
        with pytest.raises(AuthFailed):
            open_session(data_dir, "admin", "wrong")  # writes login-state.json
    assert data_dir.stat().st_mode & 0o777 == 0o700
    for name in ("office.db", "keyslots.json", "keyslots.backup.json", "login-state.json"):
        assert (data_dir / name).stat().st_mode & 0o777 == 0o600, name


def test_copied_to_another_pc_needs_the_recovery_code(office, memory_keyring):
    _session, code, data_dir = office
    memory_keyring.items.clear()  # the other PC has no device secret
    with pytest.raises(DeviceSecretMissing) as exc:
        open_session(data_dir, "admin", ADMIN_PASSWORD)
    assert "恢复码" in str(exc.value)
    s = recover(data_dir, "admin", code, "brand-new-pass-1")
    s.close()
    s = open_session(data_dir, "admin", "brand-new-pass-1")
    assert s.db.scalar("SELECT count(*) FROM audit_log WHERE action = '用恢复码重设密码'") == 1
    s.close()


def test_wrong_recovery_code(office):
    _, _, data_dir = office
    with pytest.raises(AuthFailed) as exc:
        recover(data_dir, "admin", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "brand-new-pass-1")
    assert "恢复码不正确" in str(exc.value)


def test_back_off_after_repeated_failures(office):
    _, _, data_dir = office
    for _ in range(LoginThrottle.FREE_TRIES):
        with pytest.raises(AuthFailed) as exc:
            open_session(data_dir, "admin", "wrong")
        assert "不正确" in str(exc.value)
    with pytest.raises(AuthFailed) as exc:
        open_session(data_dir, "admin", ADMIN_PASSWORD)  # even the right password waits
    assert "秒后再试" in str(exc.value)


def test_throttle_delays_grow_and_reset():
    now = [1000.0]
    t = LoginThrottle(__import__("pathlib").Path("/tmp/doudi-throttle-test.json"), clock=lambda: now[0])
    t.succeeded("u")
    for _ in range(3):
        t.failed("u")
    assert t.wait_seconds("u") == 2
    t.failed("u")
    assert t.wait_seconds("u") == 4
    now[0] += 10
    assert t.wait_seconds("u") == 0
    t.succeeded("u")
    t.failed("u")
    assert t.wait_seconds("u") == 0


def test_change_password_keeps_the_data(office):
    session, _code, data_dir = office
    session.change_password(ADMIN_PASSWORD, "another-pass-77")
    with pytest.raises(AuthFailed):
        session.change_password("wrong-old", "x-another-pass")
    s = open_session(data_dir, "admin", "another-pass-77")
    s.close()
    with pytest.raises(AuthFailed):
        open_session(data_dir, "admin", ADMIN_PASSWORD)


def test_roles_are_enforced_in_services(office):
    admin, _, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021")
    admin.users.add("county1", "county", "county-pass-2021")
    clerk = open_session(data_dir, "clerk1", "clerk-pass-2021")
    county = open_session(data_dir, "county1", "county-pass-2021")
    try:
        with pytest.raises(PermissionDenied) as exc:
            clerk.users.add("x", "clerk", "whatever-pass-1")
        assert "经办人" in str(exc.value)
        with pytest.raises(PermissionDenied):
            county.households.add(household(), [member("马学军", date(1958, 3, 4))])
        clerk.households.add(household(), [member("马学军", date(1958, 3, 4))])
    finally:
        clerk.close()
        county.close()


def test_deactivated_user_cannot_sign_in(office):
    admin, _, data_dir = office
    admin.users.add("clerk2", "clerk", "clerk-pass-2021")
    admin.users.deactivate("clerk2")
    with pytest.raises(AuthFailed):
        open_session(data_dir, "clerk2", "clerk-pass-2021")


def test_file_store_when_there_is_no_credential_store(tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDI_KEYRING", "file")
    assert device_secret.storage_kind() == "file"
    secret = device_secret.create("store-x")
    path = tmp_path / "config" / "device-secrets" / "store-x.key"
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert device_secret.load("store-x") == secret
    device_secret.forget("store-x")
    assert device_secret.load("store-x") is None


def test_worker_threads_get_their_own_connection_with_the_same_user(clerk):
    import threading

    from tests.factories import household as _household
    from tests.factories import member as _member

    assert clerk.for_thread() is clerk
    seen: dict[str, Any] = {}

    def work():
        twin = clerk.for_thread()
        seen["same"] = twin is clerk.for_thread()
        seen["db"] = twin.db is not clerk._db
        try:
            clerk.households.get("x")
        except WrongThread:
            seen["refused"] = True
        seen["user"] = twin.user.username
        h = twin.households.add(_household(), [_member("线程户", date(1980, 1, 1))])
        seen["id"] = h.id

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen["same"] and seen["db"] and seen["user"] == "clerk1"
    assert seen["refused"], "another thread's session must not hand out its connection"
    assert clerk.households.get(seen["id"])[0].head_name == "线程户"  # committed, visible on the GUI side
    assert clerk.store.verify_audit_chain() == []


def test_two_open_sessions_do_not_undo_each_others_key_slots(office):
    admin, _, data_dir = office
    admin.users.add("clerk1", "clerk", "clerk-pass-2021")
    clerk = open_session(data_dir, "clerk1", "clerk-pass-2021")  # holds a copy of the slots
    try:
        admin.users.add("clerk2", "clerk", "clerk-pass-2022")
        clerk.change_password("clerk-pass-2021", "clerk-pass-2023")  # writes from its older copy
        open_session(data_dir, "clerk2", "clerk-pass-2022").close()  # clerk2 can still sign in
        open_session(data_dir, "clerk1", "clerk-pass-2023").close()
    finally:
        clerk.close()


def test_wrong_passwords_at_the_idle_lock_count_towards_the_back_off(office):
    session = office[0]
    for _ in range(LoginThrottle.FREE_TRIES):
        assert session.verify_password("wrong") is False
    with pytest.raises(AuthFailed) as exc:
        session.verify_password(ADMIN_PASSWORD)
    assert "秒后再试" in str(exc.value)


def test_password_resets_are_for_the_administrator_on_real_users(office, clerk):
    admin = office[0]
    with pytest.raises(PermissionDenied):
        clerk.users.reset_password("clerk1", "another-pass-2021")
    with pytest.raises(InvalidInput):
        admin.users.reset_password("admin", "another-pass-2021")
    from app.errors import NotFound

    with pytest.raises(NotFound):
        admin.users.reset_password("ghost", "another-pass-2021")
    assert all(s.user != "ghost" for s in admin.slots.slots)
    admin.users.reset_password("clerk1", "reset-by-admin-1")
    open_session(office[2], "clerk1", "reset-by-admin-1").close()


def test_a_session_opened_on_a_worker_is_adopted_by_the_gui_thread(office):
    import threading

    _, _, data_dir = office
    box: dict[str, Session] = {}
    t = threading.Thread(target=lambda: box.update(s=open_session(data_dir, "admin", ADMIN_PASSWORD)))
    t.start()
    t.join()
    s = box["s"]
    try:
        s.adopt_thread()
        assert s.for_thread() is s
        other: dict[str, Database] = {}
        w = threading.Thread(target=lambda: other.update(db=s.for_thread().db))
        w.start()
        w.join()
        assert other["db"] is not s.db
    finally:
        s.close()


def test_a_demo_that_fails_half_way_removes_its_files(tmp_path, monkeypatch, memory_keyring):
    from app.services import demo

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "load_synthetic", broken)
    with pytest.raises(RuntimeError):
        demo.create_demo(tmp_path / "demo", "demo-pass-2021", households=5)
    assert list(tmp_path.iterdir()) == []  # no office, no build folder beside it
    assert memory_keyring.items == {}
    monkeypatch.undo()
    session, _code, _counts = demo.create_demo(tmp_path / "demo", "demo-pass-2021", households=5)
    session.close()


def test_demo_households_have_an_upper_bound(tmp_path):
    from app.services import demo

    with pytest.raises(InvalidInput) as exc:
        demo.create_demo(tmp_path / "demo", "demo-pass-2021", households=demo.MAX_DEMO_HOUSEHOLDS + 1)
    assert "最多" in str(exc.value) and exc.value.field == "households"
    assert not (tmp_path / "demo").exists()


def test_init_into_an_existing_folder_with_other_files(tmp_path):
    data_dir = tmp_path / "office"
    (data_dir / "logs").mkdir(parents=True)
    s, _ = create_office(data_dir, "640424100", "admin", ADMIN_PASSWORD)
    s.close()
    assert (data_dir / "logs").is_dir()
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()
    assert [p.name for p in tmp_path.iterdir()] == ["office"]


def test_a_data_folder_that_is_a_file_is_one_sentence(tmp_path):
    from app.errors import StorageProblem

    (tmp_path / "office").write_text("")
    with pytest.raises(StorageProblem) as exc:
        create_office(tmp_path / "office", "640424100", "admin", ADMIN_PASSWORD)
    assert "是一个文件" in str(exc.value)
