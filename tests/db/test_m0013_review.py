"""Migration 13 (integer row keys behind views), attacked: what an office file keyed by row numbers
must still refuse, and what ``doudi check`` must still see, as the text-keyed schema 12 did.

Each case is written as the attacker or the faulty writer wrote it: plain SQL on the opened
database, or a store write that skips the domain's validation (``bulk_save(validate=False)``, as
the ledger import and the comparison do).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.db.database import Database, IntegrityError
from app.domain.entities import Member, Visit
from app.services.integrity import check_report
from app.services.office import open_session
from app.services.office_files import DB_NAME
from tests.factories import household, member
from tests.upgrade.old_offices import PASSWORD, make_old_office, template_with_own_keyring

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


def test_a_deletion_hidden_by_winding_the_row_counter_back_is_still_reported(office):
    """The attacker deletes the last visit and winds its table's row counter back, so that the next
    visit the program records takes the deleted one's number (and with it the deleted visit's
    change-log entries). No log is touched; the audit entries still name the deleted visit."""
    s, _code, data_dir = office
    hid = _family(s)
    gone = s.visits.record(Visit(household_id=hid, visit_date=date(2026, 10, 3), visitors=VISITORS))
    s.db.execute("DELETE FROM visits_rows WHERE id = ?", (gone.id,))
    s.db.execute("UPDATE sqlite_sequence SET seq = seq - 1 WHERE name = 'visits_rows'")

    s.visits.record(Visit(household_id=hid, visit_date=date(2026, 10, 4), visitors=VISITORS))

    problems = check_report(s, data_dir, record=False)["problems"]
    assert any(gone.id in p and "硬删除" in p for p in problems), problems


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


def test_a_batch_written_row_deleted_around_the_program_is_not_called_an_edited_change_log(office):
    """A row written in a batch and then deleted around the program: its change-log entry now reads
    no UUID (the log names rows by number), so the batch's digest no longer matches. The log was not
    edited: check must not say that it was, only that the row was deleted."""
    s, _code, data_dir = office
    hid = _family(s)
    visits = [Visit(household_id=hid, visit_date=date(2026, 10, d), visitors=VISITORS) for d in (3, 4)]
    with s.store.transaction():
        s.store.bulk_save(visits, s.user.username)
        s.store.audit(s.user.username, "批量录入入户核查", "visits", hid, {"visits": 2})
    s.db.execute("DELETE FROM visits_rows WHERE id = ?", (visits[0].id,))

    problems = check_report(s, data_dir, record=False)["problems"]
    assert any("visits" in p and "硬删除" in p for p in problems), problems
    assert not any("变更日志被改过" in p for p in problems), problems


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A small demo office with payments, made once for the module with its own keyring."""
    return template_with_own_keyring(tmp_path_factory, households=12)


def test_a_county_holding_a_payment_whose_member_it_never_received_still_upgrades(template, tmp_path):
    """The version-12 program applied a township's payment without asking whether its member was held
    (only its household): a county whose copy of that member was quarantined, or never came, holds such
    a payment legally. Refusing the whole upgrade for it leaves the county unable to open its office
    with the new program ("请联系技术支持"); the payment must come through, as it was or in quarantine,
    as the new program treats the same package (tests/exchange_flow/test_quarantine.py)."""
    data = tmp_path / "office"
    make_old_office(template, data, 12)
    old = Database(data / DB_NAME, template.key)
    [(payment,)] = old.query("SELECT id FROM payments ORDER BY id LIMIT 1")
    stranger = "0190a0a0-0000-7000-8000-0000000000aa"
    old.execute("UPDATE payments SET member_id = ? WHERE id = ?", (stranger, payment))  # as apply wrote it at 12
    old.close()

    session = open_session(data, "admin", PASSWORD)
    try:
        assert session.db.scalar("PRAGMA user_version") == 13
        held = session.db.query("SELECT member_id FROM payments WHERE id = ?", (payment,))
        waiting = [
            json.loads(row)
            for (row,) in session.db.query(
                "SELECT row_json FROM quarantine WHERE entity = 'payments' AND row_id = ?", (payment,)
            )
        ]
        assert held == [(stranger,)] or [r.get("member_id") for r in waiting] == [stranger]
    finally:
        session.close()
