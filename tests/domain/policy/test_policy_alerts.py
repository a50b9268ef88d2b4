"""Monitoring rules (docs/domain.md §6)."""

from __future__ import annotations

from datetime import date

from policy_testkit import book, case, monthly_income_case, person

from app.domain.policy.alerts import MonitoringSnapshot, evaluate
from app.domain.policy.model import IncomeItem

P = book().for_month("2022-03")
TODAY = date(2022, 3, 20)


def rules(snap):
    return {f.rule: f for f in evaluate(snap, P)}


def snap(c, **kw):
    kw.setdefault("last_visit", date(2022, 3, 5))
    return MonitoringSnapshot(case=c, month="2022-03", as_of=TODAY, **kw)


def test_below_standard_not_enrolled_and_monitoring_line():
    r = rules(snap(monthly_income_case(2, 40000)))  # 400.00 < 460.00; 4800/yr < 6000 line
    assert r["可能符合低保"].level == 3 and "低于监测线" in r
    assert "可能符合低保" not in rules(snap(monthly_income_case(2, 40000, current_programmes=("低保",))))


def test_edge_band_and_single_person_hint():
    c = case(
        [person("m1"), person("m2", disability_type="智力", disability_grade=3)],
        [IncomeItem("工资性", 100000, "m1", 1)],
    )  # per capita 500.00: edge
    r = rules(snap(c))
    assert "低保边缘" in r and r["建议单人保"].member_ref == "m2" and "低于监测线" not in r


def test_income_drop_threshold():
    assert "收入骤降" in rules(snap(monthly_income_case(1, 70000), previous_per_capita_monthly_fen=100000))  # −30%
    assert "收入骤降" not in rules(snap(monthly_income_case(1, 70001), previous_per_capita_monthly_fen=100000))


def test_medical_thresholds_depend_on_formerly_poor():
    c = monthly_income_case(1, 100000, formerly_poor=True)
    assert "大额医疗支出" in rules(snap(c, inpatient_out_of_pocket_ytd_fen=500000))
    c2 = monthly_income_case(1, 100000, formerly_poor=False)
    assert "大额医疗支出" not in rules(snap(c2, inpatient_out_of_pocket_ytd_fen=500000))
    assert "大额医疗支出" in rules(snap(c2, inpatient_out_of_pocket_ytd_fen=2000000))
    assert "门诊费用" in rules(snap(c2, outpatient_out_of_pocket_month_fen=50000))


def test_death_alert_with_deadline():
    c = case([person("m1"), person("m2", deceased_on=date(2022, 3, 3))], current_programmes=("低保",))
    f = rules(snap(c))["成员死亡"]
    assert f.level == 3 and f.member_ref == "m2" and "2022-04 起停发" in f.message and "2022-06 前" in f.message


def test_above_standard_grace_and_ending():
    c = monthly_income_case(1, 50000, current_programmes=("低保",))
    assert "收入超标渐退" in rules(snap(c))
    r = rules(snap(c, grace_until="2022-04"))
    assert "渐退期将满" in r and "收入超标渐退" not in r


def test_visit_overdue_and_lonely_elderly():
    c = case([person("m1", date(1940, 1, 1), has_supporter=False)], [IncomeItem("其他", 100000, None, 1)])
    r = rules(snap(c, last_visit=date(2022, 2, 1)))  # 47 days
    assert r["入户核查逾期"].level == 1 and "孤寡老人未走访" in r
    assert rules(snap(c, last_visit=None))["未入户核查"].level == 2


def test_left_behind_official_relative_disaster_age_and_review():
    c = case(
        [person("m1", date(1962, 3, 10), left_behind="留守老人"), person("m2", date(1942, 3, 31))],
        [IncomeItem("其他", 200000, None, 1)],
        official_relative=True,
        disaster=True,
        current_programmes=("低保",),
    )
    r = evaluate(snap(c, last_visit=date(2022, 1, 1), last_review=date(2021, 3, 1)), P)
    names = [f.rule for f in r]
    assert {"三留守未走访", "近亲属备案", "灾害事故", "年龄节点", "复核到期"} <= set(names)
    assert sum(1 for f in r if f.rule == "年龄节点") == 2  # m1 turns 60, m2 turns 80
    assert [f.level for f in r] == sorted((f.level for f in r), reverse=True)


def test_quiet_household_raises_nothing():
    c = monthly_income_case(2, 100000)
    assert evaluate(snap(c), P) == []
