"""Rosters, holiday lines, 增减名单 and corrections."""

from __future__ import annotations

from datetime import date

from policy_testkit import book

from app.domain.policy.payments import (
    CoveredMember,
    EnrolmentInForce,
    HolidayBatch,
    corrections,
    diff_rosters,
    holiday_lines,
    roster_for_month,
)


def params_for(m):
    return book().for_month(m)


def _members(n, dead=None):
    ms = [CoveredMember(f"p{i + 1}") for i in range(n)]
    if dead:
        ms[-1] = CoveredMember(f"p{n}", deceased_on=dead)
    return tuple(ms)


def dibao_enrolment(hh="H1", n=4, pc=15000, dead=None, class_code="差额", **kw):
    return EnrolmentInForce(
        "E-" + hh, hh, "低保", "2021-06", _members(n, dead), class_code=class_code, per_capita_income_fen=pc, **kw
    )


def test_standard_rise_recomputes_gap():
    e = [dibao_enrolment()]
    dec = roster_for_month(e, "2021-12", params_for("2021-12"))  # (380 − 150) × 4 = 920.00
    jan = roster_for_month(e, "2022-01", params_for("2022-01"))  # (460 − 150) × 4 = 1240.00
    assert dec[0].amount_fen == 92000 and jan[0].amount_fen == 124000
    [ch] = diff_rosters(dec, jan)
    assert ch.change == "增发" and (ch.amount_before_fen, ch.amount_after_fen) == (92000, 124000)


def test_death_mid_month_removes_person_from_next_month():
    e = [dibao_enrolment(dead=date(2022, 2, 10))]
    feb = roster_for_month(e, "2022-02", params_for("2022-02"))
    mar = roster_for_month(e, "2022-03", params_for("2022-03"))
    assert (feb[0].persons, feb[0].amount_fen) == (4, 124000)
    assert (mar[0].persons, mar[0].amount_fen) == (3, 93000)  # 310 × 3
    [ch] = diff_rosters(feb, mar, {("H1", "低保", ""): "死亡"})
    assert ch.change == "户内减人" and ch.reason == "死亡" and (ch.persons_before, ch.persons_after) == (4, 3)


def test_approved_amount_scaled_when_income_unknown():
    e = [EnrolmentInForce("E", "H", "低保", "2022-01", _members(3, date(2022, 1, 5)), monthly_amount_fen=100000)]
    assert roster_for_month(e, "2022-02", params_for("2022-02"))[0].amount_fen == 66666  # 1000 × 2 ÷ 3, floor


def test_start_and_end_months():
    e = [
        EnrolmentInForce(
            "E", "H", "低保", "2022-03", _members(1), class_code="差额", per_capita_income_fen=0, end_month="2022-05"
        )
    ]
    assert roster_for_month(e, "2022-02", params_for("2022-02")) == []
    assert roster_for_month(e, "2022-05", params_for("2022-05"))[0].amount_fen == 46000
    assert roster_for_month(e, "2022-06", params_for("2022-06")) == []


def test_grace_period_six_months_then_stops():
    e = [dibao_enrolment(pc=50000, monthly_amount_fen=30000, grace_since="2022-01")]
    paid = [
        m
        for m in ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06", "2022-07")
        if roster_for_month(e, m, params_for(m))
    ]
    assert paid == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]
    jun = roster_for_month(e, "2022-06", params_for("2022-06"))
    assert jun[0].amount_fen == 30000 and "渐退" in jun[0].flags
    [ch] = diff_rosters(jun, roster_for_month(e, "2022-07", params_for("2022-07")))
    assert ch.change == "停保" and ch.month == "2022-07"


def test_entering_grace_is_listed_as_grace():
    before = roster_for_month([dibao_enrolment()], "2022-02", params_for("2022-02"))
    after = roster_for_month(
        [dibao_enrolment(pc=50000, monthly_amount_fen=124000, grace_since="2022-03")], "2022-03", params_for("2022-03")
    )
    assert diff_rosters(before, after)[0].change == "渐退"


def test_personal_programmes():
    born80 = date(1942, 3, 15)
    es = [
        EnrolmentInForce("T", "H", "特困", "2022-01", (CoveredMember("a"),), class_code="半失能"),
        EnrolmentInForce("G", "H", "高龄补贴", "2022-01", (CoveredMember("b", born80),)),
        EnrolmentInForce(
            "O", "H", "孤儿基本生活费", "2021-01", (CoveredMember("c", date(2004, 3, 2)),), class_code="散居"
        ),
        EnrolmentInForce("C", "H", "重度残疾人护理补贴", "2021-01", (CoveredMember("d"),), class_code="1级"),
        EnrolmentInForce("L", "H", "困难残疾人生活补贴", "2021-01", (CoveredMember("d"),)),
    ]
    mar = {ln.programme: ln.amount_fen for ln in roster_for_month(es, "2022-03", params_for("2022-03"))}
    # 特困 598.00 + 300.00; 高龄: 79 on 2022-03-01 → none yet; orphan 1000.00; care 100.00; living 80.00
    assert mar == {"特困": 89800, "孤儿基本生活费": 100000, "重度残疾人护理补贴": 10000, "困难残疾人生活补贴": 8000}
    apr = {ln.programme: ln.amount_fen for ln in roster_for_month(es, "2022-04", params_for("2022-04"))}
    assert apr["高龄补贴"] == 5000 and "孤儿基本生活费" not in apr  # 80 on 2022-04-01; orphan turned 18


def test_single_person_line_keyed_by_member():
    e = EnrolmentInForce(
        "S",
        "H",
        "低保",
        "2022-01",
        (CoveredMember("x"),),
        class_code="差额",
        single_person=True,
        per_capita_income_fen=0,
    )
    [ln] = roster_for_month([e], "2022-03", params_for("2022-03"))
    assert ln.member_id == "x" and "单人保" in ln.flags and ln.key == ("H", "低保", "x")


def test_new_stop_and_class_change():
    a = roster_for_month([dibao_enrolment("H1"), dibao_enrolment("H2")], "2022-03", params_for("2022-03"))
    b_enrol = [dibao_enrolment("H2", class_code="一类"), dibao_enrolment("H3")]
    b = roster_for_month(b_enrol, "2022-04", params_for("2022-04"))
    changes = {c.household_id: c.change for c in diff_rosters(a, b)}
    assert changes == {"H1": "停保", "H2": "类别调整", "H3": "新增"}


def test_holiday_lines_pay_each_person_once():
    es = [
        dibao_enrolment("H1", n=3),
        EnrolmentInForce("T", "H2", "特困", "2022-01", (CoveredMember("z"),), class_code="全自理"),
        EnrolmentInForce("G", "H1", "高龄补贴", "2022-01", (CoveredMember("p1", date(1930, 1, 1)),)),
    ]
    roster = roster_for_month(es, "2022-01", params_for("2022-01"))
    lines = holiday_lines(HolidayBatch("春节慰问", "2022-01", 6000, ("低保", "特困", "高龄补贴")), roster)
    by_hh = {ln.household_id: ln for ln in lines}
    assert by_hh["H1"].amount_fen == 18000 and by_hh["H1"].persons == 3  # p1 in both 低保 and 高龄 → once
    assert by_hh["H2"].amount_fen == 6000 and all(ln.kind == "holiday" for ln in lines)
    # The line names the people it pays for, each household its own.
    assert by_hh["H1"].member_ids == ("p1", "p2", "p3") and by_hh["H2"].member_ids == ("z",)


def test_corrections_leave_locked_lines_alone():
    locked = roster_for_month([dibao_enrolment("H1"), dibao_enrolment("H2")], "2022-03", params_for("2022-03"))
    snapshot = list(locked)
    again = roster_for_month([dibao_enrolment("H1", pc=20000), dibao_enrolment("H3")], "2022-03", params_for("2022-03"))
    fixes = {c.household_id: c for c in corrections(locked, again, "复核发现收入漏报")}
    assert locked == snapshot
    assert fixes["H1"].amount_fen == (46000 - 20000) * 4 - 124000 == -20000
    assert fixes["H2"].amount_fen == -124000 and fixes["H3"].amount_fen == 124000
    assert all(c.kind == "correction" and c.month == "2022-03" for c in fixes.values())
    assert corrections(locked, locked) == []


def test_a_locked_correction_counts_as_paid_so_a_rebuild_adds_nothing_more():
    from app.domain.policy.payments import RosterLine, corrections

    regular = RosterLine(month="2026-11", household_id="h1", programme="低保", amount_fen=90000, persons=3)
    recomputed = [RosterLine(month="2026-11", household_id="h1", programme="低保", amount_fen=60000, persons=2)]
    first = corrections([regular], recomputed)
    assert [c.amount_fen for c in first] == [-30000]  # 900.00 paid, 600.00 due
    # The correction is approved (locked); nothing changed since, so no second correction.
    assert corrections([regular, *first], recomputed) == []
    # A further change corrects only the new difference: 600.00 → 300.00.
    again = [RosterLine(month="2026-11", household_id="h1", programme="低保", amount_fen=30000, persons=1)]
    assert [c.amount_fen for c in corrections([regular, *first], again)] == [-30000]
