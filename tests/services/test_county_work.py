"""County 审批 and county tasks: the county decides on rows it does not own through rows it does.

Rows are carried between the offices here by a plain copy (``_carry``), as a package import would
bring them; tests/exchange_flow runs the same story through real packages.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import months
from app.domain.entities import CountyDecision, CountyTask, Enrolment, EnrolmentStep, Household, IncomeRecord, Member
from app.errors import InvalidInput, PermissionDenied
from app.services.office import create_office, open_session
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()


@pytest.fixture
def county(tmp_path):
    admin, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    admin.users.add("xian1", "county", "county-pass-2021", display_name="县审批员")
    session = open_session(tmp_path / "county", "xian1", "county-pass-2021")
    yield session
    session.close()
    admin.close()


def _carry(source, target, *types):
    """Copy every row of *types* from one office to another, owners kept (what an import does)."""
    rows = [r for cls in types for r in source.store.repo(cls).where("1")]
    with target.store.transaction():
        for r in rows:
            target.store.repo(type(r)).upsert(r)
    return rows


def _county_approval(office_session):
    office_session.policy.add_policy_period(
        TODAY - timedelta(days=60),
        {"approval.level": {"value": "county", "source": "测试", "unconfirmed": False}},
        "测试",
    )


def test_a_township_may_not_approve_when_approval_is_the_countys(clerk, reviewer, office):
    admin, _code, _dir = office
    _county_approval(admin)
    e = _to_review(clerk, _poor_family(clerk))
    with pytest.raises(InvalidInput, match="审批由县民政局作出"):
        reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    assert reviewer.enrolments.get_enrolment(e.id).status == "审核审批"


def test_delegated_approval_stays_with_the_township(clerk, reviewer):
    e = _to_review(clerk, _poor_family(clerk))
    assert reviewer.enrolments.advance(e.id, "在保", on=TODAY).status == "在保"


def test_the_county_decides_and_the_township_applies_it(clerk, reviewer, office, county):
    admin, _code, _dir = office
    _county_approval(admin)
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)

    # At the county, approving a township's application records the county's own decision.
    seen = county.enrolments.get_enrolment(e.id)
    assert seen.owner_office == clerk.office.code != county.office.code
    county.enrolments.advance(e.id, "在保", on=TODAY)
    assert county.enrolments.get_enrolment(e.id).status == "审核审批"  # the township's row is untouched
    decision = county.county_work.decision_of(e.id)
    assert decision is not None and decision.approved and decision.owner_office == county.office.code
    assert decision.monthly_amount_fen > 0 and decision.start_month
    with pytest.raises(Exception, match="已有县级决定"):
        county.enrolments.advance(e.id, "在保", on=TODAY)

    # Back at the township, the decision is applied to its own enrolment, once.
    _carry(county, clerk, CountyDecision)
    assert reviewer.county_work.apply_decisions() == 1
    assert reviewer.county_work.apply_decisions() == 0
    after = reviewer.enrolments.get_enrolment(e.id)
    assert (after.status, after.monthly_amount_fen, after.start_month) == (
        "在保",
        decision.monthly_amount_fen,
        decision.start_month,
    )
    steps = reviewer.enrolments.enrolments(h.id)[0].steps
    assert steps[-1].done_by == "县民政局" and "批准" in steps[-1].note


def test_a_county_refusal_needs_its_reason_and_arrives_as_one(clerk, office, county):
    admin, _code, _dir = office
    _county_approval(admin)
    e = _to_review(clerk, _poor_family(clerk))
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    with pytest.raises(InvalidInput, match="理由"):
        county.enrolments.advance(e.id, "不予批准", on=TODAY)
    county.enrolments.advance(e.id, "不予批准", on=TODAY, note="家庭存款超过规定")
    _carry(county, clerk, CountyDecision)
    assert clerk.county_work.apply_decisions() == 1
    refused = clerk.enrolments.get_enrolment(e.id)
    assert refused.status == "不予批准" and refused.reason == "家庭存款超过规定"


def test_the_county_cannot_edit_a_townships_other_steps(clerk, county):
    h = _poor_family(clerk)
    e = clerk.enrolments.apply(h.id, "低保", applied_on=TODAY - timedelta(days=3))
    _carry(clerk, county, Household, Member, Enrolment, EnrolmentStep)
    with pytest.raises(PermissionDenied, match="属于香水镇"):
        county.enrolments.advance(e.id, "入户调查", on=TODAY, note="x")


def test_a_county_task_waits_in_the_township_until_answered(clerk, county):
    h = _poor_family(clerk)
    _carry(clerk, county, Household, Member)
    task = county.county_work.send_task(h.id, "请再次入户核查收入情况", TODAY + timedelta(days=10))
    assert task.township_code == clerk.office.code
    _carry(county, clerk, CountyTask)
    waiting = clerk.county_work.tasks()
    assert [t.task.text for t in waiting] == ["请再次入户核查收入情况"]
    with pytest.raises(InvalidInput, match="办理情况"):
        clerk.county_work.reply(task.id, "  ")
    clerk.county_work.reply(task.id, "已于今日两人入户，收入无变化")
    assert clerk.county_work.tasks() == []
    with pytest.raises(PermissionDenied):
        clerk.county_work.send_task(h.id, "x", TODAY)


def test_county_tasks_and_decided_applications_in_the_work_queues(clerk, office, county):
    from app.services.queues import APPROVAL, TASKS, WorkQueueService

    admin, _code, _dir = office
    _county_approval(admin)
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    assert [i.household_id for i in WorkQueueService(county).queues(TODAY).queues[APPROVAL]] == [h.id]
    county.enrolments.advance(e.id, "在保", on=TODAY)
    assert WorkQueueService(county).queues(TODAY).queues[APPROVAL] == []  # decided: waits for the township now

    task = county.county_work.send_task(h.id, "请补充收入证明", TODAY + timedelta(days=5))
    _carry(county, clerk, CountyTask)
    items = WorkQueueService(clerk).queues(TODAY).queues[TASKS]
    assert [(i.household_id, i.head_name) for i in items] == [(h.id, "马学军")]
    assert "请补充收入证明" in items[0].due
    clerk.county_work.reply(task.id, "已补充")
    assert WorkQueueService(clerk).queues(TODAY).queues[TASKS] == []


def test_at_the_county_a_townships_household_is_read_only_whoever_tries(clerk, tmp_path):
    import dataclasses

    from app.domain.entities import Visit

    admin, _code = create_office(tmp_path / "county2", "640424", "admin", ADMIN_PASSWORD, kind="county")
    try:
        h = _poor_family(clerk)
        _carry(clerk, admin, Household, Member)
        held, members = admin.households.get(h.id)
        with pytest.raises(PermissionDenied, match="属于香水镇，本单位只能查看"):
            admin.households.update(dataclasses.replace(held, phone="13800000000"), members)
        with pytest.raises(PermissionDenied, match="属于香水镇"):
            admin.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="甲、乙"))
        assert admin.households.get(h.id)[0].phone == held.phone
    finally:
        admin.close()


def test_a_county_decision_is_applied_once_and_its_step_is_not_undone_at_the_township(clerk, reviewer, office, county):
    admin, _code, _dir = office
    _county_approval(admin)
    e = _to_review(clerk, _poor_family(clerk))
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    county.enrolments.advance(e.id, "在保", on=TODAY)
    _carry(county, clerk, CountyDecision)
    assert reviewer.county_work.apply_decisions() == 1
    with pytest.raises(InvalidInput, match="县民政局的审批决定，乡镇不能撤销"):
        reviewer.enrolments.undo_last_step(e.id, "录错了")
    # Seen again in a later package, the same decision changes nothing.
    _carry(county, clerk, CountyDecision)
    assert reviewer.county_work.apply_decisions() == 0


def test_a_decision_for_another_township_or_household_is_not_applied(clerk, reviewer, office, county):
    import dataclasses

    admin, _code, _dir = office
    _county_approval(admin)
    e = _to_review(clerk, _poor_family(clerk))
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    decision = county.county_work.decide(county.enrolments.get_enrolment(e.id), True, on=TODAY)
    stray = [
        dataclasses.replace(decision, id="", township_code="640424101000"),
        dataclasses.replace(decision, id="", household_id="someone-else"),
    ]
    with county.store.transaction():
        county.db.execute("DELETE FROM county_decisions")
        for d in stray:
            county.store.save(d, "xian1", "测试")
    _carry(county, clerk, CountyDecision)
    assert reviewer.county_work.apply_decisions() == 0
    assert reviewer.enrolments.get_enrolment(e.id).status == "审核审批"


def test_the_county_cannot_raise_alerts_on_a_townships_households(clerk, tmp_path):
    admin, _code = create_office(tmp_path / "county3", "640424", "admin", ADMIN_PASSWORD, kind="county")
    try:
        _poor_family(clerk)
        _carry(clerk, admin, Household, Member, IncomeRecord)
        before = admin.db.scalar("SELECT count(*) FROM alerts")
        with pytest.raises(PermissionDenied, match="这一户属于香水镇"):
            admin.monitoring.run(months.of(TODAY))
        assert admin.db.scalar("SELECT count(*) FROM alerts") == before
    finally:
        admin.close()
