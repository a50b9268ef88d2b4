"""Roster, alerts and the monthly close, on a small office and on township-M."""

import json
from datetime import date, timedelta

import pytest

from app.domain.entities import CareRecord, Enrolment, IncomeRecord, Member, Visit
from app.domain.policy import months
from app.errors import InvalidInput, PermissionDenied
from app.services.office import open_session
from tests.factories import household, member
from tests.services.test_programmes import _poor_family, _to_review
from tests.sheets.messy import Messy, write_xlsx

TODAY = date.today()
THIS_MONTH = months.of(TODAY)
NEXT = months.add(THIS_MONTH, 1)
# NEXT is closed as it would be: once it has begun (a month not yet begun cannot be closed).
IN_NEXT = months.first_day(NEXT)


def compare_monitoring_list(session, month, tmp_path, people):
    """The month's 数据比对: a 乡村振兴 list naming *people* (name, ID number), compared through the
    service; findings (if any) checked and found untrue, so the checklist item is done."""
    path = write_xlsx(
        tmp_path / f"乡村振兴-{month}.xlsx",
        Messy(["序号", "姓名", "身份证号"], [[i, n, pid] for i, (n, pid) in enumerate(people, 1)]),
    )
    result = session.comparison.run(path, "乡村振兴", month=month, on=months.first_day(month))
    findings = [f.id for r in result.rows for f in r.findings]
    if findings:
        session.comparison.dispose(findings, "不属实", note="已入户核实，与登记一致")
    return result


@pytest.fixture
def enrolled(clerk, reviewer):
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    e = reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    return h, e


def test_roster_pays_the_approved_amount_from_the_next_month(clerk, enrolled):
    _h, e = enrolled
    assert clerk.payments.build(THIS_MONTH)["lines"] == 0  # approved this month, paid from next
    summary = clerk.payments.build(NEXT)
    assert summary["lines"] == 1 and summary["total_fen"] == e.monthly_amount_fen
    assert clerk.payments.totals(NEXT)["低保"] == {"households": 1, "persons": 3, "amount_fen": e.monthly_amount_fen}


def test_a_locked_month_changes_only_through_correction_lines(clerk, reviewer, enrolled):
    h, e = enrolled
    clerk.payments.build(NEXT)
    with pytest.raises(PermissionDenied):
        clerk.payments.approve(NEXT)
    assert reviewer.payments.approve(NEXT) == 1
    locked = clerk.payments.lines(NEXT)
    # The son dies on the 1st of next month: from then on two people are covered.
    _, ms = clerk.households.get(h.id)
    son = next(m for m in ms if m.name == "马小军")
    son.deceased_on = months.first_day(NEXT) - timedelta(days=1)
    clerk.households.update(clerk.households.get(h.id)[0], ms)
    clerk.payments.build(NEXT)
    lines = clerk.payments.lines(NEXT)
    assert [p for p in lines if p.locked] == locked  # untouched
    corr = [p for p in lines if p.kind == "correction"]
    assert len(corr) == 1
    # approved amount for 3 scaled to 2 living persons, rounded down to the fen
    assert corr[0].amount_fen == e.monthly_amount_fen * 2 // 3 - e.monthly_amount_fen
    assert sum(p.amount_fen for p in lines) == e.monthly_amount_fen * 2 // 3


def test_holiday_subsidy_is_a_one_off_per_person(clerk, enrolled):
    _h, _e = enrolled
    assert clerk.payments.add_holiday(NEXT, "春节一次性生活补贴", 6000, ("低保",)) == 1
    holiday = [p for p in clerk.payments.lines(NEXT) if p.kind == "holiday"]
    assert holiday[0].amount_fen == 3 * 6000


def test_alerts_raised_once_and_followed_to_a_close(clerk):
    h = _poor_family(clerk)
    month = THIS_MONTH
    first = clerk.monitoring.run(month)
    assert first > 0
    assert clerk.monitoring.run(month) == 0  # no duplicates
    rows = clerk.monitoring.open_alerts()
    rules = {r.alert.rule for r in rows}
    assert "未入户核查" in rules
    alert = next(r.alert for r in rows if r.alert.rule == "未入户核查")
    clerk.monitoring.acknowledge(alert.id)
    v = clerk.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="王五、赵六"))
    clerk.monitoring.follow(alert.id, v.id)
    with pytest.raises(InvalidInput):
        clerk.monitoring.close(alert.id, " ")
    closed = clerk.monitoring.close(alert.id, "已入户，情况属实，已纳入低保申请")
    assert closed.status == "closed"
    assert alert.id not in {r.alert.id for r in clerk.monitoring.open_alerts()}


def test_death_of_a_covered_member_raises_an_alert_with_the_name(clerk, enrolled):
    h, _e = enrolled
    _, ms = clerk.households.get(h.id)
    ms[1].deceased_on = TODAY - timedelta(days=3)
    clerk.households.update(clerk.households.get(h.id)[0], ms)
    clerk.monitoring.run(NEXT)
    death = [r for r in clerk.monitoring.open_alerts() if "死亡" in r.alert.rule]
    assert death and death[0].alert.level == 3 and "海秀兰" in death[0].alert.message


def test_monthly_close_checklist_changes_and_freeze(clerk, reviewer, enrolled, tmp_path):
    _h, e = enrolled
    clerk.payments.build(NEXT)
    with pytest.raises(InvalidInput) as exc:
        reviewer.monthly_close.close(NEXT, on=IN_NEXT)
    assert "审核锁定" in str(exc.value)
    reviewer.payments.approve(NEXT)
    items = {i.key: i for i in reviewer.monthly_close.checklist(NEXT)}
    assert items["roster"].done and not items["comparison"].done
    with pytest.raises(InvalidInput) as exc:
        reviewer.monthly_close.close(NEXT, on=IN_NEXT)
    assert "数据比对" in str(exc.value)
    head = clerk.households.members(_h.id)[0]
    compare_monitoring_list(clerk, NEXT, tmp_path, [(head.name, head.id_number)])
    items = {i.key: i for i in reviewer.monthly_close.checklist(NEXT)}
    assert items["comparison"].done and "已比对 1 份名单" in items["comparison"].detail
    changes = reviewer.monthly_close.changes(NEXT)
    assert [(c.change, c.head_name, c.amount_after_fen) for c in changes] == [("新增", "马学军", e.monthly_amount_fen)]
    record = reviewer.monthly_close.close(NEXT, note="入户核查将于下月补齐", on=IN_NEXT)
    figures = json.loads(record.figures_json)
    assert figures["totals"]["低保"]["amount_fen"] == e.monthly_amount_fen
    with pytest.raises(InvalidInput) as exc:
        clerk.payments.build(NEXT)
    assert "已月结" in str(exc.value)


def test_a_month_not_yet_begun_cannot_be_closed(clerk, reviewer, enrolled, tmp_path):
    clerk.payments.build(NEXT)
    reviewer.payments.approve(NEXT)
    head = clerk.households.members(enrolled[0].id)[0]
    compare_monitoring_list(clerk, NEXT, tmp_path, [(head.name, head.id_number)])
    # Everything else is ready; only the date is wrong: the last day of the month before.
    with pytest.raises(InvalidInput) as exc:
        reviewer.monthly_close.close(NEXT, note="提前月结", on=IN_NEXT - timedelta(days=1))
    assert exc.value.field == "month" and NEXT in str(exc.value) and "尚未开始" in str(exc.value)
    assert reviewer.monthly_close.closed(NEXT) is None
    # On the month's first day it can be closed.
    assert reviewer.monthly_close.close(NEXT, note="提前月结", on=IN_NEXT).closed_on == IN_NEXT


def test_changes_of_a_month_without_roster_say_so_instead_of_listing_everyone_stopped(clerk, enrolled):
    _h, _e = enrolled
    clerk.payments.build(NEXT)
    after = months.add(NEXT, 1)  # the roster of the month after has not been generated
    listed = clerk.monthly_close.change_list(after)
    assert listed.rows == [] and clerk.monthly_close.changes(after) == []
    assert after in listed.not_generated and "尚未生成" in listed.not_generated
    # Once generated, the list is the real comparison (the household carries on: no change).
    clerk.payments.build(after)
    assert clerk.monthly_close.change_list(after).not_generated == ""
    assert [c.change for c in clerk.monthly_close.change_list(after).rows] == []


def test_care_ledgers(clerk):
    clerk.households.add(
        household(),
        [
            member("马老汉", date(1940, 1, 1), disability_type="肢体", disability_grade=1, labour_ability="无"),
            member("马小娃", date(2016, 1, 1), "孙子", left_behind="留守儿童", labour_ability="无"),
        ],
    )
    severe = clerk.care.people("重度残疾人照料")
    assert [p.member.name for p in severe] == ["马老汉"]
    assert [p.member.name for p in clerk.care.people("三留守关爱")] == ["马小娃"]
    with pytest.raises(InvalidInput) as exc:
        clerk.care.add(
            CareRecord(member_id=severe[0].member.id, ledger="重度残疾人照料", care_mode="上门", visit_date=TODAY)
        )
    assert exc.value.field == "care_mode"
    clerk.care.add(
        CareRecord(
            member_id=severe[0].member.id,
            ledger="重度残疾人照料",
            care_mode="邻里照料",
            carer_name="马邻居",
            visit_date=TODAY,
            problems="冬季取暖",
        )
    )
    assert clerk.care.people("重度残疾人照料")[0].last_record.carer_name == "马邻居"


# --- a whole month on township-M ----------------------------------------------------


@pytest.fixture(scope="module")
def township_m(tmp_path_factory):
    import keyring

    from app.services.demo import create_demo
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    data = tmp_path_factory.mktemp("township-m")
    session, _, counts = create_demo(data, "demo-pass-2021", profile="township-M", end_month="2026-10")
    yield session, counts, ring
    session.close()
    keyring.set_keyring(previous)


def test_whole_month_on_township_m(township_m, memory_keyring, tmp_path):
    session, counts, ring = township_m
    memory_keyring.items.update(ring.items)
    assert counts["households"] == 6000
    admin = session
    admin.users.add("rev", "reviewer", "review-pass-2021")
    rev = open_session(admin.paths.data_dir, "rev", "review-pass-2021")
    try:
        month = "2026-11"
        summary = rev.payments.build(month)
        lines = rev.payments.lines(month)
        # Independent check, straight from the tables: every enrolment in force with a living covered
        # member has one line, and each 低保 line is the approved amount scaled to the living persons.
        enrolments = {
            e.id: e
            for e in rev.store.repo(Enrolment).where(
                "status IN ('在保', '渐退') AND start_month <= ? AND (end_month IS NULL OR end_month >= ?)",
                (month, month),
            )
        }
        members: dict[str, list[Member]] = {}
        for m in rev.store.repo(Member).where("1"):
            members.setdefault(m.household_id, []).append(m)
        first = months.first_day(month)
        expected_total = 0
        paid = {p.enrolment_id: p for p in lines}
        for e in enrolments.values():
            covered = [m for m in members[e.household_id] if not e.member_id or m.id == e.member_id]
            living = [m for m in covered if m.deceased_on is None or m.deceased_on >= first]
            if not living:
                assert e.id not in paid
                continue
            if e.programme == "低保" and e.status == "在保":
                approved = e.persons_covered or len(covered)
                want = e.monthly_amount_fen * min(len(living), approved) // approved
                if want:
                    assert paid[e.id].amount_fen == want, e
        for p in lines:
            expected_total += p.amount_fen
        totals = rev.payments.totals(month)
        assert sum(t["amount_fen"] for t in totals.values()) == expected_total == summary["total_fen"]
        assert all(p.amount_fen >= 0 for p in lines)
        assert sum(1 for p in lines if p.programme == "低保") == sum(
            1 for e in enrolments.values() if e.programme == "低保" and e.id in paid
        )
        rev.payments.approve(month)
        assert rev.payments.is_approved(month)
        someone = next(iter(enrolments.values()))
        head = rev.households.members(someone.household_id)[0]
        compare_monitoring_list(rev, month, tmp_path, [(head.name, head.id_number)])
        record = rev.monthly_close.close(month, note="演示：部分入户核查未完成")
        frozen = json.loads(record.figures_json)
        assert sum(t["amount_fen"] for t in frozen["totals"].values()) == expected_total
    finally:
        rev.close()


def test_no_income_rules_when_no_income_is_recorded(clerk):
    h = clerk.households.add(household(), [member("马无收", date(1970, 1, 1))])
    clerk.monitoring.run(THIS_MONTH)
    rules = {r.alert.rule for r in clerk.monitoring.open_alerts() if r.alert.household_id == h.id}
    assert "未入户核查" in rules
    assert not any("低保" in rule or "监测" in rule for rule in rules), rules
    clerk.income.set_income_items(h.id, [IncomeRecord(kind="经营净收入", amount_fen=12000, months=12)])
    clerk.monitoring.run(THIS_MONTH)
    rules = {r.alert.rule for r in clerk.monitoring.open_alerts() if r.alert.household_id == h.id}
    assert any("低保" in rule for rule in rules), rules


def test_households_not_under_watch_raise_no_overdue_visit_alert(clerk):
    watched = clerk.households.add(household(), [member("马看护", date(1970, 1, 1))])
    general = clerk.households.add(
        household(categories=["一般户"], under_watch=False), [member("马一般", date(1971, 1, 1))]
    )
    clerk.monitoring.run(THIS_MONTH)
    by_household: dict[str, set[str]] = {}
    for r in clerk.monitoring.open_alerts():
        by_household.setdefault(r.alert.household_id, set()).add(r.alert.rule)
    assert "未入户核查" in by_household[watched.id]
    assert "未入户核查" not in by_household.get(general.id, set())


def test_rebuilding_a_locked_month_twice_corrects_once(clerk, reviewer, enrolled):
    h, e = enrolled
    clerk.payments.build(NEXT)
    reviewer.payments.approve(NEXT)
    _, ms = clerk.households.get(h.id)
    ms[2].deceased_on = months.first_day(NEXT) - timedelta(days=1)
    clerk.households.update(clerk.households.get(h.id)[0], ms)
    clerk.payments.build(NEXT)
    reviewer.payments.approve(NEXT)
    total = sum(p.amount_fen for p in clerk.payments.lines(NEXT))
    assert clerk.payments.build(NEXT)["lines"] == 0  # nothing changed since the approval
    assert sum(p.amount_fen for p in clerk.payments.lines(NEXT)) == total == e.monthly_amount_fen * 2 // 3


def test_a_paid_household_cannot_be_archived_and_archived_ones_are_not_paid(clerk, reviewer, enrolled):
    h, e = enrolled
    with pytest.raises(InvalidInput) as exc:
        clerk.households.archive(h.id, "迁出本乡镇")
    assert "停保" in str(exc.value)
    reviewer.enrolments.advance(e.id, "停保", on=TODAY, note="全户迁出本乡镇")
    clerk.households.archive(h.id, "迁出本乡镇")
    assert clerk.payments.build(months.add(NEXT, 1))["lines"] == 0


def test_restore_refuses_a_person_now_registered_elsewhere(clerk):
    old = clerk.households.add(household(), [member("马学军", date(1958, 3, 4))])
    clerk.households.archive(old.id, "迁出")
    again = member("马学军", date(1990, 1, 1))
    again.id_number = clerk.households.get(old.id)[1][0].id_number
    clerk.households.add(household(village="640424100201"), [again])
    with pytest.raises(InvalidInput) as exc:
        clerk.households.restore(old.id)
    assert "马学军" in str(exc.value)
    assert clerk.households.get(old.id)[0].archived


def test_the_same_holiday_subsidy_is_not_paid_twice(clerk, enrolled):
    clerk.payments.add_holiday(NEXT, "春节一次性生活补贴", 6000, ("低保",))
    with pytest.raises(InvalidInput) as exc:
        clerk.payments.add_holiday(NEXT, "春节一次性生活补贴", 6000, ("低保",))
    assert "重复" in str(exc.value)


class _Steps:
    """An op's progress as the services see it: ``update(done, total, label)``."""

    def __init__(self):
        self.seen: list[tuple[int, int, str]] = []

    def update(self, done, total, label):
        self.seen.append((done, total, label))


def test_build_approve_and_close_report_each_step(clerk, reviewer, enrolled):
    for work in (
        lambda p: clerk.payments.build(NEXT, progress=p),
        lambda p: reviewer.payments.approve(NEXT, progress=p),
        lambda p: reviewer.monthly_close.close(NEXT, note="比对下月补做", on=IN_NEXT, progress=p),
    ):
        steps = _Steps()
        work(steps)
        done = [d for d, _t, _l in steps.seen]
        # Steps go forward to the end, each saying in words what is being done.
        assert len(steps.seen) >= 3 and done == sorted(done) and done[-1] == steps.seen[-1][1]
        assert all(label for _d, _t, label in steps.seen)
        assert any(NEXT in label for _d, _t, label in steps.seen)


def test_a_rebuilt_draft_reports_its_total_before_and_after(clerk, enrolled):
    h, e = enrolled
    first = clerk.payments.build(NEXT)
    assert (first["before_lines"], first["before_fen"], first["before_persons"]) == (0, 0, 0)
    assert first["persons"] == 3
    _, ms = clerk.households.get(h.id)
    next(m for m in ms if m.name == "马小军").deceased_on = months.first_day(NEXT) - timedelta(days=1)
    clerk.households.update(clerk.households.get(h.id)[0], ms)
    again = clerk.payments.build(NEXT)
    assert (again["before_lines"], again["before_fen"], again["before_persons"]) == (1, e.monthly_amount_fen, 3)
    assert (again["persons"], again["total_fen"]) == (2, e.monthly_amount_fen * 2 // 3)


def _payment_changes(session) -> int:
    return session.db.scalar("SELECT count(*) FROM change_log WHERE entity = 'payments'")


def test_a_rebuild_writes_only_the_lines_that_changed(clerk, enrolled):
    h, e = enrolled
    second = _poor_family(clerk)
    clerk.enrolments.apply(second.id, "高龄补贴", applied_on=TODAY)  # pending: no line of its own
    clerk.payments.build(NEXT)
    before = {p.id: p for p in clerk.payments.lines(NEXT)}
    logged = _payment_changes(clerk)
    again = clerk.payments.build(NEXT)  # nothing changed: the draft stays as it was, row for row
    assert {p.id: p for p in clerk.payments.lines(NEXT)} == before and _payment_changes(clerk) == logged
    assert (
        (again["lines"], again["total_fen"])
        == (again["before_lines"], again["before_fen"])
        == (1, e.monthly_amount_fen)
    )
    _, ms = clerk.households.get(h.id)
    next(m for m in ms if m.name == "马小军").deceased_on = months.first_day(NEXT) - timedelta(days=1)
    clerk.households.update(clerk.households.get(h.id)[0], ms)
    changed = clerk.payments.build(NEXT)
    (line,) = clerk.payments.lines(NEXT)
    assert line.id not in before and line.amount_fen == changed["total_fen"] == e.monthly_amount_fen * 2 // 3
    assert _payment_changes(clerk) == logged + 2  # the old line's tombstone and the new line


def test_the_roster_reads_the_covered_members_as_the_entities_give(office, clerk):
    """The roster's direct read of the members equals building them from the Member entities."""
    from app.domain.policy.payments import CoveredMember
    from app.services.demo import load_synthetic
    from app.services.policy_book import PolicyBookService

    load_synthetic(office[0], "small", households=120, seed=7, end_month="2026-11")
    params = PolicyBookService(clerk).for_month("2026-11")
    got = clerk.payments.enrolments_in_force("2026-11", params)
    family: dict[str, list[Member]] = {}
    for m in clerk.store.repo(Member).where("1"):
        family.setdefault(m.household_id, []).append(m)
    enrolments = {e.id: e for e in clerk.store.repo(Enrolment).where("1")}
    assert got and any(len(e.members) > 1 for e in got) and any(len(e.members) == 1 for e in got)
    for e in got:
        source = enrolments[e.enrolment_id]
        covered = [m for m in family[e.household_id] if not source.member_id or m.id == source.member_id]
        assert e.members == tuple(CoveredMember(m.id, m.birth_date, m.deceased_on) for m in covered)


def test_the_change_list_reads_the_lines_as_the_payments_give(office, clerk):
    """roster_lines (read straight from the columns) equals the Payment rows turned into roster lines."""
    from app.services.demo import load_synthetic
    from app.services.payments import lines_as_roster

    load_synthetic(office[0], "small", households=80, seed=11, end_month="2026-11")
    for month in ("2026-10", "2026-11"):
        fast = clerk.payments.roster_lines(month)
        assert fast and fast == lines_as_roster(clerk.payments.lines(month))
    assert any(line.flags for line in clerk.payments.roster_lines("2026-11"))
