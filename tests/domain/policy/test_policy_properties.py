"""Property tests: never negative, never paid after death, more income never raises 低保, never 特困 and 低保 both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from policy_testkit import book

from app.domain.policy import months
from app.domain.policy.eligibility import assess_case, dibao, tekun
from app.domain.policy.income import assess_income
from app.domain.policy.model import CurrentDibao, HouseholdCase, IncomeItem, PersonCase, PropertySummary
from app.domain.policy.payments import CoveredMember, EnrolmentInForce, roster_for_month

MONTHS = st.integers(min_value=2015 * 12 + 3, max_value=2027 * 12 + 11).map(lambda k: f"{k // 12:04d}-{k % 12 + 1:02d}")
DIS = st.sampled_from([("", 0), ("肢体", 1), ("肢体", 3), ("智力", 3), ("视力", 1), ("精神", 2), ("听力", 4)])


@st.composite
def persons(draw, ref):
    born = draw(st.dates(date(1915, 1, 1), date(2014, 12, 31)))
    dtype, grade = draw(DIS)
    dead = draw(st.one_of(st.none(), st.dates(max(born, date(2014, 1, 1)), date(2028, 12, 31))))
    return PersonCase(
        ref=ref,
        birth_date=born,
        deceased_on=dead,
        disability_type=dtype,
        disability_grade=grade,
        serious_illness=draw(st.booleans()),
        employed=draw(st.booleans()),
        has_supporter=draw(st.booleans()),
        supporter_able=draw(st.booleans()),
        orphan=draw(st.sampled_from(["", "", "散居", "机构"])),
        prefers_orphan_scheme=draw(st.booleans()),
        self_care=draw(st.sampled_from(["全自理", "半失能", "全失能"])),
        absent_reason=draw(st.sampled_from(["", "", "", "服刑"])),
        unemployed_uninsured_months=draw(st.integers(0, 6)),
    )


ITEM_KINDS = st.sampled_from(["工资性", "经营净收入", "财产净收入", "转移净收入", "其他"])


@st.composite
def cases(draw, with_current=True):
    n = draw(st.integers(1, 5))
    members = tuple(draw(persons(f"m{i + 1}")) for i in range(n))
    refs = [None] + [m.ref for m in members]
    items = tuple(
        IncomeItem(
            kind=draw(ITEM_KINDS),
            amount_fen=draw(st.integers(0, 6_000_000)),
            member_ref=draw(st.sampled_from(refs)),
            months=draw(st.integers(1, 12)),
            subtype=draw(st.sampled_from(["", "", "奖学金", "城乡居民基础养老金", "高龄津贴"])),
        )
        for _ in range(draw(st.integers(0, 4)))
    )
    current = None
    if with_current and draw(st.booleans()):
        current = CurrentDibao(
            "差额",
            draw(st.integers(0, 300_000)),
            draw(st.integers(0, n)),
            draw(st.one_of(st.none(), st.just("2015-04"), st.just("2021-11"))),
        )
    return HouseholdCase(
        urban=draw(st.booleans()),
        members=members,
        income_items=items,
        property=PropertySummary(deposits_fen=draw(st.integers(0, 10_000_000))),
        disaster=draw(st.booleans()),
        accident=False,
        medical_out_of_pocket_fen_12m=draw(st.integers(0, 5_000_000)),
        schooling_cost_fen_12m=draw(st.integers(0, 2_000_000)),
        current_dibao=current,
        current_programmes=("低保",) if current else (),
    )


def _fix_grace(c: HouseholdCase, month: str) -> HouseholdCase:
    cd = c.current_dibao
    if cd and cd.grace_since and cd.grace_since > month:
        return replace(c, current_dibao=replace(cd, grace_since=None))
    return c


@settings(max_examples=250, deadline=None)
@given(cases(), MONTHS)
def test_no_rule_gives_a_negative_amount(c, month):
    c = _fix_grace(c, month)
    a = assess_case(c, month, book().for_month(month))
    for d in a.decisions:
        assert d.monthly_amount_fen >= 0 and d.persons_covered >= 0
        assert d.eligible or d.monthly_amount_fen == 0
    assert a.income.per_capita_monthly_fen >= 0


@settings(max_examples=250, deadline=None)
@given(cases(), MONTHS)
def test_nobody_is_paid_after_the_month_of_death(c, month):
    c = _fix_grace(c, month)
    dead = {m.ref for m in c.members if m.deceased_on is not None and m.deceased_on < months.first_day(month)}
    a = assess_case(c, month, book().for_month(month))
    for d in a.decisions:
        if d.eligible:
            assert not (dead & set(d.covered_refs)), (d, dead)
            assert d.persons_covered <= len(c.members) - len(dead)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(1930, 1, 1), date(2010, 1, 1)),
            st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2024, 12, 31))),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["低保", "特困", "高龄补贴", "孤儿基本生活费", "重度残疾人护理补贴"]),
    MONTHS,
)
def test_roster_never_pays_after_death(people, programme, month):
    members = tuple(CoveredMember(f"p{i}", b, d) for i, (b, d) in enumerate(people))
    if programme != "低保":
        members = members[:1]
    e = EnrolmentInForce(
        "E",
        "H",
        programme,
        "2015-04",
        members,
        class_code={"特困": "全自理", "孤儿基本生活费": "散居", "重度残疾人护理补贴": "1级"}.get(programme, "差额"),
        per_capita_income_fen=0,
        monthly_amount_fen=10000,
    )
    for ln in roster_for_month([e], month, book().for_month(month)):
        assert ln.amount_fen > 0
        for mid in ln.member_ids:
            m = next(x for x in members if x.member_id == mid)
            assert months.alive_in(m.deceased_on, month)
        assert ln.persons == len(ln.member_ids)


@settings(max_examples=250, deadline=None)
@given(
    c=cases(with_current=False),
    month=MONTHS,
    kind=ITEM_KINDS,
    amount=st.integers(1, 3_000_000),
    n_months=st.integers(1, 12),
    data=st.data(),
)
def test_more_income_never_raises_dibao(*, c, month, kind, amount, n_months, data):
    p = book().for_month(month)
    ref = data.draw(st.sampled_from([None] + [m.ref for m in c.members]))
    more = replace(c, income_items=(*c.income_items, IncomeItem(kind, amount, ref, n_months)))
    i0, i1 = assess_income(c, month, p), assess_income(more, month, p)
    assert i1.per_capita_monthly_fen >= i0.per_capita_monthly_fen
    assert dibao(more, month, p, i1).monthly_amount_fen <= dibao(c, month, p, i0).monthly_amount_fen


def _eligible(a, programme):
    return [d for d in a.decisions if d.programme == programme and d.eligible]


@settings(max_examples=300, deadline=None)
@given(cases(), MONTHS)
def test_nobody_is_paid_both_tekun_and_dibao(c, month):
    c = _fix_grace(c, month)
    p = book().for_month(month)
    a = assess_case(c, month, p)
    tekun_refs = {r for d in _eligible(a, "特困") for r in d.covered_refs}
    dibao_refs = {r for d in _eligible(a, "低保") for r in d.covered_refs}
    assert not tekun_refs & dibao_refs, (tekun_refs, dibao_refs)
    # 特困 is decided on its own test, unchanged by the exclusion
    alone = tekun(c, month, p, assess_income(c, month, p, "特困"))
    assert {r for d in alone if d.eligible for r in d.covered_refs} == tekun_refs
    # and 低保 never pays more than it would without the exclusion
    assert (
        sum(d.monthly_amount_fen for d in _eligible(a, "低保") if d.single_person_member is None)
        <= dibao(c, month, p).monthly_amount_fen
    )
    for d in _eligible(a, "低保"):
        assert d.persons_covered == len(d.covered_refs) or "渐退" in d.flags
