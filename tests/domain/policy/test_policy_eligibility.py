"""Each programme's rule against cases worked by hand. 2022-03 rural: standard 5520 ÷ 12 = 460.00 元/月."""

from __future__ import annotations

from datetime import date

import pytest
from policy_testkit import book, case, monthly_income_case, person, wage

from app.domain.policy import eligibility as el
from app.domain.policy.model import CurrentDibao, IncomeItem

P = book().for_month("2022-03")
S = 46000


def _dibao(c, month="2022-03"):
    return el.dibao(c, month, book().for_month(month))


# --- 低保 ---------------------------------------------------------------------


def test_exactly_at_standard_is_not_eligible():
    d = _dibao(monthly_income_case(3, S))
    assert not d.eligible and d.monthly_amount_fen == 0


def test_one_fen_below_standard_pays_one_fen_per_person():
    d = _dibao(monthly_income_case(3, S - 1))  # (460.00 − 459.99) × 3 = 0.03
    assert d.eligible and d.monthly_amount_fen == 3 and d.persons_covered == 3


def test_one_fen_above_standard_not_eligible():
    assert not _dibao(monthly_income_case(3, S + 1)).eligible


def test_no_income_gets_full_standard():
    d = _dibao(monthly_income_case(2, 0))  # 460.00 × 2 = 920.00
    assert d.monthly_amount_fen == 92000 and d.class_code == "差额"


def test_urban_2021_standard():
    d = _dibao(monthly_income_case(2, 20000, urban=True), "2021-08")  # (600 − 200) × 2 = 800.00
    assert d.monthly_amount_fen == 80000


def test_standard_of_the_month_is_used():
    c = monthly_income_case(1, 40000)  # per capita 400.00
    assert not _dibao(c, "2021-12").eligible  # rural 2021: 380.00 ≤ 400.00
    assert _dibao(c, "2022-01").monthly_amount_fen == 6000  # 460 − 400 = 60.00


def test_fixed_and_ratio_classes():
    b = book().add_period(
        "2030-01-01",
        {
            "dibao.classes": {
                "value": [
                    {"code": "差额", "rule": "差额"},
                    {"code": "A", "rule": "定额", "yuan": 300},
                    {"code": "B", "rule": "标准×比例", "ratio": 0.333},
                ],
                "source": "t",
                "unconfirmed": True,
            }
        },
    )
    p = b.for_month("2030-01")
    a = el.dibao(monthly_income_case(2, 10000, current_dibao=CurrentDibao("A", 60000, 2)), "2030-01", p)
    assert a.class_code == "A" and a.monthly_amount_fen == 60000  # 300 × 2
    bb = el.dibao(monthly_income_case(2, 10000, current_dibao=CurrentDibao("B", 0, 2)), "2030-01", p)
    assert bb.monthly_amount_fen == 2 * 15318  # 460 × 0.333 = 153.18 → × 2 = 306.36


def test_topup_floor_per_person_minimum_mode():
    b = book().add_period(
        "2030-01-01", {"dibao.topup_floor_mode": {"value": "per_person_minimum", "source": "t", "unconfirmed": True}}
    )
    # per capita 400.00 → gap 60.00 < rural floor 322.00 → 322.00 × 2 = 644.00
    d = el.dibao(monthly_income_case(2, 40000), "2030-01", b.for_month("2030-01"))
    assert d.monthly_amount_fen == 64400
    # default mode: floor is only a regional average → 60.00 × 2
    assert _dibao(monthly_income_case(2, 40000)).monthly_amount_fen == 12000


def test_property_limit_when_set():
    b = book().add_period(
        "2030-01-01", {"property.deposit_limit_per_person": {"yuan": 10000, "source": "t", "unconfirmed": True}}
    )
    p = b.for_month("2030-01")
    rich = monthly_income_case(2, 0)
    from dataclasses import replace

    from app.domain.policy.model import PropertySummary

    rich = replace(rich, property=PropertySummary(deposits_fen=2_000_001))  # > 10000 × 2 = 20000.00
    assert not el.dibao(rich, "2030-01", p).eligible
    assert el.dibao(replace(rich, property=PropertySummary(deposits_fen=2_000_000)), "2030-01", p).eligible


def test_death_mid_month_paid_this_month_not_next():
    c = case([person("m1"), person("m2", deceased_on=date(2022, 3, 20))])
    assert _dibao(c, "2022-03").persons_covered == 2  # 460 × 2
    d = _dibao(c, "2022-04")
    assert d.persons_covered == 1 and d.monthly_amount_fen == S and d.covered_refs == ("m1",)


# --- 渐退期 -------------------------------------------------------------------


def _grace_case(since, persons=3, n=3, deceased=None):
    members = [person(f"m{i + 1}") for i in range(n)]
    if deceased:
        members[-1] = person(f"m{n}", deceased_on=deceased)
    return case(
        members,
        [IncomeItem("工资性", 50000 * n, None, 1)],  # per capita 500.00 > 460.00
        current_dibao=CurrentDibao("差额", 30000, persons, since),
        current_programmes=("低保",),
    )


def test_grace_first_month_when_income_first_rises():
    d = _dibao(_grace_case(None))
    assert d.eligible and "渐退" in d.flags and d.monthly_amount_fen == 30000
    assert any("第 1 个月，共 6 个月（2022-03 至 2022-08）" in r for r in d.reasons)


def test_grace_sixth_month_is_last_then_stops():
    d6 = _dibao(_grace_case("2021-10"), "2022-03")  # 2021-10 … 2022-03 = month 6
    assert d6.eligible and "渐退期最后一个月" in d6.flags
    d7 = _dibao(_grace_case("2021-10"), "2022-04")
    assert not d7.eligible and "渐退期满" in d7.flags


def test_grace_amount_scaled_after_death():
    # approved 300.00 for 3; one died in February → 300 × 2 ÷ 3 = 200.00
    d = _dibao(_grace_case("2022-01", deceased=date(2022, 2, 10)))
    assert d.persons_covered == 2 and d.monthly_amount_fen == 20000


def test_grace_ends_when_income_falls_back():
    c = monthly_income_case(2, 10000, current_dibao=CurrentDibao("差额", 0, 2, "2022-01"))
    d = _dibao(c)
    assert d.eligible and "渐退期结束" in d.flags and d.monthly_amount_fen == 72000  # (460 − 100) × 2


def test_not_enrolled_above_standard_gets_no_grace():
    assert not _dibao(monthly_income_case(2, 50000)).eligible


# --- 单人保 -------------------------------------------------------------------


def _edge_case(member_kw, per_capita=50000):
    # two members, household per capita 500.00: ≥ 460 and < 690 → 低保边缘
    ms = [person("m1"), person("m2", **member_kw)]
    return case(ms, [IncomeItem("工资性", per_capita * 2, "m1", 1)])


@pytest.mark.parametrize(
    ("kw", "ok"),
    [
        ({"disability_type": "肢体", "disability_grade": 1}, True),
        ({"disability_type": "视力", "disability_grade": 2}, True),
        ({"disability_type": "智力", "disability_grade": 3}, True),
        ({"disability_type": "精神", "disability_grade": 3}, True),
        ({"disability_type": "肢体", "disability_grade": 3}, False),
        ({"serious_illness": True}, True),
        ({}, False),
    ],
)
def test_single_person_conditions(kw, ok):
    ds = el.single_person(_edge_case(kw), "2022-03", P)
    if ok:
        assert len(ds) == 1 and ds[0].eligible and ds[0].single_person_member == "m2"
        assert ds[0].monthly_amount_fen == S and ds[0].persons_covered == 1  # own income 0 → 460.00
    else:
        assert ds == []


def test_single_person_not_when_household_above_edge_line():
    c = _edge_case({"serious_illness": True}, per_capita=69000)  # exactly 1.5 × 460 = 690.00 → not 边缘
    assert not el.single_person(c, "2022-03", P)[0].eligible
    c = _edge_case({"serious_illness": True}, per_capita=68999)
    assert el.single_person(c, "2022-03", P)[0].eligible


def test_single_person_not_when_whole_household_qualifies():
    c = _edge_case({"serious_illness": True}, per_capita=40000)
    assert not el.single_person(c, "2022-03", P)[0].eligible
    assert el.dibao(c, "2022-03", P).persons_covered == 2


def test_single_person_own_income_counts():
    ms = [person("m1"), person("m2", serious_illness=True)]
    c = case(ms, [IncomeItem("工资性", 100000, "m1", 1), IncomeItem("转移净收入", 10000, "m2", 1)])
    # household (1000 + 100) ÷ 2 = 550.00 (边缘); own 100.00 → 460 − 100 = 360.00
    d = el.single_person(c, "2022-03", P)[0]
    assert d.eligible and d.monthly_amount_fen == 36000


# --- 低收入 (低保边缘) ----------------------------------------------------------


def test_low_income_band():
    assert el.low_income(monthly_income_case(2, S), "2022-03", P).eligible  # 460.00 ≥ standard
    assert el.low_income(monthly_income_case(2, 68999), "2022-03", P).eligible
    assert not el.low_income(monthly_income_case(2, 69000), "2022-03", P).eligible
    assert not el.low_income(monthly_income_case(2, S - 1), "2022-03", P).eligible


# --- 特困 -------------------------------------------------------------------


def _alone(born, **kw):
    return case([person("m1", born, has_supporter=False, **kw)])


def test_tekun_turning_60_during_month_counts_from_next_month():
    c = _alone(date(1962, 3, 15))
    assert el.tekun(c, "2022-03", P) == []  # 59 on 2022-03-01: has labour ability by age
    d = el.tekun(c, "2022-04", book().for_month("2022-04"))[0]
    # 1.3 × 460.00 = 598.00 + 全自理 care 60.00 = 658.00
    assert d.eligible and d.monthly_amount_fen == 65800 and d.class_code == "全自理"


def test_tekun_birthday_on_first_counts_that_month():
    assert el.tekun(_alone(date(1962, 3, 1)), "2022-03", P)[0].eligible


def test_tekun_care_tier():
    d = el.tekun(_alone(date(1950, 1, 1), self_care="全失能"), "2022-03", P)[0]
    assert d.monthly_amount_fen == 59800 + 60000


def test_tekun_needs_no_able_supporter():
    c = case([person("m1", date(1950, 1, 1), has_supporter=True, supporter_able=True)])
    assert not el.tekun(c, "2022-03", P)[0].eligible
    c = case([person("m1", date(1950, 1, 1), has_supporter=True, supporter_able=False)])
    assert el.tekun(c, "2022-03", P)[0].eligible


def test_tekun_income_at_standard_not_eligible():
    c = case([person("m1", date(1950, 1, 1), has_supporter=False)], [IncomeItem("其他", S, None, 1)])
    assert not el.tekun(c, "2022-03", P)[0].eligible
    # the basic pension and 高龄津贴 are not income for 特困
    c = case([person("m1", date(1950, 1, 1), has_supporter=False)], [IncomeItem("转移净收入", S, "m1", 1, "高龄津贴")])
    assert el.tekun(c, "2022-03", P)[0].eligible


@pytest.mark.parametrize(
    ("dtype", "grade", "ok"),
    [
        ("智力", 3, True),
        ("精神", 1, True),
        ("肢体", 2, True),
        ("肢体", 3, False),
        ("视力", 1, True),
        ("视力", 2, False),
    ],
)
def test_tekun_disability_grades(dtype, grade, ok):
    ds = el.tekun(_alone(date(1985, 1, 1), disability_type=dtype, disability_grade=grade), "2022-03", P)
    assert (len(ds) == 1 and ds[0].eligible) == ok


def test_minor_covered_until_18_and_orphan_overlap():
    minor = case([person("m1", date(2004, 3, 10), has_supporter=False, prefers_orphan_scheme=False, orphan="散居")])
    assert el.tekun(minor, "2022-03", P)[0].eligible  # 17 on 2022-03-01
    assert el.tekun(minor, "2022-04", P) == []  # 18 on 2022-04-01: no longer a minor
    chooses_orphan = case([person("m1", date(2010, 1, 1), has_supporter=False, orphan="散居")])
    d = el.tekun(chooses_orphan, "2022-03", P)[0]
    assert not d.eligible and "S3 第九条" in d.reasons[-1]


def test_tekun_dead_person_gets_nothing_after_month_of_death():
    c = _alone(date(1940, 1, 1), deceased_on=date(2022, 3, 31))
    assert el.tekun(c, "2022-03", P)[0].eligible
    assert el.tekun(c, "2022-04", P) == []


# --- 高龄, 孤儿, 残疾两项 ------------------------------------------------------


def test_gaoling_turning_80_paid_from_next_month():
    c = case([person("m1", date(1942, 3, 15))])
    assert not any(d.eligible for d in el.gaoling(c, "2022-03", P))
    d = el.gaoling(c, "2022-04", P)[0]
    assert d.eligible and d.monthly_amount_fen == 5000 and d.class_code == "80周岁以上"


def test_gaoling_birthday_month_rule_switch():
    b = book().add_period(
        "2030-01-01", {"gaoling.count_birthday_month": {"value": True, "source": "t", "unconfirmed": True}}
    )
    c = case([person("m1", date(1950, 1, 20))])
    assert el.gaoling(c, "2030-01", b.for_month("2030-01"))[0].eligible


def test_gaoling_bands_and_death():
    c = case([person("m1", date(1930, 1, 1)), person("m2", date(1921, 6, 1), deceased_on=date(2022, 3, 5))])
    ds = {d.covered_refs[0]: d for d in el.gaoling(c, "2022-03", P)}
    assert ds["m1"].monthly_amount_fen == 10000 and ds["m2"].monthly_amount_fen == 30000  # 92 → 90+; 100 → 100+
    ds = {d.covered_refs[0]: d for d in el.gaoling(c, "2022-04", P)}
    assert not ds["m2"].eligible and ds["m2"].monthly_amount_fen == 0


def test_orphan_amounts_by_period_and_age():
    c = case([person("m1", date(2010, 5, 1), orphan="散居")])
    assert el.orphan(c, "2021-08", book().for_month("2021-08"))[0].monthly_amount_fen == 93700
    assert el.orphan(c, "2022-03", P)[0].monthly_amount_fen == 100000
    c18 = case([person("m1", date(2004, 3, 2), orphan="机构")])
    assert el.orphan(c18, "2022-03", P)[0].monthly_amount_fen == 150000  # 17 on 2022-03-01
    assert not el.orphan(c18, "2022-04", P)[0].eligible


def test_disability_subsidies():
    c = case(
        [
            person("m1"),
            person("m2", disability_type="肢体", disability_grade=1),
            person("m3", disability_type="听力", disability_grade=3),
        ]
    )
    d = el.dibao(c, "2022-03", P)
    living = {x.covered_refs[0]: x for x in el.disability_living(c, "2022-03", P, [d])}
    assert living["m2"].monthly_amount_fen == 8000 and living["m3"].eligible
    care = el.disability_care(c, "2022-03", P)
    assert [x.covered_refs for x in care] == [("m2",)] and care[0].monthly_amount_fen == 10000
    rich = case([person("m1"), person("m2", disability_type="肢体", disability_grade=1)], [wage(200000, "m1", 1)])
    assert not el.disability_living(rich, "2022-03", P, [el.dibao(rich, "2022-03", P)])[0].eligible


# --- 临时救助 -----------------------------------------------------------------


def test_emergency_one_off():
    d = el.linshi_emergency(monthly_income_case(2, 0, disaster=True), "2022-03", P)
    assert d.eligible and d.payment == "one_off" and d.monthly_amount_fen == 3 * S * 2  # 3 × 460 × 2 = 2760.00
    assert not el.linshi_emergency(monthly_income_case(2, 0), "2022-03", P).eligible


def test_expense_type():
    # income 600.00 × 2 = 1200.00/month → 14400.00/yr; need 12 × 460 × 2 = 11040.00; capacity 3360.00
    # spending 5000.00 → excess 1640.00 (cap 12 × 460 × 2 = 11040.00)
    c = monthly_income_case(2, 60000, medical_out_of_pocket_fen_12m=500000)
    d = el.linshi_expense(c, "2022-03", P)
    assert d.eligible and d.monthly_amount_fen == 164000 and "待核" in d.flags
    c = monthly_income_case(2, 60000, medical_out_of_pocket_fen_12m=336000)  # spending = capacity → nothing
    assert not el.linshi_expense(c, "2022-03", P).eligible


def test_unemployed_one_off():
    c = case([person("m1", unemployed_uninsured_months=3)], [IncomeItem("其他", S * 2, None, 1)])
    d = el.linshi_unemployed(c, "2022-03", P, el.dibao(c, "2022-03", P))[0]
    assert d.eligible and d.monthly_amount_fen == S
    c2 = case([person("m1", unemployed_uninsured_months=2)])
    assert el.linshi_unemployed(c2, "2022-03", P) == []
