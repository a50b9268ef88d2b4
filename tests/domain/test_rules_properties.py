"""Property tests for the rules stated once in the domain: the workflow, the 25th, money."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import deadline, money, months, workflow
from app.domain.workflow import Status

statuses = st.sampled_from(list(Status))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=40))
def test_every_path_from_an_application_ends_or_stays_in_a_known_state(choices):
    """Walking the workflow never reaches an unknown status, and a terminal status has no way out."""
    status = Status.APPLIED
    for c in choices:
        nxt = workflow.next_steps(status)
        if not nxt:
            assert status in workflow.TERMINAL
            break
        status = nxt[c % len(nxt)]
        assert status in Status


def test_every_status_can_reach_an_end():
    """From any status some path leads to 停保 or 不予批准: no application is stuck for ever."""
    for start in Status:
        seen, frontier = {start}, [start]
        while frontier:
            for n in workflow.next_steps(frontier.pop()):
                if n not in seen:
                    seen.add(n)
                    frontier.append(n)
        assert seen & workflow.TERMINAL


@given(statuses, statuses)
def test_steps_that_decide_need_the_approver_and_stops_need_a_reason(status, step):
    if step not in workflow.next_steps(status):
        return
    if step in (Status.ENROLLED, Status.REFUSED, Status.TAPER, Status.STOPPED):
        assert workflow.needs_approver(step)
    else:
        assert not workflow.needs_approver(step)
    assert workflow.needs_written_reason(step, status) == (step in (Status.STOPPED, Status.REFUSED, Status.WITHDRAWN))


def test_only_in_force_statuses_lead_to_payment_states():
    assert {Status.ENROLLED, Status.TAPER} == workflow.IN_FORCE
    # Money is paid only after 审核审批: no step before approval leads into 在保 or 渐退.
    for status in (Status.APPLIED, Status.SURVEY, Status.REVIEW, Status.PUBLICITY):
        assert not set(workflow.next_steps(status)) & workflow.IN_FORCE


def test_statuses_compare_equal_to_the_stored_words():
    stored: str = "申请"  # as read back from the database: a plain str
    assert stored == Status.APPLIED and "在保" in workflow.IN_FORCE
    assert workflow.next_steps("申请") == ("入户调查", "不予批准", "申请人撤回")
    assert workflow.status_of("申请人撤回") is Status.WITHDRAWN
    assert workflow.next_steps("不存在") == ()


@given(days, st.integers(min_value=0, max_value=30))
def test_publicity_needs_seven_days_both_ends_counted(start, length):
    end = start + timedelta(days=length)
    problem = workflow.publicity_problem(start, end)
    assert (problem is None) == (length + 1 >= workflow.PUBLICITY_DAYS)
    assert workflow.publicity_problem(start, workflow.publicity_end(start)) is None


@given(days, st.integers(min_value=1, max_value=20))
def test_publicity_cannot_start_before_the_application(applied, early):
    start = applied - timedelta(days=early)
    assert workflow.publicity_problem(start, start + timedelta(days=10), applied) is not None


@given(days)
def test_payment_starts_the_month_after_approval(approved):
    month = workflow.payment_start_month(approved)
    assert months.diff(month, months.of(approved)) == 1


@given(st.integers(min_value=0, max_value=10**7), st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)))
def test_case_by_case_reason_exactly_when_the_amount_differs(amount, assessed):
    assert workflow.needs_case_by_case_reason(amount, assessed) == (assessed is None or amount != assessed)


@given(days, st.integers(min_value=1, max_value=6))
def test_a_taper_lasts_the_grace_months(on, grace):
    until = workflow.taper_until(on, grace)
    assert months.diff(until, months.of(on)) == grace
    assert workflow.taper_since(until, grace) == months.add(months.of(on), 1)


@given(days, st.booleans())
def test_the_deadline_is_a_25th_and_overdue_is_its_negative(today, closed):
    due = deadline.deadline_for(today, closed)
    assert due.day == deadline.DEADLINE_DAY
    left = deadline.days_until_deadline(today, closed)
    assert deadline.overdue_days(today, closed) == max(0, -left)
    assert 0 <= months.diff(months.of(due), months.of(today)) <= 1


@given(days)
def test_an_open_month_is_overdue_after_its_25th_and_a_closed_one_never(today):
    assert (deadline.overdue_days(today, False) > 0) == (today.day > deadline.DEADLINE_DAY)
    assert deadline.overdue_days(today, True) == 0
    assert deadline.days_until_deadline(today, True) >= 0


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_money_round_trip(fen):
    assert money.parse_yuan(money.yuan(fen), allow_negative=True) == fen


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=999))
def test_money_refuses_what_is_finer_than_a_fen(fen, extra):
    text = money.yuan(fen) + str(extra)
    if str(extra).rstrip("0"):
        with pytest.raises(ValueError, match="两位小数"):
            money.parse_yuan(text)


def test_money_sentences_name_the_field():
    for text in ("", "abc", "-1"):
        with pytest.raises(ValueError, match="月保障金额"):
            money.parse_yuan(text, field_label="月保障金额")
    assert money.parse_yuan("1,234.5元") == 123450


@given(st.integers(min_value=1900 * 12, max_value=2200 * 12), st.integers(min_value=-500, max_value=500))
def test_month_arithmetic_round_trips(index, n):
    month = f"{index // 12:04d}-{index % 12 + 1:02d}"
    assert months.diff(months.add(month, n), month) == n
    start, end = months.bounds(month)
    assert start == months.first_day(month) and end == months.first_day(months.following(month))
    assert months.previous(months.following(month)) == month
    assert months.back(month, 3)[-1] == month and len(months.back(month, 3)) == 3


def test_entities_refuse_words_outside_the_vocabularies():
    import pytest

    from app.domain import vocab
    from app.domain.entities import Household, ValidationError, Visit

    visit = Visit(household_id="h", visit_date=date(2024, 5, 2), visitors="甲、乙", risk_signs=[vocab.DISASTER])
    visit.validate()
    visit.risk_signs = ["遭受冰雹灾害"]
    with pytest.raises(ValidationError) as err:
        visit.validate()
    assert err.value.field == "risk_signs" and "风险信号" in err.value.message
    household = Household(village_code="640424100200", head_name="马某", housing="草房")
    with pytest.raises(ValidationError) as err:
        household.validate()
    assert err.value.field == "housing"
    household.housing, household.poverty_causes = vocab.HOUSING[0], ["天灾"]
    with pytest.raises(ValidationError) as err:
        household.validate()
    assert err.value.field == "poverty_causes"


@given(step=st.sampled_from(list(workflow.Status)), note=st.text(max_size=5))
def test_a_reasoned_step_without_a_note_is_refused_with_a_sentence_naming_it(step: workflow.Status, note: str) -> None:
    problem = workflow.written_reason_problem(step, workflow.Status.ENROLLED, note)
    if workflow.needs_written_reason(step, workflow.Status.ENROLLED) and not note.strip():
        assert problem is not None and step.value in problem
    else:
        assert problem is None


@given(statuses)
def test_an_applicant_can_withdraw_from_every_open_step_and_nothing_follows(status):
    """申请人撤回 is offered exactly while the application is undecided, ends it, and needs a reason."""
    open_application = status in (Status.APPLIED, Status.SURVEY, Status.REVIEW, Status.PUBLICITY, Status.APPROVAL)
    assert (Status.WITHDRAWN in workflow.next_steps(status)) == open_application
    assert workflow.is_terminal(Status.WITHDRAWN) and Status.WITHDRAWN in workflow.TERMINAL
    assert not workflow.needs_approver(Status.WITHDRAWN)
    assert workflow.written_reason_problem(Status.WITHDRAWN, status, "  ") is not None
    assert workflow.written_reason_problem(Status.WITHDRAWN, status, "外出务工，不再申请") is None


month_text = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2020, 2030), st.integers(1, 12))


@given(st.lists(statuses, min_size=2, max_size=6), month_text, st.sets(month_text, max_size=5))
def test_a_step_can_be_undone_only_while_no_month_from_it_on_is_locked(steps, effect, locked):
    problem = workflow.undo_problem([str(s) for s in steps], effect, locked)
    assert (problem is None) == all(m < effect for m in locked)


@given(month_text, st.sets(month_text, max_size=3))
def test_the_application_itself_is_never_undone(effect, locked):
    assert workflow.undo_problem([Status.APPLIED], effect, locked) is not None
