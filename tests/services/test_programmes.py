"""Programmes as the township uses them: apply, investigate, publicise, approve, pay, taper, stop."""

from datetime import date, timedelta

import pytest

from app.domain.entities import IncomeRecord, Visit
from app.domain.policy import months
from app.errors import InvalidInput, PermissionDenied
from tests.factories import household, member

TODAY = date.today()
THIS_MONTH = months.of(TODAY)


def _poor_family(clerk, **kw):
    """Rural family of three; 2 400 元 farm income a year → 200 元/month for three = 66.66 元 per person."""
    h = clerk.households.add(
        household(categories=["低收入"], **kw),
        [
            member("马学军", date(1970, 3, 4), labour_ability="部分丧失"),
            member("海秀兰", date(1972, 7, 9), "配偶", male=False),
            member("马小军", date(2012, 1, 2), "子", labour_ability="无", schooling="小学"),
        ],
    )
    clerk.income.set_income_items(h.id, [IncomeRecord(kind="经营净收入", subtype="种植", amount_fen=240000, months=12)])
    return h


def _to_review(clerk, h, start=None):
    start = start or TODAY - timedelta(days=20)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=2), note="两人入户")
    clerk.enrolments.advance(
        e.id,
        "公示",
        on=start + timedelta(days=5),
        publicity_from=start + timedelta(days=5),
        publicity_to=start + timedelta(days=11),
    )
    clerk.enrolments.advance(e.id, "审核审批", on=start + timedelta(days=12))
    return e


def test_assessment_uses_the_register(clerk):
    h = _poor_family(clerk)
    result = clerk.income.assess(h.id, THIS_MONTH)
    dibao = next(d for d in result.decisions if d.programme == "低保")
    # 240 000 fen / 12 months / 3 persons = 6 666 fen per person per month, under any standard since 2013.
    assert result.income.per_capita_monthly_fen == 6666
    assert dibao.eligible and dibao.persons_covered == 3


def test_full_workflow_with_roles_and_history(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    with pytest.raises(PermissionDenied):
        clerk.enrolments.advance(e.id, "在保", on=TODAY)
    approved = reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    expected = next(
        d for d in reviewer.income.assess(h.id, months.add(THIS_MONTH, 1)).decisions if d.programme == "低保"
    )
    assert approved.monthly_amount_fen == expected.monthly_amount_fen > 0
    assert approved.start_month == months.add(THIS_MONTH, 1)  # paid from the next month
    view = clerk.enrolments.enrolments(h.id)[0]
    assert [s.step for s in view.steps] == ["申请", "入户调查", "公示", "审核审批", "在保"]
    assert [s.done_by for s in view.steps][-1] == "head1"


def test_publicity_must_last_seven_days_and_end_before_review(clerk):
    h = _poor_family(clerk)
    start = TODAY - timedelta(days=20)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start)
    with pytest.raises(InvalidInput) as exc:
        clerk.enrolments.advance(e.id, "公示", on=start, publicity_from=start, publicity_to=start + timedelta(days=5))
    assert "7 天" in str(exc.value) and exc.value.field == "publicity_to"
    clerk.enrolments.advance(e.id, "公示", on=start, publicity_from=start, publicity_to=start + timedelta(days=6))
    with pytest.raises(InvalidInput) as exc:
        clerk.enrolments.advance(e.id, "审核审批", on=start + timedelta(days=6))
    assert "公示期满" in str(exc.value)


def test_steps_follow_the_order(clerk):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=TODAY)
    with pytest.raises(InvalidInput) as exc:
        clerk.enrolments.advance(e.id, "公示", on=TODAY, publicity_from=TODAY, publicity_to=TODAY)
    assert "入户调查" in str(exc.value)
    with pytest.raises(InvalidInput):
        clerk.enrolments.apply(h.id, "低保", applied_on=TODAY)  # no second open application


def test_case_by_case_needs_a_written_reason(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    with pytest.raises(InvalidInput) as exc:
        reviewer.enrolments.advance(e.id, "在保", on=TODAY, monthly_amount_fen=12345)
    assert exc.value.field == "case_by_case_reason"
    ok = reviewer.enrolments.advance(
        e.id, "在保", on=TODAY, monthly_amount_fen=12345, case_by_case_reason="一事一议：户主突发重病，县民政局会议决定"
    )
    assert ok.monthly_amount_fen == 12345 and ok.case_by_case_reason.startswith("一事一议")


def test_relatives_of_officials_need_a_visit_before_approval(clerk, reviewer):
    h = _poor_family(clerk, official_relative=True, official_relative_note="户主为村文书马某之兄")
    e = _to_review(clerk, h)
    with pytest.raises(InvalidInput) as exc:
        reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    assert "近亲属" in str(exc.value)
    clerk.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="王五、赵六"))
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    assert [x[0].id for x in clerk.enrolments.filing_register()] == [h.id]


def test_taper_and_stop(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    tapered = reviewer.enrolments.advance(e.id, "渐退", on=TODAY, note="户主务工收入超过标准")
    grace = reviewer.policy.policy_book().for_month(THIS_MONTH).grace_months
    assert tapered.grace_until == months.add(THIS_MONTH, grace)
    with pytest.raises(InvalidInput):
        reviewer.enrolments.advance(e.id, "停保", on=TODAY)  # a stop needs its reason
    stopped = reviewer.enrolments.advance(e.id, "停保", on=TODAY, note="渐退期满")
    assert stopped.end_month == THIS_MONTH


def test_policy_period_added_locally_applies_from_its_date(office):
    admin = office[0]
    before = admin.policy.policy_book().for_month("2030-01").rural_standard_monthly_fen
    admin.policy.add_policy_period(
        date(2030, 1, 1),
        {"dibao.rural_standard_annual": {"yuan": 7200, "unconfirmed": False}},
        source="宁民发〔2029〕1号（演示）",
    )
    book = admin.policy.policy_book()
    assert book.for_month("2030-01").rural_standard_monthly_fen == 60000
    assert book.for_month("2029-12").rural_standard_monthly_fen == before  # history stays


def test_publicity_cannot_be_dated_before_the_application(clerk):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=TODAY - timedelta(days=3))
    clerk.enrolments.advance(e.id, "入户调查", on=TODAY - timedelta(days=2))
    with pytest.raises(InvalidInput) as exc:
        clerk.enrolments.advance(e.id, "公示", on=TODAY, publicity_from=date(2020, 1, 1), publicity_to=date(2020, 1, 7))
    assert exc.value.field == "publicity_from"
