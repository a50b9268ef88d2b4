"""Migration 13 (integer row keys behind views), attacked: what an office file keyed by row numbers
must still refuse, and what ``doudi check`` must still see, as the text-keyed schema 12 did.

Each case is written as the attacker or the faulty writer wrote it: plain SQL on the opened
database, or a store write that skips the domain's validation (``bulk_save(validate=False)``, as
the ledger import and the comparison do).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import IntegrityError
from app.domain.entities import Member, Visit
from app.services.integrity import check_report
from tests.factories import household, member

VISITORS = "王经办、李主任"


def _family(s):
    saved = s.households.add(household(), [member("马学军", date(1958, 3, 4))])
    return saved.id


def test_a_row_deleted_around_the_program_stays_reported_after_the_program_adds_the_next_one(office):
    """A row number freed by a deletion must not be handed to the next row: the change log names its
    rows by number, so the deleted visit's history would become the new visit's, and check, which
    reported the deletion, would find nothing wrong any more (schema 12 named them by UUID)."""
    s, _code, data_dir = office
    hid = _family(s)
    gone = s.visits.record(Visit(household_id=hid, visit_date=date(2026, 10, 3), visitors=VISITORS))
    s.db.execute("DELETE FROM visits_rows WHERE id = ?", (gone.id,))  # around the program
    before = check_report(s, data_dir, record=False)["problems"]
    assert any(gone.id in p and "硬删除" in p for p in before)

    new = s.visits.record(Visit(household_id=hid, visit_date=date(2026, 10, 4), visitors=VISITORS))

    # The new visit's history is its own one entry, not the deleted visit's entries as well.
    assert s.db.query("SELECT op FROM change_log WHERE entity = 'visits' AND row_id = ?", (new.id,)) == [("insert",)]
    after = check_report(s, data_dir, record=False)["problems"]
    assert any("visits" in p and "硬删除" in p for p in after), after


def test_a_member_without_a_household_is_refused_as_the_foreign_key_refused_it(office):
    """A member's household is required: schema 12's foreign key refused an empty one. Kept as a row
    number, '' must not become a member with no household (read back as None, then reported by
    check as altered around the program although the program wrote it)."""
    s, _code, _data_dir = office
    orphan = Member(name="张三", household_id="")
    with pytest.raises(IntegrityError), s.store.transaction():
        s.store.bulk_save([orphan], s.user.username, validate=False)
    assert s.db.scalar("SELECT count(*) FROM members_rows WHERE id = ?", (orphan.id,)) == 0


def test_check_names_a_dropped_view_instead_of_failing(office):
    """Dropping a register view loses no row (the rows are in alerts_rows) and is the attacker's
    first step to putting back a view that hides some: check must say the view is missing, in
    its own sentence, not stop at the first read of it."""
    s, _code, data_dir = office
    _family(s)
    s.db.execute("DROP VIEW alerts")
    report = check_report(s, data_dir, record=False)
    assert not report["ok"]
    assert any("视图 alerts" in p and "缺少" in p for p in report["problems"]), report["problems"]
