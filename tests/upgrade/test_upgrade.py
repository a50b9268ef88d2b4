"""A newer program opens an office made by an older one; an older program refuses a newer one (issue 14 point 4).

Every earlier schema version is tried: the office is backed up first (encrypted, where this PC's
backups go), migrated, and says so; its rows are all there, ``check`` is clean, and the backup
restores. A database newer than the program is refused with one sentence and left byte for byte.
"""

from __future__ import annotations

import hashlib

import pytest

from app.db.database import Database
from app.db.schema import latest_version
from app.errors import DatabaseCorrupt
from app.services.backup import backup_folder, read_manifest, restore
from app.services.integrity import check_report
from app.services.office import UPGRADING, open_session, upgrade_note
from app.services.office_files import DB_NAME
from tests.cli.test_cli import assert_one_sentence, doudi, env  # noqa: F401 - fixtures
from tests.upgrade.old_offices import PASSWORD, Template, make_old_office

# Tables whose every row the test follows through the upgrade (the register and its history).
FOLLOWED = ("users", "households", "members", "visits", "enrolments", "payments", "income_items", "audit_log")


def _ids(db: Database, table: str) -> set[str]:
    column = "seq" if table == "audit_log" else "id"
    return {str(r[0]) for r in db.query(f"SELECT {column} FROM {table}")}


@pytest.mark.parametrize("version", range(1, latest_version()))
def test_a_newer_program_backs_up_migrates_and_says_so(template: Template, tmp_path, version, caplog):
    data = tmp_path / "office"
    make_old_office(template, data, version)
    old = Database(data / DB_NAME, template.key)
    before = {t: _ids(old, t) for t in FOLLOWED if old.scalar("SELECT 1 FROM sqlite_master WHERE name = ?", (t,))}
    old.close()
    assert before["households"] and before["members"] and before["visits"]

    heard: list[str] = []
    session = open_session(data, "admin", PASSWORD, progress=heard.append)
    try:
        assert heard == [UPGRADING]  # the sign-in window says why it takes a while
        note = upgrade_note(session)
        assert note is not None
        assert (note.from_version, note.to_version) == (version, latest_version())
        assert note.backup.parent == backup_folder(data)
        assert str(note.backup) in note.message() and f"版本 {version}" in note.message()
        assert note.message() in caplog.text  # a warning: the command line prints it on standard error
        assert session.db.scalar("PRAGMA user_version") == latest_version()
        for table, ids in before.items():
            assert ids <= _ids(session.db, table), table
        report = check_report(session, data)
        assert report["problems"] == []
    finally:
        session.close()

    assert read_manifest(note.backup)["schema_version"] == version
    assert (note.backup / DB_NAME).read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted like every backup
    restored = restore(note.backup, tmp_path / "restored", username="admin", password=PASSWORD)
    back = open_session(restored.data_dir, "admin", PASSWORD)
    try:
        assert _ids(back.db, "households") == before["households"]
    finally:
        back.close()


def test_a_current_office_opens_without_a_backup_or_a_note(template: Template, tmp_path):
    data = tmp_path / "office"
    make_old_office(template, data, latest_version())
    heard: list[str] = []
    session = open_session(data, "admin", PASSWORD, progress=heard.append)
    try:
        assert upgrade_note(session) is None and heard == []
    finally:
        session.close()
    assert not backup_folder(data).exists()


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _make_newer(template: Template, data, newer: int) -> None:
    make_old_office(template, data, latest_version())
    db = Database(data / DB_NAME, template.key)
    db.execute(f"PRAGMA user_version = {newer}")
    db.close()


def test_an_older_program_refuses_a_newer_database_and_changes_nothing(template: Template, tmp_path):
    data = tmp_path / "office"
    newer = latest_version() + 3
    _make_newer(template, data, newer)
    files = _digest(data)

    with pytest.raises(DatabaseCorrupt) as refused:
        open_session(data, "admin", PASSWORD).close()

    assert str(refused.value) == (
        f"此数据库由较新版本的兜底创建（数据库版本 {newer}，本程序支持到 {latest_version()}），请升级程序后再打开。"
    )
    after = _digest(data)
    assert after[DB_NAME] == files[DB_NAME]
    # Nothing else written either, but the sign-in back-off's record of a good password.
    assert {k: v for k, v in after.items() if k in files} == {k: v for k, v in files.items() if k in after}
    assert not backup_folder(data).exists()


def test_the_command_line_says_the_upgrade_in_one_line_and_refuses_a_newer_one(
    template: Template,
    tmp_path,
    env,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setenv("DOUDI_KEYRING", "file")  # the device secret where the command will look
    monkeypatch.setenv("DOUDI_CONFIG_DIR", env["DOUDI_CONFIG_DIR"])
    older = tmp_path / "older"
    make_old_office(template, older, latest_version() - 1)
    r = doudi(env, "check", "--data-dir", str(older), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if "升级" in line]
    assert len(said) == 1 and str(backup_folder(older)) in said[0], r.stderr

    newer = tmp_path / "newer"
    _make_newer(template, newer, latest_version() + 1)
    r = doudi(env, "check", "--data-dir", str(newer), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == DatabaseCorrupt.exit_code
    assert "请升级程序后再打开" in assert_one_sentence(r)
