"""What a package carries of each row is exactly the row as held, whichever way it is read."""

from dataclasses import replace

import pytest

from app.db import sync_rows
from app.db.repository import to_dict
from app.db.sync_rows import TYPES_BY_TABLE, changed_rows, last_change_seq, row_dicts, rows_by_id
from app.domain import ownership
from app.domain.entities import Visit
from app.exchange.canonical import canonical_json
from app.services.demo import load_synthetic


@pytest.fixture
def filled(office):
    session, _code, _dir = office
    load_synthetic(session, "small", households=25, end_month="2026-11")
    # a tombstone and a visit with per-item notes (a dict column), so every column kind travels
    with session.store.transaction():
        h = session.db.query("SELECT id FROM households LIMIT 1")[0][0]
        held = next(rows_by_id(session.db, TYPES_BY_TABLE["households"], [h]))
        session.store.save(replace(held, deleted=True), "admin", "删除")
        v = session.db.query("SELECT id FROM visits LIMIT 1")[0][0]
        visit = next(rows_by_id(session.db, TYPES_BY_TABLE["visits"], [v]))
        assert isinstance(visit, Visit)
        session.store.save(replace(visit, item_notes={"housing_ok": "屋顶漏雨"}), "admin", "修改")
    return session


@pytest.mark.parametrize("table", sorted(ownership.TOWNSHIP_TABLES & set(TYPES_BY_TABLE)))
@pytest.mark.parametrize("share", ["all", "few"])  # a scan of the table, and keyed look-ups
def test_row_dicts_are_the_rows_as_entities_would_give_them(filled, table, share):
    db = filled.db
    cls = TYPES_BY_TABLE[table]
    ids = sorted(r[0] for r in db.query(f"SELECT id FROM {table}"))
    if share == "few":
        ids = ids[:: max(1, len(ids) // 3)][:3]
    expected = [to_dict(obj) for obj in rows_by_id(db, cls, ids)]
    got = row_dicts(db, cls, set(ids))
    assert canonical_json(got) == canonical_json(expected)  # the bytes a package carries (True is not 1)
    assert [r["id"] for r in got] == sorted(ids)


def test_the_scan_and_the_look_ups_give_the_same_rows(filled, monkeypatch):
    db = filled.db
    cls = TYPES_BY_TABLE["members"]
    ids = {r[0] for r in db.query("SELECT id FROM members")}
    scanned = row_dicts(db, cls, ids)
    monkeypatch.setattr(sync_rows, "_SCAN_FRACTION", 0)  # never scan
    assert canonical_json(row_dicts(db, cls, ids)) == canonical_json(scanned)
    assert len(scanned) == len(ids)


def test_changed_rows_carries_the_tombstone_and_the_notes(filled):
    db = filled.db
    rows = changed_rows(db, 0, last_change_seq(db), filled.office.code, ownership.TOWNSHIP_TABLES)
    assert sum(1 for r in rows["households"] if r["deleted"] is True) == 1
    assert any(r["item_notes"] == {"housing_ok": "屋顶漏雨"} for r in rows["visits"])
