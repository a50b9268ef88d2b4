"""Migration 5: an office written before visits had a kind opens with the 〔kind〕 prefixes moved
into the new column, and ``doudi check`` stays clean (the visits are re-baselined) yet still sees a
visit altered around the program afterwards."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.db import schema
from app.db.integrity import CHANGE_SEQ, CONTENT_HASH, hash_values, names_of
from app.db.migrations import MIGRATIONS, script
from app.db.repository import to_row
from app.domain import entities
from app.domain.entities import Visit
from app.services.integrity import check_report
from app.services.office import create_office, open_session
from tests.conftest import ADMIN_PASSWORD
from tests.factories import household, member
from tests.legacy_writes import written_before_integer_keys

# The visits columns as the program before m0005 wrote and hashed them.
V4_COLUMNS = tuple(n for n in names_of(Visit) if n not in ("kind", "item_notes"))


def _visit_as_v4_wrote_it(session, hid: str, n: int, notes: str, **kw) -> str:
    """A visit row, its change-log entry and its audit entry, as the version-4 program wrote them."""
    v = Visit(household_id=hid, visit_date=date(2026, 1, n), visitors="王五、赵六", notes=notes, **kw)
    v.id, v.owner_office, v.updated_at, v.updated_by = f"v{n}", "640424100", f"000000000000{n}-00000-x", "admin"
    values = dict(zip(names_of(Visit), to_row(v), strict=True))
    row = [values[name] for name in V4_COLUMNS]
    digest = hash_values(V4_COLUMNS, row)
    with session.store.transaction():
        session.db.execute(
            f"INSERT INTO visits({', '.join(V4_COLUMNS)}) VALUES ({', '.join('?' * len(row))})", tuple(row)
        )
        seq = session.db.execute(
            "INSERT INTO change_log(entity, row_id, updated_at, op, content_hash) VALUES ('visits', ?, ?, 'insert', ?)",
            (v.id, v.updated_at, digest),
        ).lastrowid
        session.store.audit("admin", "入户核查", "visits", v.id, {CHANGE_SEQ: seq, CONTENT_HASH: digest})
    return v.id


@pytest.fixture
def upgraded(tmp_path, monkeypatch):
    """An office made and filled by the version-4 program, then opened by this one."""
    data = tmp_path / "office"
    with monkeypatch.context() as older, written_before_integer_keys(monkeypatch):
        older.setattr(schema, "MIGRATIONS", MIGRATIONS[:4])
        # the version-4 program knew only the tables of its four migrations, and visits without the new columns
        v4_sql = "".join(script(n) for n in (1, 2, 3, 4))
        v4_types = tuple(
            t for t in entities.SYNCABLE_TYPES if t is not Visit and re.search(rf"CREATE TABLE {t.TABLE}\b", v4_sql)
        )
        older.setattr(entities, "SYNCABLE_TYPES", v4_types)
        session, _code = create_office(data, "640424100", "admin", ADMIN_PASSWORD)
        assert session.db.scalar("PRAGMA user_version") == 4
        hid = session.households.add(household(under_watch=True), [member("马学军", date(1958, 3, 4))]).id
        _visit_as_v4_wrote_it(session, hid, 5, "〔回访〕 已复查，房屋已修缮")
        _visit_as_v4_wrote_it(session, hid, 6, "〔临时救助入户〕冰雹受灾", housing_ok=False)
        _visit_as_v4_wrote_it(session, hid, 7, "〔不存在〕x")
        _visit_as_v4_wrote_it(session, hid, 8, "家庭情况稳定。")
        session.close()
    session = open_session(data, "admin", ADMIN_PASSWORD)
    yield session, data
    session.close()


def test_the_kind_prefix_moves_into_the_column(upgraded):
    session, _data = upgraded
    assert session.db.scalar("PRAGMA user_version") == schema.latest_version()
    got = {v.id: (v.kind, v.notes, v.item_notes) for v in session.store.repo(Visit).where()}
    assert got == {
        "v5": ("回访", "已复查，房屋已修缮", {}),
        "v6": ("临时救助入户", "冰雹受灾", {}),
        "v7": ("常规核查", "〔不存在〕x", {}),  # not a kind: the clerk's own text, left alone
        "v8": ("常规核查", "家庭情况稳定。", {}),
    }


def test_check_is_clean_after_the_upgrade_and_still_sees_a_visit_altered_around_the_program(upgraded):
    session, data = upgraded
    report = check_report(session, data, record=False)
    assert report["content_problems"] == [] and report["unlogged_changes"] == {}
    assert report["audit_problems"] == [] and report["schema_problems"] == []
    assert session.db.scalar("SELECT value FROM meta WHERE key = 'content_rebaseline'") is None
    baselined = session.db.query("SELECT row_id FROM change_log WHERE op = 'baseline' AND entity = 'visits'")
    assert sorted(r for (r,) in baselined) == ["v5", "v6", "v7", "v8"]

    session.db.execute("UPDATE visits SET kind = '常规核查' WHERE id = 'v5'")  # updated_at kept, as an attacker would
    report = check_report(session, data, record=False)
    found = {(p["table"], p["row"], p["kind"]) for p in report["content_problems"]}
    assert found == {("visits", "v5", "altered")}
    assert not report["ok"]


def test_a_second_opening_owes_no_new_baseline(upgraded):
    session, data = upgraded
    before = session.db.scalar("SELECT count(*) FROM change_log WHERE op = 'baseline'")
    session.close()
    again = open_session(data, "admin", ADMIN_PASSWORD)
    try:
        assert again.db.scalar("SELECT count(*) FROM change_log WHERE op = 'baseline'") == before
        assert again.visits.for_household(again.visits.get("v5").household_id, kind="回访")[0].id == "v5"
    finally:
        again.close()
