"""Migration 13: integer row keys behind views named as before (issue 10 point 8).

An office written by the version-12 program opens with every row, every change-log entry and every
exchange digest exactly as it was read before, through views over the rebuilt tables; the file is
compacted; a key that names no row stops the upgrade with one sentence and leaves the office as it was.
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from app.db.database import Database
from app.db.integrity import names_of
from app.domain.entities import SYNCABLE_TYPES
from app.errors import DatabaseCorrupt
from app.services.integrity import check_report, office_digests
from app.services.office import open_session
from app.services.office_files import DB_NAME
from tests.upgrade.old_offices import PASSWORD, Template, make_old_office

LOG = "SELECT seq, entity, row_id, updated_at, op, content_hash FROM change_log ORDER BY seq"


def _rows(db: Database) -> dict[str, list[tuple]]:
    out = {
        cls.TABLE: db.query(f"SELECT {', '.join(names_of(cls))} FROM {cls.TABLE} ORDER BY id") for cls in SYNCABLE_TYPES
    }
    out["change_log"] = db.query(LOG)
    out["member_search"] = db.query(
        "SELECT member_id, household_id, initials, pinyin, name, id_number FROM member_search ORDER BY member_id"
    )
    return out


def test_every_row_and_digest_reads_as_before_and_the_file_is_compacted(template: Template, tmp_path):
    data = tmp_path / "office"
    make_old_office(template, data, 12)
    old = Database(data / DB_NAME, template.key)
    before = _rows(old)
    old.close()
    assert before["payments"] and before["change_log"] and before["member_search"]
    # A copy: the template is shared by the folder's tests, and signing in writes its back-off record.
    reference = open_session(shutil.copytree(template.data_dir, tmp_path / "reference"), "admin", PASSWORD)
    try:
        digests = office_digests(reference)
    finally:
        reference.close()

    session = open_session(data, "admin", PASSWORD)
    try:
        db = session.db
        assert db.scalar("PRAGMA user_version") == 13
        after = _rows(db)
        # The same values, the UUIDs joined back from the row numbers. (The old office owes its visits a
        # baseline, as every office built by make_old_office does: new entries after the old ones.)
        logged = len(before["change_log"])
        assert after.pop("change_log")[:logged] == before.pop("change_log")
        assert after == before
        assert office_digests(session) == digests
        assert db.scalar("PRAGMA freelist_count") == 0  # VACUUM ran after the rebuild
        # The keys are row numbers now: a payment names its household by the household's rid.
        assert db.scalar(
            "SELECT count(*) FROM payments_rows p JOIN households_rows h ON h.rid = p.household_rid"
        ) == len(before["payments"])
        assert db.scalar("SELECT typeof(content_hash) FROM change_log_rows WHERE content_hash IS NOT NULL") == "blob"
        assert check_report(session, data)["problems"] == []
    finally:
        session.close()


def test_a_member_whose_household_is_gone_stops_the_upgrade(template: Template, tmp_path):
    """Only a file changed around the program can hold one (the foreign key refused it): the upgrade
    says which row and leaves the office as it was, for the program before it to open."""
    data = tmp_path / "office"
    make_old_office(template, data, 12)
    old = Database(data / DB_NAME, template.key)
    [(member,)] = old.query("SELECT id FROM members ORDER BY id LIMIT 1")
    old.execute("PRAGMA foreign_keys = OFF")
    old.execute("UPDATE members SET household_id = '0190a0a0-0000-7000-8000-00000000dead' WHERE id = ?", (member,))
    old.close()
    with pytest.raises(DatabaseCorrupt) as refused:
        open_session(data, "admin", PASSWORD)
    message = str(refused.value)
    assert "members" in message and member in message and "household_id" in message and "保持原样" in message
    assert message.count("。") == 1
    again = Database(data / DB_NAME, template.key)
    try:
        assert again.scalar("PRAGMA user_version") == 12  # the migration's transaction was rolled back
        assert again.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'members_rows'") == 0
    finally:
        again.close()


def test_space_not_reclaimed_at_the_upgrade_is_reclaimed_at_the_next_opening(template: Template, tmp_path, monkeypatch):
    """VACUUM needs room for a second copy of the file; without it (or cut off by a power cut) the
    office opens, correct but larger, and is compacted when it is next opened with room to spare."""
    data = tmp_path / "office"
    make_old_office(template, data, 12)
    full = SimpleNamespace(total=1, used=1, free=0)
    with monkeypatch.context() as disk:
        disk.setattr(shutil, "disk_usage", lambda _path: full)
        session = open_session(data, "admin", PASSWORD)
        try:
            assert session.db.scalar("PRAGMA user_version") == 13
            assert session.db.scalar("PRAGMA freelist_count") > 0  # the old tables' pages, not yet given back
            assert session.db.scalar("SELECT value FROM meta WHERE key = 'compact_pending'") == "1"
        finally:
            session.close()
    again = open_session(data, "admin", PASSWORD)
    try:
        assert again.db.scalar("PRAGMA freelist_count") == 0
        assert again.db.scalar("SELECT count(*) FROM meta WHERE key = 'compact_pending'") == 0
        assert check_report(again, data)["problems"] == []
    finally:
        again.close()
