"""The rules' fast paths give exactly what the plain ones give (issue 9 point 6: the county-L close).

The monitoring rules run over every household of a county each month, so they assess income
without writing its explanation and check age milestones without walking every mark; these
properties hold them to the explained assessment and to the rule as first written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import book

from app.domain.policy import months
from app.domain.policy.alerts import AlertFinding, MonitoringSnapshot, age_milestones, evaluate
from app.domain.policy.income import assess_income
from app.domain.policy.model import CurrentDibao, Deduction, HouseholdCase, IncomeItem, PersonCase
from app.domain.policy.params import Params

MONTHS = st.integers(min_value=2015 * 12 + 3, max_value=2027 * 12 + 11).map(lambda k: f"{k // 12:04d}-{k % 12 + 1:02d}")


@st.composite
def people(draw, ref: str) -> PersonCase:
    born = draw(st.dates(date(1915, 1, 1), date(2014, 12, 31)))
    return PersonCase(
        ref=ref,
        name=draw(st.sampled_from(["", "马建军"])),
        birth_date=born,
        deceased_on=draw(st.one_of(st.none(), st.dates(max(born, date(2014, 1, 1)), date(2028, 12, 31)))),
        disability_type=draw(st.sampled_from(["", "肢体", "智力"])),
        disability_grade=draw(st.integers(0, 4)),
        serious_illness=draw(st.booleans()),
        employed=draw(st.booleans()),
        has_supporter=draw(st.booleans()),
        supporter_able=draw(st.booleans()),
        absent_reason=draw(st.sampled_from(["", "", "", "服刑"])),
        lives_together=draw(st.booleans()) or draw(st.booleans()),
        left_behind=draw(st.sampled_from(["", "", "留守老人", "留守儿童"])),
        unemployed_uninsured_months=draw(st.integers(0, 6)),
    )


@st.composite
def with_deductions(draw) -> HouseholdCase:
    """A household with income items of every kind (excluded subtypes, 转移性支出) and 刚性支出 deductions."""
    members = tuple(draw(people(f"m{i + 1}")) for i in range(draw(st.integers(1, 5))))
    refs = [None, *(m.ref for m in members), "gone"]
    items = tuple(
        IncomeItem(
            kind=draw(st.sampled_from(["工资性", "经营净收入", "财产净收入", "转移净收入", "转移性支出", "其他"])),
            amount_fen=draw(st.integers(0, 6_000_000)),
            member_ref=draw(st.sampled_from(refs)),
            months=draw(st.integers(1, 12)),
            subtype=draw(st.sampled_from(["", "", "奖学金", "城乡居民基础养老金", "高龄津贴", "困难残疾人生活补贴"])),
        )
        for _ in range(draw(st.integers(0, 5)))
    )
    deductions = tuple(
        Deduction(
            "刚性支出",
            draw(st.integers(0, 2_000_000)),
            draw(st.integers(1, 12)),
            draw(st.sampled_from(refs)),
            draw(st.sampled_from(["", "透析"])),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    dibao = draw(st.booleans())
    return HouseholdCase(
        urban=draw(st.booleans()),
        members=members,
        income_items=items,
        deductions=deductions,
        disaster=draw(st.booleans()),
        current_dibao=CurrentDibao("差额", draw(st.integers(0, 300_000)), len(members)) if dibao else None,
        current_programmes=("低保",) if dibao else (),
        official_relative=draw(st.booleans()),
        formerly_poor=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(with_deductions(), MONTHS, st.sampled_from(["低保", "特困"]))
def test_income_without_explanation_has_the_same_figures(c, month, purpose):
    params = book().for_month(month)
    explained = assess_income(c, month, params, purpose)
    lean = assess_income(c, month, params, purpose, explain=False)
    assert explained.steps  # the clerk's assessment still explains every step
    assert lean == replace(explained, steps=())


def _age_milestones_as_written(s: MonitoringSnapshot, p: Params) -> list[AlertFinding]:
    """The rule before it was made fast: every member against every mark, in order of age."""
    out = []
    first, last = months.first_day(s.month), months.last_day(s.month)
    marks = {
        p.tekun_elder_age: "复核特困（无劳动能力）条件",
        16: "复核未成年人保障",
        p.tekun_minor_age: "未成年人保障到期，复核特困或孤儿保障",
    }
    for b in p.gaoling_bands:
        marks.setdefault(b.min_age, "高龄补贴起发或调档")
    for m in s.case.members:
        if m.deceased_on is not None and m.deceased_on < first:
            continue
        before, after = m.age_on(first - timedelta(days=1)), m.age_on(last)
        for age, what in sorted(marks.items()):
            if before < age <= after:
                out.append(AlertFinding("年龄节点", 1, f"{m.ref} 本月满 {age} 周岁：{what}", m.ref))
    return out


@st.composite
def near_milestones(draw) -> tuple[HouseholdCase, str]:
    """A month and members born around a milestone age of it (29 February births included)."""
    month = draw(MONTHS)
    first = months.first_day(month)
    members = []
    for i in range(draw(st.integers(1, 4))):
        age = draw(st.sampled_from([15, 16, 17, 18, 19, 59, 60, 61, 69, 70, 79, 80, 81, 89, 90, 99, 100, 101]))
        anchor = first.replace(year=first.year - age)  # the 1st of a month exists in every year
        born = anchor + timedelta(days=draw(st.integers(-40, 70)))
        if draw(st.booleans()) and born.month == 2:
            leap = next(y for y in range(born.year, born.year - 4, -1) if y % 4 == 0 and (y % 100 or y % 400 == 0))
            born = date(leap, 2, 29)
        died = draw(
            st.one_of(st.none(), st.just(first - timedelta(days=1)), st.just(first), st.just(first + timedelta(10)))
        )
        if died is not None and died < born:
            died = None
        members.append(PersonCase(ref=f"m{i + 1}", birth_date=born, deceased_on=died))
    return HouseholdCase(urban=False, members=tuple(members)), month


@settings(max_examples=400, deadline=None)
@given(near_milestones())
def test_age_milestones_as_first_written(case_month):
    c, month = case_month
    params = book().for_month(month)
    s = MonitoringSnapshot(case=c, month=month, as_of=months.last_day(month))
    assert age_milestones(s, params) == _age_milestones_as_written(s, params)


@settings(max_examples=200, deadline=None)
@given(with_deductions(), MONTHS, st.booleans(), st.booleans())
def test_every_rule_finds_the_same_with_the_income_given_or_worked_out(c, month, known, watched):
    """evaluate() works the income out itself (lean); a snapshot carrying the explained one gives the same."""
    params = book().for_month(month)
    plain = MonitoringSnapshot(case=c, month=month, as_of=months.last_day(month))
    explained = replace(plain, income=assess_income(c, month, params))
    assert evaluate(plain, params, known, watched) == evaluate(explained, params, known, watched)
