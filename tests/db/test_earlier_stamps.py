"""The history a package carries (each row's earlier stamps) is the same whichever way it is read:
keyed look-ups per row, look-ups of the rows with several versions only, or one pass over the logs."""

from dataclasses import replace

import pytest

from app.db import sync_rows
from app.db.sync_rows import TYPES_BY_TABLE, changed_rows, earlier_stamps, last_change_seq, row_stamps, rows_by_id
from app.domain import ownership
from app.domain.entities import Household
from app.services.demo import load_synthetic


@pytest.fixture
def edited(office):
    """A small register where some rows have several versions: edited twice, edited once, and one
    whose earlier version is known only from a sender's list (known_versions)."""
    session, _code, _dir = office
    load_synthetic(session, "small", households=12, end_month="2026-11")
    db = session.db
    households = TYPES_BY_TABLE["households"]
    ids = [r[0] for r in db.query("SELECT id FROM households ORDER BY id LIMIT 3")]
    for times, row_id in zip((2, 1), ids, strict=False):
        for n in range(times):
            with session.store.transaction():
                held = next(rows_by_id(db, households, [row_id]))
                assert isinstance(held, Household)
                session.store.save(replace(held, notes=f"第{n}次修改"), "admin", "修改")
    with session.store.transaction():
        db.execute(
            "INSERT INTO known_versions(entity, row_id, updated_at) VALUES ('households', ?, ?)",
            (ids[2], "1700000000000-00000-640424100000"),
        )
    return session


def _expected(db, current):
    """Row by row, as the import side reads a row's stamps."""
    out: dict[str, dict[str, list[str]]] = {}
    for table, now in current.items():
        for row_id, stamp in now.items():
            earlier = row_stamps(db, table, [row_id]).get(row_id, set()) - {stamp}
            if earlier:
                out.setdefault(table, {})[row_id] = sorted(earlier)
    return out


@pytest.mark.parametrize("fraction", [0, 4, 10**9])  # keyed, several-versions look-ups, one pass
def test_earlier_stamps_agree_whichever_way_they_are_read(edited, monkeypatch, fraction):
    db = edited.db
    rows = changed_rows(db, 0, last_change_seq(db), edited.office.code, ownership.TOWNSHIP_TABLES)
    current = {table: {r["id"]: r["updated_at"] for r in found} for table, found in rows.items()}
    expected = _expected(db, current)
    assert len(expected["households"]) == 3  # the fixture's edits and the known version are all there
    assert sorted(len(v) for v in expected["households"].values()) == [1, 1, 2]
    monkeypatch.setattr(sync_rows, "_SCAN_FRACTION", fraction)
    assert earlier_stamps(db, current) == expected


def test_a_package_of_a_few_rows_carries_only_their_history(edited):
    db = edited.db
    (edited_twice,) = [r[0] for r in db.query("SELECT id FROM households ORDER BY id LIMIT 1")]
    stamp = db.scalar("SELECT updated_at FROM households WHERE id = ?", (edited_twice,))
    got = earlier_stamps(db, {"households": {edited_twice: stamp}})
    assert list(got) == ["households"] and list(got["households"]) == [edited_twice]
    assert len(got["households"][edited_twice]) == 2 and stamp not in got["households"][edited_twice]
