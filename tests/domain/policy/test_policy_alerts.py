"""Monitoring rules (docs/domain.md §6)."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from policy_testkit import book, case, monthly_income_case, person

from app.domain.policy.alerts import SOURCE_NAMES, MonitoringSnapshot, evaluate, plain_message, source_name
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
    assert "m1（留守老人）" in next(f.message for f in r if f.rule == "三留守未走访")
    assert sum(1 for f in r if f.rule == "年龄节点") == 2  # m1 turns 60, m2 turns 80
    assert [f.level for f in r] == sorted((f.level for f in r), reverse=True)


def test_quiet_household_raises_nothing():
    c = monthly_income_case(2, 100000)
    assert evaluate(snap(c), P) == []


# --- issue 9 point 10 -------------------------------------------------------------------------


APPLYING = ("申请", "入户调查", "民主评议", "公示", "审核审批")


@given(st.sampled_from(("低保", "特困")), st.integers(0, 45999))
def test_may_qualify_is_quiet_while_an_application_is_open(programme, per_capita):
    """The household has already applied: telling it to apply again is noise (the clerk saw it fire)."""
    c = monthly_income_case(2, per_capita)
    assert "可能符合低保" in rules(snap(c))  # below the 460.00 standard, nothing asked yet
    assert "可能符合低保" not in rules(snap(c, open_applications=(programme,)))


def test_may_qualify_still_fires_for_an_application_of_another_programme():
    c = monthly_income_case(2, 40000)
    assert "可能符合低保" in rules(snap(c, open_applications=("临时救助",)))


def test_left_behind_is_one_alert_per_household_naming_each_member():
    c = case(
        [
            person("m1", date(1950, 1, 1), left_behind="留守老人"),
            person("m2", date(2015, 1, 1), left_behind="留守儿童"),
            person("m3", date(2016, 1, 1), left_behind="留守儿童"),
            person("m4"),
        ],
        [IncomeItem("其他", 300000, None, 1)],
    )
    found = [f for f in evaluate(snap(c, last_visit=None), P) if f.rule == "三留守未走访"]
    assert len(found) == 1 and found[0].member_ref is None
    msg = found[0].message
    assert "m1（留守老人）" in msg and "m2（留守儿童）" in msg and "m3（留守儿童）" in msg and "m4" not in msg
    assert "无走访记录" in msg


_CODE = re.compile(r"S\d+")


def test_texts_cite_policies_by_name_never_by_code():
    c = case(
        [person("m1", unemployed_uninsured_months=6), person("m2", deceased_on=date(2022, 3, 3))],
        [IncomeItem("其他", 40000, None, 1)],
        official_relative=True,
        disaster=True,
    )
    found = evaluate(snap(c, last_visit=None), P)
    by_rule = {f.rule: f.message for f in found}
    assert {"低于监测线", "近亲属备案", "灾害事故", "成员死亡", "失业无收入"} <= set(by_rule)
    for f in found:
        assert not _CODE.search(f.message), f.message
    assert "政策依据：《最低生活保障审核确认办法》第十一条、第二十条" in by_rule["近亲属备案"]
    assert "政策依据：《关于进一步加强和改进临时救助工作的意见》" in by_rule["灾害事故"]
    # the monitoring line is another county's figure: named, and marked as not confirmed
    assert "政策依据：外地（陕西某县）2021年防返贫监测方案（该数值尚未确认）" in by_rule["低于监测线"]


def test_sources_without_a_name_cite_nothing():
    assert source_name("Memory") == "" and source_name("placeholder") == "" and source_name("S99 第一条") == ""
    assert source_name("S1 第八条") == "《最低生活保障审核确认办法》第八条"


def test_stored_texts_of_older_versions_are_shown_in_words():
    old = "年人均收入 4800.00 元 低于防返贫监测线 6000.00 元（S15（2021-01-01 起，未确认）），纳入监测"
    assert plain_message(old) == (
        "年人均收入 4800.00 元 低于防返贫监测线 6000.00 元，纳入监测。"
        "政策依据：外地（陕西某县）2021年防返贫监测方案（该数值尚未确认）"
    )
    assert plain_message("可先行实施急难型临时救助（S8）") == (
        "可先行实施急难型临时救助。政策依据：《关于进一步加强和改进临时救助工作的意见》"
    )
    assert plain_message("某数值（Memory）待查") == "某数值待查"


@given(
    st.text(alphabet="本户收入核查元，。", max_size=20),
    st.sampled_from([*SOURCE_NAMES, "Memory", "占位值"]),
    st.sampled_from(["", " 第十一条", " 一(三)", "（2021-01-01 起，未确认）"]),
    st.text(alphabet="本户收入核查元，", max_size=10),
)
def test_no_code_survives_plain_message(before, code, tail, after):
    out = plain_message(f"{before}（{code}{tail}）{after}")
    assert not _CODE.search(out) and "Memory" not in out
    assert out.startswith(before + after)
