"""Backups are encrypted, checked copies; restore refuses a damaged one and never deletes an office."""

import json
import stat
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.db.database import Database
from app.db.migrations import script
from app.db.schema import _statements, latest_version, migrate
from app.errors import AuthFailed, DatabaseCorrupt
from app.services import backup
from app.services.backup import BackupService, choose_kept
from app.services.office import open_session
from tests.conftest import ADMIN_PASSWORD


def _household_count(data_dir):
    s = open_session(data_dir, "admin", ADMIN_PASSWORD)
    try:
        return s.db.scalar("SELECT count(*) FROM audit_log")
    finally:
        s.close()


def test_backup_is_an_encrypted_checked_copy_with_a_manifest(office, tmp_path):
    session, _code, data_dir = office
    result = BackupService(session).backup_now(folder=tmp_path / "usb")
    assert result.path.parent == tmp_path / "usb"
    assert result.path.name.startswith("doudi-640424100000-")
    names = {p.name for p in result.path.iterdir()}
    assert {"office.db", "keyslots.json", "manifest.json"} <= names
    assert not list((tmp_path / "usb").glob(".*"))  # no temporary folder left behind
    db_bytes = (result.path / "office.db").read_bytes()
    assert not db_bytes.startswith(b"SQLite format 3")  # still encrypted
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["office_code"] == "640424100000"
    assert manifest["schema_version"] == latest_version()
    head = session.db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert manifest["audit_chain_head"] == {"seq": head[0], "hash": head[1]}
    # The database and every copy of the key slots the office keeps.
    assert set(manifest["files"]) == {"office.db"} | {p.name for p in data_dir.glob("keyslots*.json")}
    # The copy opens with the office's key and holds the register.
    copy = Database(result.path / "office.db", session._key)
    assert copy.scalar("SELECT value FROM meta WHERE key = 'office_code'") == "640424100000"
    copy.close()
    for p in [result.path, *result.path.iterdir()]:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0  # owner-only
    last = backup.last_backup(data_dir)
    assert last is not None and last[1] == result.path


def test_default_folder_is_under_the_data_folder_and_can_be_chosen(office, tmp_path):
    _session, _code, data_dir = office
    assert backup.backup_folder(data_dir) == data_dir / "backups"
    backup.set_backup_folder(data_dir, tmp_path / "stick")
    assert backup.backup_folder(data_dir) == (tmp_path / "stick").resolve()


def test_restore_onto_a_new_data_folder(office, tmp_path):
    session, _code, _data_dir = office
    made = BackupService(session).backup_now(folder=tmp_path / "b")
    result = backup.restore(made.path, tmp_path / "new", username="admin", password=ADMIN_PASSWORD)
    assert result.aside is None
    assert result.office_code == "640424100000"
    s = open_session(tmp_path / "new", "admin", ADMIN_PASSWORD)
    assert s.office.code == "640424100000"
    s.close()


def test_restore_over_an_office_keeps_the_old_one_aside(office, tmp_path):
    session, _code, data_dir = office
    made = BackupService(session).backup_now(folder=tmp_path / "b")
    before = _household_count(data_dir)
    session.users.add("later1", "clerk", "later-pass-2021")  # made after the backup
    session.close()
    result = backup.restore(made.path, data_dir, username="admin", password=ADMIN_PASSWORD)
    assert result.aside is not None and result.aside.name.startswith("office.before-restore-")
    assert (result.aside / "office.db").exists()  # never deleted
    assert _household_count(data_dir) == before
    old = open_session(result.aside, "later1", "later-pass-2021")  # the replaced office still opens
    old.close()


def test_a_tampered_backup_is_refused_and_nothing_is_replaced(office, tmp_path):
    session, _code, data_dir = office
    made = BackupService(session).backup_now(folder=tmp_path / "b")
    session.close()
    raw = bytearray((made.path / "office.db").read_bytes())
    raw[5000] ^= 0x01
    (made.path / "office.db").write_bytes(bytes(raw))
    before = sorted(p.name for p in data_dir.parent.iterdir())
    with pytest.raises(DatabaseCorrupt, match=r"office\.db 与清单不符"):
        backup.restore(made.path, data_dir, username="admin", password=ADMIN_PASSWORD)
    assert sorted(p.name for p in data_dir.parent.iterdir()) == before
    assert _household_count(data_dir) > 0


def test_a_wrong_password_replaces_nothing(office, tmp_path):
    session, _code, data_dir = office
    made = BackupService(session).backup_now(folder=tmp_path / "b")
    session.close()
    before = sorted(p.name for p in data_dir.parent.iterdir())
    with pytest.raises(AuthFailed):
        backup.restore(made.path, data_dir, username="admin", password="wrong-password-1")
    assert sorted(p.name for p in data_dir.parent.iterdir()) == before


def test_restore_with_the_recovery_code_on_a_pc_without_the_device_secret(office, tmp_path, memory_keyring):
    session, code, _data_dir = office
    made = BackupService(session).backup_now(folder=tmp_path / "b")
    memory_keyring.items.clear()  # another PC: no device secret
    assert backup.restore_needs(made.path) == "recovery"
    result = backup.restore(made.path, tmp_path / "elsewhere", recovery_code=code)
    assert result.needs_recover


def test_automatic_backup_runs_once_a_day(office, tmp_path):
    session, _code, data_dir = office
    service = BackupService(session)
    monday = datetime(2026, 3, 2, 9, 0)
    assert service.backup_if_due(now=monday) is not None
    assert service.backup_if_due(now=monday + timedelta(hours=5)) is None
    assert service.backup_if_due(now=monday + timedelta(days=1, minutes=1)) is not None
    assert len(list((data_dir / "backups").iterdir())) == 2


def test_migrating_an_older_database_calls_before_upgrade_once(tmp_path):
    db = Database(tmp_path / "v1.db", b"\x05" * 32, create=True)
    with db.transaction():
        for statement in _statements(script(1)):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
    calls = []
    migrate(db, before_upgrade=lambda old, new: calls.append((old, new)))
    assert calls == [(1, latest_version())]
    migrate(db, before_upgrade=lambda old, new: calls.append((old, new)))  # up to date: no backup
    assert len(calls) == 1
    db.close()


def test_a_failing_pre_upgrade_backup_leaves_the_schema_alone(tmp_path):
    db = Database(tmp_path / "v1.db", b"\x05" * 32, create=True)
    with db.transaction():
        for statement in _statements(script(1)):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")

    def fail(_old, _new):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        migrate(db, before_upgrade=fail)
    assert db.scalar("PRAGMA user_version") == 1
    db.close()


# --- rotation -------------------------------------------------------------------

stamps = st.lists(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)), min_size=0, max_size=200
)


@settings(max_examples=200)
@given(stamps)
def test_rotation_keeps_the_newest_of_each_recent_day_week_and_month(times):
    kept = choose_kept(times)
    assert kept <= set(times)
    assert len(kept) <= 7 + 4 + 12
    if times:
        assert max(times) in kept
    for period, count in (
        (lambda t: t.date(), 7),
        (lambda t: t.isocalendar()[:2], 4),
        (lambda t: (t.year, t.month), 12),
    ):
        recent = sorted({period(t) for t in times}, reverse=True)[:count]
        for p in recent:
            assert max(t for t in times if period(t) == p) in kept
    assert choose_kept(kept) == kept  # rotating again removes nothing more


def test_rotation_of_a_year_of_daily_backups():
    start = datetime(2026, 1, 1, 18, 0)
    days = [start + timedelta(days=i) for i in range(365)]
    kept = choose_kept(days)
    assert sorted(kept)[-7:] == days[-7:]
    assert len({(t.year, t.month) for t in kept}) == 12
    assert len(kept) <= 23
