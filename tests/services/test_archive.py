"""Archiving a household: a reason, never while an application is open, and a way back (显示已归档, 恢复)."""

from datetime import date, timedelta

import pytest

from app.errors import InvalidInput
from app.services.households import HouseholdQuery
from tests.factories import household, member
from tests.services.test_programmes import _poor_family

TODAY = date.today()


def test_an_open_application_blocks_archiving_with_its_step_named(clerk, reviewer):
    h = _poor_family(clerk)
    start = TODAY - timedelta(days=10)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=1), note="两人入户")
    clerk.enrolments.advance(
        e.id, "公示", on=start + timedelta(days=2), publicity_from=start + timedelta(days=2), publicity_to=TODAY
    )
    with pytest.raises(InvalidInput) as exc:
        clerk.households.archive(h.id, "全户迁出")
    assert "低保（公示）" in str(exc.value) and "办结" in str(exc.value)
    assert not clerk.households.get(h.id)[0].archived
    # Once the application is ended (不予批准 is terminal), the household may be archived.
    reviewer.enrolments.advance(e.id, "不予批准", on=TODAY, note="家庭收入高于低保标准")
    assert clerk.households.archive(h.id, "全户迁出").archived


def test_archived_households_are_listed_apart_and_can_be_restored(clerk):
    live = clerk.households.add(household(), [member("马福", date(1970, 1, 1))])
    gone = clerk.households.add(household(), [member("马禄", date(1971, 1, 1))])
    clerk.households.archive(gone.id, "全户迁出")
    assert clerk.households.ids(HouseholdQuery()) == [live.id]
    assert clerk.households.ids(HouseholdQuery(only_archived=True)) == [gone.id]
    assert clerk.households.rows([gone.id])[gone.id].archived
    restored = clerk.households.restore(gone.id)
    assert not restored.archived and restored.archived_reason == ""
    assert clerk.households.ids(HouseholdQuery(only_archived=True)) == []
    with pytest.raises(InvalidInput) as exc:
        clerk.households.restore(gone.id)
    assert "没有归档" in str(exc.value)
