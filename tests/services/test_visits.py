"""Visits (issue 9, point 4): a saved visit can be corrected and deleted, with two investigators,
a note for every item not assured, and ad-hoc visits of any household."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.domain.entities import Visit
from app.errors import ChangedMeanwhile, InvalidInput, NotFound
from app.services.office import open_session
from tests.factories import household, member

TODAY = date.today()


@pytest.fixture
def other(office, clerk):
    """A second window on the same office."""
    _admin, _code, data_dir = office
    session = open_session(data_dir, "clerk1", "clerk-pass-2021")
    yield session
    session.close()


def _household(session, under_watch=True):
    return session.households.add(household(under_watch=under_watch), [member("马学军", date(1958, 3, 4))])


def _visit(hid, **kw) -> Visit:
    return Visit(household_id=hid, visit_date=TODAY, **{"visitors": "王经办、李主任", **kw})


def test_a_saved_visit_can_be_corrected_and_the_correction_is_audited(clerk):
    h = _household(clerk)
    saved = clerk.visits.record(_visit(h.id))
    fixed = dataclasses.replace(saved, housing_ok=False, item_notes={"housing_ok": "房屋漏雨"}, kind="回访")
    clerk.visits.correct(fixed)
    [now] = clerk.visits.for_household(h.id)
    assert now.id == saved.id and not now.housing_ok and now.item_notes == {"housing_ok": "房屋漏雨"}
    assert now.kind == "回访"
    actions = [a for (a,) in clerk.db.query("SELECT action FROM audit_log WHERE row_id = ?", (saved.id,))]
    assert actions == ["入户核查", "修改入户核查"]


def test_a_correction_on_an_old_read_is_refused(clerk, other):
    h = _household(clerk)
    saved = clerk.visits.record(_visit(h.id))
    other.visits.correct(dataclasses.replace(saved, notes="另一窗口的更正"))
    with pytest.raises(ChangedMeanwhile):
        clerk.visits.correct(dataclasses.replace(saved, notes="旧的读取"))
    with pytest.raises(ChangedMeanwhile):
        clerk.visits.delete(saved.id, "误录", read_version=saved.updated_at)
    assert clerk.visits.for_household(h.id)[0].notes == "另一窗口的更正"


def test_a_correction_keeps_the_household_visited(clerk):
    a, b = _household(clerk), _household(clerk, under_watch=False)
    saved = clerk.visits.record(_visit(a.id))
    clerk.visits.correct(dataclasses.replace(saved, household_id=b.id))
    assert len(clerk.visits.for_household(a.id)) == 1 and clerk.visits.for_household(b.id) == []


def test_a_correction_is_checked_as_a_new_visit(clerk):
    h = _household(clerk)
    saved = clerk.visits.record(_visit(h.id))
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.correct(dataclasses.replace(saved, visitors="王经办"))
    assert exc.value.field == "visitors"


def test_a_deleted_visit_leaves_the_history_and_the_household_is_due_again(clerk):
    h = _household(clerk)
    month = TODAY.strftime("%Y-%m")
    saved = clerk.visits.record(_visit(h.id))
    assert h.id not in [d.household_id for d in clerk.visits.due(month)]
    clerk.visits.delete(saved.id, "录错了户", read_version=saved.updated_at)
    assert clerk.visits.for_household(h.id) == []
    assert h.id in [d.household_id for d in clerk.visits.due(month)]
    assert clerk.visits.progress(month)[0] == 0
    row = clerk.db.query("SELECT deleted FROM visits WHERE id = ?", (saved.id,))
    assert row == [(1,)]  # a tombstone, so the deletion travels in sync
    (action,) = clerk.db.query("SELECT action FROM audit_log WHERE row_id = ? ORDER BY seq DESC LIMIT 1", (saved.id,))[
        0
    ]
    assert action == "删除入户核查：录错了户"
    with pytest.raises(NotFound):
        clerk.visits.get(saved.id)


def test_deleting_needs_a_reason(clerk):
    h = _household(clerk)
    saved = clerk.visits.record(_visit(h.id))
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.delete(saved.id, "  ", read_version=saved.updated_at)
    assert exc.value.field == "reason"
    assert len(clerk.visits.for_household(h.id)) == 1


def test_one_visitor_is_refused(clerk):
    h = _household(clerk)
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.record(_visit(h.id, visitors="王经办"))
    assert exc.value.field == "visitors" and "两名" in str(exc.value)
    assert clerk.visits.for_household(h.id) == []


def test_an_item_not_assured_without_its_own_note_is_refused(clerk):
    h = _household(clerk)
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.record(_visit(h.id, water_ok=False, housing_ok=False, item_notes={"housing_ok": "漏雨"}))
    assert exc.value.field == "item_notes" and "饮水安全" in str(exc.value) and "住房安全" not in str(exc.value)
    with pytest.raises(InvalidInput):  # the general notes do not stand in for it
        clerk.visits.record(_visit(h.id, water_ok=False, notes="饮水靠拉运"))
    assert clerk.visits.for_household(h.id) == []


def test_item_notes_are_kept_trimmed_and_only_for_items_not_assured(clerk):
    h = _household(clerk)
    notes = {"water_ok": "  靠拉运  ", "housing_ok": "旧的说明", "food_ok": " "}
    saved = clerk.visits.record(_visit(h.id, water_ok=False, item_notes=notes))
    assert saved.item_notes == {"water_ok": "靠拉运"}
    [stored] = clerk.visits.for_household(h.id)
    assert stored.item_notes == {"water_ok": "靠拉运"}


def test_an_ad_hoc_visit_of_a_household_not_due_keeps_its_kind(clerk):
    h = _household(clerk, under_watch=False)
    clerk.visits.record(_visit(h.id, notes="冰雹受灾，申请临时救助", kind="临时救助入户"))
    [saved] = clerk.visits.for_household(h.id)
    assert saved.kind == "临时救助入户" and saved.notes == "冰雹受灾，申请临时救助"
    assert clerk.visits.for_household(h.id, kind="回访") == []
    assert clerk.visits.for_household(h.id, kind="临时救助入户") == [saved]


def test_an_unknown_kind_is_refused(clerk):
    h = _household(clerk)
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.record(_visit(h.id, kind="补访"))
    assert exc.value.field == "kind"


def test_any_kind_of_visit_ticks_the_household_off_the_month(clerk):
    """The rule kept from before visits had a kind: an ad-hoc visit in the month counts as its visit."""
    month = TODAY.strftime("%Y-%m")
    routine, followed_up, untouched = _household(clerk), _household(clerk), _household(clerk)
    clerk.visits.record(_visit(routine.id))
    clerk.visits.record(_visit(followed_up.id, kind="回访"))
    assert [d.household_id for d in clerk.visits.due(month)] == [untouched.id]
    assert clerk.visits.progress(month) == (2, 3)
    assert clerk.visits.count_by_kind(month) == {"常规核查": 1, "临时救助入户": 0, "回访": 1}
