"""家庭收入核算 worked by hand (docs/domain.md §3.1, §3.2)."""

from __future__ import annotations

from datetime import date

from policy_testkit import book, case, person, wage

from app.domain.policy.income import assess_income
from app.domain.policy.model import Deduction, IncomeItem

P22 = book().for_month("2022-03")  # rural 460.00/month; employment cost: fixed 100, rate 0, cap 300 (placeholders)


def test_worked_example_four_members():
    # wages 7200/12 = 600.00; farming 3600/12 = 300.00; pension 1584/12 = 132.00 excluded (2021–2025);
    # scholarship excluded. Gross 900.00. Employment cost m1: min(600, 300, 100 + 0) = 100.00.
    # 刚性支出 2400/12 = 200.00. Household 900 − 100 − 200 = 600.00; per capita 600 ÷ 4 = 150.00.
    c = case(
        [person("m1", employed=True), person("m2"), person("m3", date(1940, 5, 20)), person("m4", date(2005, 11, 3))],
        [
            wage(720000, "m1"),
            IncomeItem("经营净收入", 360000),
            IncomeItem("转移净收入", 158400, "m3", 12, "城乡居民基础养老金"),
            IncomeItem("其他", 100000, "m4", 12, "奖学金"),
        ],
        deductions=(Deduction("刚性支出", 240000, 12, "m2"),),
    )
    r = assess_income(c, "2022-03", P22)
    assert (r.gross_monthly_fen, r.employment_cost_fen, r.rigid_deduction_fen) == (90000, 10000, 20000)
    assert r.household_monthly_fen == 60000 and r.per_capita_monthly_fen == 15000 and r.persons == 4
    assert any("600.00 ÷ 4 人 = 150.00" in s for s in r.steps)


def test_item_and_per_capita_round_down():
    # 1000.00 over 12 months = 83.333… → 83.33; three persons: 83.33 ÷ 3 = 27.776… → 27.77
    c = case([person("a"), person("b"), person("c")], [IncomeItem("其他", 100000, None, 12)])
    r = assess_income(c, "2022-03", P22)
    assert r.household_monthly_fen == 8333 and r.per_capita_monthly_fen == 2777


def test_each_excluded_subtype_is_not_counted():
    for sub in ("优待抚恤金", "计划生育奖励扶助金", "奖学金", "见义勇为奖励", "社会救助款物"):
        c = case([person()], [IncomeItem("转移净收入", 120000, None, 12, sub)])
        assert assess_income(c, "2022-03", P22).household_monthly_fen == 0, sub


def test_basic_pension_counted_before_2021_excluded_during_14th_plan():
    c = case([person()], [IncomeItem("转移净收入", 120000, "m1", 12, "城乡居民基础养老金")])
    assert assess_income(c, "2020-06", book().for_month("2020-06")).household_monthly_fen == 10000  # 1200 ÷ 12
    assert assess_income(c, "2021-08", book().for_month("2021-08")).household_monthly_fen == 0
    # 特困 test never counts it (S3 第六条)
    assert assess_income(c, "2020-06", book().for_month("2020-06"), "特困").household_monthly_fen == 0


def test_gaoling_allowance_is_not_counted_for_dibao_under_the_shipped_default():
    c = case([person("m1", date(1940, 1, 1))], [IncomeItem("转移净收入", 60000, "m1", 12, "高龄津贴")])
    r = assess_income(c, "2022-03", P22, "低保")
    assert r.household_monthly_fen == 0
    assert any("income.dibao_excluded_items" not in s and "高龄津贴不计入收入" in s for s in r.steps)
    assert any("按当地规定不计入低保收入" in s and "未确认" in s for s in r.steps)
    assert assess_income(c, "2022-03", P22, "特困").household_monthly_fen == 0
    # the default is marked unconfirmed, like the other figures nobody has checked for Ningxia
    assert "income.dibao_excluded_items" in P22.unconfirmed


def test_disability_subsidies_are_not_counted_for_dibao_under_the_shipped_default():
    c = case(
        [person("m1", disability_type="肢体", disability_grade=1)],
        [
            IncomeItem("转移净收入", 96000, "m1", 12, "困难残疾人生活补贴"),
            IncomeItem("转移净收入", 120000, "m1", 12, "重度残疾人护理补贴"),
            wage(120000, "m1"),
        ],
    )
    assert assess_income(c, "2022-03", P22, "低保").household_monthly_fen == 10000  # only the wage, 1200 ÷ 12


def test_a_later_period_can_count_the_items_again():
    # the list is dated: a county that counts 高龄津贴 from 2023 adds a period with an empty list
    later = book().add_period(
        "2023-01-01", {"income.dibao_excluded_items": {"value": [], "source": "县局通知", "unconfirmed": False}}
    )
    c = case([person("m1", date(1940, 1, 1))], [IncomeItem("转移净收入", 60000, "m1", 12, "高龄津贴")])
    assert assess_income(c, "2022-12", later.for_month("2022-12"), "低保").household_monthly_fen == 0
    assert assess_income(c, "2023-01", later.for_month("2023-01"), "低保").household_monthly_fen == 5000
    assert assess_income(c, "2023-01", later.for_month("2023-01"), "特困").household_monthly_fen == 0


def test_members_not_counted():
    # prisoner, missing, not living together, died before the month → not counted; died mid-month → counted
    ms = [
        person("m1"),
        person("m2", absent_reason="服刑"),
        person("m3", absent_reason="失踪"),
        person("m4", lives_together=False),
        person("m5", deceased_on=date(2022, 2, 28)),
        person("m6", deceased_on=date(2022, 3, 15)),
    ]
    r = assess_income(
        case(ms, [IncomeItem("其他", 120000, "m2", 12), IncomeItem("其他", 60000, None, 12)]), "2022-03", P22
    )
    assert r.counted_refs == ("m1", "m6")
    # prisoner's own income is left out; household item 600/12 = 50.00 ÷ 2 = 25.00
    assert r.household_monthly_fen == 5000 and r.per_capita_monthly_fen == 2500
    assert dict(r.excluded_members)["m5"].startswith("已于 2022-02-28 死亡")


def test_died_on_first_of_month_still_counts_that_month():
    ms = [person("m1"), person("m2", deceased_on=date(2022, 3, 1))]
    assert assess_income(case(ms), "2022-03", P22).persons == 2
    assert assess_income(case(ms), "2022-04", P22).persons == 1


def test_employment_cost_never_exceeds_own_wage():
    # wage 600/12 = 50.00 a month → deduction min(50, 300, 100) = 50.00
    c = case([person(employed=True)], [wage(60000, "m1")])
    r = assess_income(c, "2022-03", P22)
    assert r.employment_cost_fen == 5000 and r.household_monthly_fen == 0


def test_employment_cost_rate_and_cap():
    b = book().add_period(
        "2030-01-01",
        {
            "employment_cost.fixed_per_person_monthly": {"yuan": 50, "source": "t", "unconfirmed": True},
            "employment_cost.rate": {"value": 0.2, "source": "t", "unconfirmed": True},
            "employment_cost.cap_monthly": {"yuan": 200, "source": "t", "unconfirmed": True},
        },
    )
    p = b.for_month("2030-01")
    # wage 500.00: 50 + 20% × 500 = 150.00 (< cap 200)
    assert (
        assess_income(case([person(employed=True)], [wage(50000, "m1", 1)]), "2030-01", p).employment_cost_fen == 15000
    )
    # wage 1000.00: 50 + 200 = 250 → capped at 200.00
    assert (
        assess_income(case([person(employed=True)], [wage(100000, "m1", 1)]), "2030-01", p).employment_cost_fen == 20000
    )


def test_not_employed_gets_no_deduction():
    r = assess_income(case([person(employed=False)], [wage(120000, "m1")]), "2022-03", P22)
    assert r.employment_cost_fen == 0 and r.household_monthly_fen == 10000


def test_transfer_out_subtracts_and_total_floors_at_zero():
    # support paid 1200/12 = 100.00 a month, wage-free; income 60/month − 100 → floored at 0
    c = case([person()], [IncomeItem("其他", 72000, None, 12), IncomeItem("转移性支出", 120000, None, 12)])
    r = assess_income(c, "2022-03", P22)
    assert r.gross_monthly_fen == -4000 and r.household_monthly_fen == 0


def test_business_loss_reduces_income():
    c = case([person(), person("m2")], [wage(240000, None), IncomeItem("经营净收入", -120000, None, 12)])
    # 200.00 − 100.00 = 100.00; ÷ 2 = 50.00
    assert assess_income(c, "2022-03", P22).per_capita_monthly_fen == 5000
