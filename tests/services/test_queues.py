"""Work queues on a real office: each queue holds exactly the households due, per village too."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain import months
from app.domain.entities import Visit
from app.domain.workflow import Status
from app.services.queues import (
    APPROVAL,
    PUBLICITY,
    TAPER,
    VISITS,
    WorkQueueService,
    publicity_ended,
    taper_ending,
)
from tests.factories import household, member
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()
THIS_MONTH = months.of(TODAY)
V1, V2 = "640424100001", "640424100002"


def _in_publicity(clerk, h, ends: date):
    start = ends - timedelta(days=12)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=1), note="两人入户")
    clerk.enrolments.advance(
        e.id, "公示", on=start + timedelta(days=2), publicity_from=ends - timedelta(days=6), publicity_to=ends
    )
    return e


def _ids(items):
    return {i.household_id for i in items}


def test_awaiting_approval_lists_the_household_since_it_was_sent(clerk):
    h = _poor_family(clerk, village=V1)
    start = TODAY - timedelta(days=20)
    _to_review(clerk, h, start)
    q = WorkQueueService(clerk).queues(TODAY)
    [item] = q.queues[APPROVAL]
    assert (item.household_id, item.head_name, item.village) == (h.id, "马学军", "香水街居")
    assert item.since == (start + timedelta(days=12)).isoformat() and "低保" in item.due
    assert q.count(PUBLICITY) == q.count(TAPER) == 0


def test_publicity_due_when_it_ends_today_or_before_not_later(clerk):
    ended = _poor_family(clerk)
    today_ends = _poor_family(clerk)
    running = _poor_family(clerk)
    _in_publicity(clerk, ended, TODAY - timedelta(days=3))
    _in_publicity(clerk, today_ends, TODAY)
    _in_publicity(clerk, running, TODAY + timedelta(days=1))
    q = WorkQueueService(clerk).queues(TODAY)
    assert _ids(q.queues[PUBLICITY]) == {ended.id, today_ends.id}
    assert [i.since for i in q.queues[PUBLICITY]] == [(TODAY - timedelta(days=3)).isoformat(), TODAY.isoformat()]
    assert q.count(APPROVAL) == 0


def test_taper_due_in_its_last_month_and_after(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    tapered = reviewer.enrolments.advance(e.id, "渐退", on=TODAY, note="户主务工收入超过标准")
    assert tapered.grace_until and tapered.grace_until > THIS_MONTH
    service = WorkQueueService(clerk)
    assert service.queues(TODAY).count(TAPER) == 0
    last = tapered.grace_until
    before_last = months.previous(last)
    assert service.queues(months.first_day(before_last)).count(TAPER) == 0
    [item] = service.queues(months.first_day(last)).queues[TAPER]
    assert item.household_id == h.id and item.since == last
    assert service.queues(months.first_day(months.add(last, 2))).count(TAPER) == 1  # still due until decided


def test_visits_due_is_every_watched_household_not_yet_visited(clerk):
    watched = clerk.households.add(household(V1), [member("张一", date(1960, 1, 1))])
    visited = clerk.households.add(household(V1), [member("张二", date(1950, 2, 2))])
    clerk.households.add(household(V2, under_watch=False), [member("马四", date(1980, 4, 4))])
    clerk.visits.record(Visit(household_id=visited.id, visit_date=TODAY, visitors="马、李"))
    q = WorkQueueService(clerk).queues(TODAY)
    assert _ids(q.queues[VISITS]) == {watched.id} == {d.household_id for d in clerk.visits.due(THIS_MONTH)}
    [item] = q.queues[VISITS]
    assert item.village_code == V1 and item.since == ""  # never visited


def test_village_filter_keeps_one_village_in_every_queue(clerk):
    a = _poor_family(clerk, village=V1)
    b = _poor_family(clerk, village=V2)
    _to_review(clerk, a)
    _to_review(clerk, b)
    service = WorkQueueService(clerk)
    every = service.queues(TODAY)
    assert _ids(every.queues[APPROVAL]) == {a.id, b.id}
    assert _ids(every.queues[VISITS]) == {a.id, b.id}
    assert [code for code, _ in every.villages] == [V1, V2]
    one = service.queues(TODAY, village_code=V2)
    assert _ids(one.queues[APPROVAL]) == _ids(one.queues[VISITS]) == {b.id}


@given(
    st.sampled_from(list(Status)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(-400, 400),
)
def test_publicity_due_exactly_when_in_publicity_and_ended(status, today, offset):
    ends = today + timedelta(days=offset)
    assert publicity_ended(status, ends, today) == (status == Status.PUBLICITY and offset <= 0)
    assert not publicity_ended(status, None, today)


@given(st.sampled_from(list(Status)), st.integers(0, 40), st.integers(-40, 40))
def test_taper_due_exactly_when_tapering_and_its_last_month_has_come(status, shift, offset):
    month = months.add("2024-01", shift)
    last = months.add(month, offset)
    assert taper_ending(status, last, month) == (status == Status.TAPER and offset <= 0)
    assert not taper_ending(status, None, month)
