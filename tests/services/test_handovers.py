"""A household moving between townships: the county decides, the receiver registers, the sender releases.

Rows are carried between the offices by a plain copy (``_carry``), as an import would bring them;
tests/exchange_flow/test_handover_exchange.py runs the same story through real packages.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import months, ownership
from app.domain.entities import (
    Enrolment,
    EnrolmentStep,
    Handover,
    HandoverReply,
    Household,
    IncomeRecord,
    Member,
)
from app.errors import AlreadyExists, InvalidInput, PermissionDenied
from app.services.office import create_office, open_session
from app.services.queues import MOVING_IN, MOVING_OUT, WorkQueueService
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_county_work import _carry
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()
TOWN_A = "640424100000"  # 香水镇 (the office fixture)
TOWN_B = "640424101000"  # 泾河源镇
VILLAGE_B = "640424101200"


@pytest.fixture
def county(tmp_path):
    admin, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    admin.users.add("xian1", "county", "county-pass-2021", display_name="县审批员")
    session = open_session(tmp_path / "county", "xian1", "county-pass-2021")
    yield session
    session.close()
    admin.close()


@pytest.fixture
def town_b(tmp_path):
    admin, _code = create_office(tmp_path / "b", TOWN_B[:9], "admin", ADMIN_PASSWORD)
    admin.users.add("clerk2", "clerk", "clerk-pass-2021", display_name="马经办")
    session = open_session(tmp_path / "b", "clerk2", "clerk-pass-2021")
    yield session
    session.close()
    admin.close()


def _enrolled_family(clerk, reviewer):
    """A family of three at 香水镇 with 低保 in force, one grandfather deceased."""
    from tests.factories import member

    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    hh, members = clerk.households.get(h.id)
    grandad = member("马老汉", date(1940, 1, 1), "祖父", deceased_on=TODAY - timedelta(days=30))
    clerk.households.update(hh, [*members, grandad])
    return h, e


def _started(clerk, reviewer, county, on=TODAY):
    h, e = _enrolled_family(clerk, reviewer)
    _carry(clerk, county, Household, Member, IncomeRecord, Enrolment, EnrolmentStep)
    handover = county.handovers.start(h.id, TOWN_B[:9], on, "投靠子女，户籍迁入泾河源镇")
    return h, e, handover


def test_the_county_decides_a_move_with_what_the_receiver_needs(clerk, reviewer, county):
    h, _e, handover = _started(clerk, reviewer, county)
    assert handover.owner_office == county.office.code
    assert (handover.from_township, handover.township_code) == (TOWN_A, TOWN_B)
    assert handover.household_id == h.id
    people = handover.snapshot["members"]
    # The living members with full ID numbers; the deceased grandfather stays behind; no visits or payments.
    assert sorted(m["name"] for m in people) == ["海秀兰", "马学军", "马小军"]
    assert all(len(m["id_number"]) == 18 and "*" not in m["id_number"] for m in people)
    assert set(handover.snapshot) == {"household", "members"}
    assert "village_code" not in handover.snapshot["household"]
    audit = county.db.query("SELECT action FROM audit_log WHERE entity = 'handovers' AND row_id = ?", (handover.id,))
    assert audit and "泾河源镇" in audit[0][0]
    assert county.handovers.for_household(h.id).status == "待办理"


def test_the_county_refuses_a_move_it_cannot_make(clerk, reviewer, county, office):
    h, _e, _handover = _started(clerk, reviewer, county)
    with pytest.raises(AlreadyExists, match="已在办理迁往泾河源镇"):
        county.handovers.start(h.id, TOWN_B, TODAY, "再次")

    other = clerk.households.add(*_family("马二", "640424100200"))
    _carry(clerk, county, Household, Member)
    with pytest.raises(InvalidInput, match="不能是该户现在所在的香水镇") as same:
        county.handovers.start(other.id, TOWN_A, TODAY, "迁")
    assert same.value.field == "township_code"
    with pytest.raises(InvalidInput, match="不在本县的区划表中"):
        county.handovers.start(other.id, "640499100", TODAY, "迁")
    with pytest.raises(InvalidInput, match="原因"):
        county.handovers.start(other.id, TOWN_B, TODAY, "  ")
    with pytest.raises(InvalidInput, match="晚于今天"):
        county.handovers.start(other.id, TOWN_B, TODAY + timedelta(days=1), "迁")

    clerk.households.archive(other.id, "测试归档")
    _carry(clerk, county, Household)
    with pytest.raises(InvalidInput, match="已归档"):
        county.handovers.start(other.id, TOWN_B, TODAY, "迁")

    # Only the county decides: a township's own staff may not, whatever their role.
    with pytest.raises(PermissionDenied):
        reviewer.handovers.start(h.id, TOWN_B, TODAY, "迁")
    assert county.db.scalar("SELECT count(*) FROM handovers") == 1


def _family(head: str, village: str):
    from tests.factories import household, member

    return household(village, categories=["监测户"]), [member(head, date(1980, 5, 5))]


def test_the_receiver_registers_the_family_anew_once(clerk, reviewer, county, town_b):
    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, town_b, Handover)
    waiting = town_b.handovers.incoming()
    assert [v.handover.id for v in waiting] == [handover.id]
    assert waiting[0].from_name == "香水镇" and waiting[0].head_name == "马学军"

    (queued,) = WorkQueueService(town_b).queues(TODAY).queues[MOVING_IN]
    assert queued.handover_id == handover.id and queued.head_name == "马学军" and "由香水镇迁入" in queued.due

    with pytest.raises(InvalidInput, match="本乡镇的村") as elsewhere:
        town_b.handovers.accept(handover.id, "640424100200")  # a village of 香水镇
    assert elsewhere.value.field == "village_code"

    new = town_b.handovers.accept(handover.id, VILLAGE_B)
    assert new.id != h.id and new.owner_office == TOWN_B and new.village_code == VILLAGE_B
    assert "由香水镇迁入" in new.notes and h.id in new.notes
    assert "低保" not in new.categories  # a programme's category waits for the receiver's own enrolment
    members = town_b.households._unmasked(new.id)[1]
    old_ids = {m.id for m in clerk.households._unmasked(h.id)[1]}
    assert len(members) == 3 and not {m.id for m in members} & old_ids
    assert {m.owner_office for m in members} == {TOWN_B}
    (reply,) = town_b.store.repo(HandoverReply).where("1")
    assert (reply.handover_id, reply.household_id, reply.side) == (handover.id, new.id, "接收")
    assert town_b.handovers.incoming() == []
    assert WorkQueueService(town_b).queues(TODAY).queues[MOVING_IN] == []
    # Found by name like any household typed in.
    assert any(p[0] == new.id for p in town_b.households.find_people("马学军"))

    with pytest.raises(AlreadyExists, match="已经接收过"):
        town_b.handovers.accept(handover.id, VILLAGE_B)
    assert town_b.db.scalar("SELECT count(*) FROM households") == 1

    # The sender cannot accept a move out of its own township.
    _carry(county, clerk, Handover)
    with pytest.raises(PermissionDenied, match="不是迁入本乡镇"):
        clerk.handovers.accept(handover.id, "640424100200")


def test_the_sender_stops_the_assistance_and_archives_the_household(clerk, reviewer, county):
    h, e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    assert [v.handover.id for v in reviewer.handovers.outgoing()] == [handover.id]
    (queued,) = WorkQueueService(reviewer).queues(TODAY).queues[MOVING_OUT]
    assert queued.household_id == h.id and "迁往泾河源镇" in queued.due
    # Stopping a paid enrolment is the reviewer's; a clerk is told so and nothing is written.
    with pytest.raises(PermissionDenied):
        clerk.handovers.release(handover.id)
    assert not clerk.households.get(h.id)[0].archived

    archived = reviewer.handovers.release(handover.id)
    assert archived.archived and archived.archived_reason.startswith("迁出")
    stopped = reviewer.enrolments.get_enrolment(e.id)
    assert stopped.status == "停保" and stopped.end_month == months.of(TODAY)  # paid this month, not the next
    (reply,) = reviewer.store.repo(HandoverReply).where("1")
    assert (reply.household_id, reply.side) == (h.id, "迁出")
    assert reviewer.handovers.outgoing() == []
    assert WorkQueueService(reviewer).queues(TODAY).queues[MOVING_OUT] == []
    with pytest.raises(AlreadyExists, match="已经办理过迁出"):
        reviewer.handovers.release(handover.id)
    # The family lives in the other township now: it cannot be brought back to life here.
    with pytest.raises(InvalidInput, match="已迁往其他乡镇"):
        reviewer.households.restore(h.id)

    # At the county, once both townships' rows arrive, the move reads as done.
    _carry(reviewer, county, Household, HandoverReply)
    assert county.handovers.for_household(h.id).status == "已迁出，待接收"


def test_the_county_counts_a_part_only_when_it_holds_the_rows_that_bear_it_out(clerk, reviewer, county, town_b):
    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    _carry(county, town_b, Handover)
    reviewer.handovers.release(handover.id)
    new = town_b.handovers.accept(handover.id, VILLAGE_B)

    # The replies alone say nothing yet: the household archived as 迁出, and the new one, have not come.
    _carry(reviewer, county, HandoverReply)
    _carry(town_b, county, HandoverReply)
    view = county.handovers.for_household(h.id)
    assert (view.status, view.released, view.accepted) == ("待办理", None, None)
    assert county.handovers.record_progress() == 0

    _carry(reviewer, county, Household)
    assert county.handovers.for_household(h.id).status == "已迁出，待接收"
    # The county writes it on its own row, audited, for both townships to receive.
    assert county.handovers.record_progress() == 1
    assert county.store.repo(Handover).get(handover.id).status == "已迁出，待接收"
    audit = county.db.query("SELECT action FROM audit_log WHERE entity = 'handovers' AND row_id = ?", (handover.id,))
    assert [a for (a,) in audit][-1] == "跨乡镇迁移：已迁出，待接收"
    assert county.handovers.record_progress() == 0  # nothing new, nothing written

    _carry(town_b, county, Household)
    view = county.handovers.for_household(h.id)
    assert view.status == "已完成" and view.accepted.household_id == new.id
    county.handovers.record_progress()
    assert county.store.repo(Handover).get(handover.id).status == "已完成"


def test_each_township_learns_the_others_part_from_the_countys_row(clerk, reviewer, county, town_b):
    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    _carry(county, town_b, Handover)
    reviewer.handovers.release(handover.id)
    # The sender knows its own part before the county has heard of it; the receiver does not.
    assert reviewer.handovers.for_household(h.id).status == "已迁出，待接收"
    assert town_b.handovers.incoming()[0].status == "待办理"

    _carry(reviewer, county, Household, HandoverReply)
    county.handovers.record_progress()
    _carry(county, town_b, Handover)
    (waiting,) = town_b.handovers.incoming()
    assert waiting.status == "已迁出，待接收" and waiting.released is None  # B holds no reply of A's

    town_b.handovers.accept(handover.id, VILLAGE_B)
    assert town_b.handovers.views()[0].status == "已完成"
    _carry(town_b, county, Household, Member, HandoverReply)
    county.handovers.record_progress()
    _carry(county, clerk, Handover)
    assert reviewer.handovers.for_household(h.id).status == "已完成"


def test_a_release_naming_another_household_neither_counts_nor_blocks_the_real_one(clerk, reviewer, county):
    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    other = clerk.households.add(*_family("马二", "640424100200"))
    clerk.households.archive(other.id, "迁出：误操作")
    mistaken = HandoverReply(handover_id=handover.id, household_id=other.id, side="迁出", done_on=TODAY)
    with clerk.store.transaction():
        clerk.store.save(mistaken, clerk.user.username, "办理迁出")

    # At the county a reply about another household (archived as 迁出 too) never closes this move.
    _carry(clerk, county, Household, HandoverReply)
    assert county.handovers.for_household(h.id).status == "待办理"

    # At the sender the household is still waiting to be released, and releasing it works.
    assert [v.handover.id for v in reviewer.handovers.outgoing()] == [handover.id]
    assert reviewer.handovers.for_household(h.id).status == "待办理"
    reviewer.handovers.release(handover.id)
    assert reviewer.households.get(h.id)[0].archived
    _carry(clerk, county, Household, HandoverReply)
    view = county.handovers.for_household(h.id)
    assert view.status == "已迁出，待接收" and view.released.household_id == h.id


def test_a_family_is_accepted_once_even_when_two_clerks_accept_at_the_same_time(
    clerk, reviewer, county, town_b, *, tmp_path, monkeypatch
):
    from app.services import handovers as module

    _h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, town_b, Handover)
    second = open_session(tmp_path / "b", "clerk2", "clerk-pass-2021")
    real = module.registered_from
    raced: list[str] = []

    def other_clerk_first(*args):
        # The second clerk's accept lands after this one has looked, before it writes.
        if not raced:
            raced.append("second clerk")
            second.handovers.accept(handover.id, VILLAGE_B)
        return real(*args)

    monkeypatch.setattr(module, "registered_from", other_clerk_first)
    try:
        with pytest.raises(AlreadyExists, match="已经接收过"):
            town_b.handovers.accept(handover.id, VILLAGE_B)
    finally:
        second.close()
    assert raced and town_b.db.scalar("SELECT count(*) FROM households") == 1
    assert town_b.db.scalar("SELECT count(*) FROM handover_replies") == 1


def test_people_released_to_another_township_cannot_be_registered_here_again(clerk, reviewer, county, town_b):
    from tests.factories import household, member

    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    reviewer.handovers.release(handover.id)
    head = next(m for m in clerk.households._unmasked(h.id)[1] if m.relation == "本人")

    again = Member(name=head.name, id_number=head.id_number, relation="本人", birth_date=head.birth_date)
    with pytest.raises(InvalidInput) as refused:
        clerk.households.add(household("640424100200"), [again])
    assert str(refused.value) == "马学军 已随户迁往泾河源镇，不能在本乡镇重新登记。"
    assert (refused.value.field, refused.value.item) == ("id_number", 0)

    # Nor as a new member of another household here.
    other = clerk.households.add(*_family("马二", "640424100200"))
    hh, members = clerk.households.get(other.id)
    joined = Member(name=head.name, id_number=head.id_number, relation="其他", birth_date=head.birth_date)
    with pytest.raises(InvalidInput, match="已随户迁往泾河源镇") as refused:
        clerk.households.update(hh, [*members, joined])
    assert refused.value.item == 1
    assert len(clerk.households.get(other.id)[1]) == 1
    # Someone else is registered as ever.
    clerk.households.update(hh, [*members, member("马三", date(2001, 2, 3), "子")])

    # The family may come back the way it left: the county moves it back, and this township accepts it.
    _carry(county, town_b, Handover)
    back = town_b.handovers.accept(handover.id, VILLAGE_B)
    _carry(town_b, county, Household, Member)
    returning = county.handovers.start(back.id, TOWN_A[:9], TODAY, "返回原籍")
    _carry(county, clerk, Handover)
    home = clerk.handovers.accept(returning.id, "640424100200")
    assert home.owner_office == TOWN_A and len(clerk.households._unmasked(home.id)[1]) == 3


def test_a_township_cannot_release_another_townships_household(clerk, reviewer, county, town_b):
    _h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, town_b, Handover)
    with pytest.raises(PermissionDenied, match="不能由本乡镇办理迁出"):
        town_b.handovers.release(handover.id)


def test_the_county_withdraws_a_move_and_it_leaves_both_townships_queues(clerk, reviewer, county, town_b):
    h, _e, handover = _started(clerk, reviewer, county)
    _carry(county, clerk, Handover)
    _carry(county, town_b, Handover)
    assert WorkQueueService(reviewer).queues(TODAY).queues[MOVING_OUT]
    assert WorkQueueService(town_b).queues(TODAY).queues[MOVING_IN]

    with pytest.raises(InvalidInput, match="撤回原因") as no_reason:
        county.handovers.withdraw(handover.id, " ")
    assert no_reason.value.field == "reason"
    # Only the county takes back its decision.
    with pytest.raises(PermissionDenied):
        reviewer.handovers.withdraw(handover.id, "家人不迁了")

    withdrawn = county.handovers.withdraw(handover.id, "家人决定不迁了")
    row = county.store.repo(Handover).get(handover.id)
    assert row.withdrawn and row.status == "已撤回" and "家人决定不迁了" in row.reason
    assert withdrawn.withdrawn
    audit = county.db.query("SELECT action FROM audit_log WHERE entity = 'handovers' AND row_id = ?", (handover.id,))
    assert [a for (a,) in audit][-1] == "撤回跨乡镇迁移"
    assert county.handovers.for_household(h.id) is None
    assert county.handovers.record_progress() == 0  # the status already says so: nothing more to write
    with pytest.raises(InvalidInput, match="已经撤回过"):
        county.handovers.withdraw(handover.id, "再撤")

    # The row travels to both townships: the move leaves their queues and can no longer be done.
    _carry(county, clerk, Handover)
    _carry(county, town_b, Handover)
    assert WorkQueueService(reviewer).queues(TODAY).queues[MOVING_OUT] == []
    assert WorkQueueService(town_b).queues(TODAY).queues[MOVING_IN] == []
    with pytest.raises(InvalidInput, match="已被县民政局撤回"):
        reviewer.handovers.release(handover.id)
    with pytest.raises(InvalidInput, match="已被县民政局撤回"):
        town_b.handovers.accept(handover.id, VILLAGE_B)
    assert not clerk.households.get(h.id)[0].archived
    # And the county may decide the household's move afresh.
    assert county.handovers.start(h.id, TOWN_B, TODAY, "重新迁移").id != handover.id


@pytest.mark.parametrize("side", ["released", "accepted"])
def test_the_county_cannot_withdraw_a_move_a_township_has_acted_on(clerk, reviewer, county, town_b, side):
    h, _e, handover = _started(clerk, reviewer, county)
    if side == "released":
        _carry(county, clerk, Handover)
        reviewer.handovers.release(handover.id)
        _carry(reviewer, county, Household, HandoverReply)
        expected = "已迁出，待接收"
    else:
        _carry(county, town_b, Handover)
        town_b.handovers.accept(handover.id, VILLAGE_B)
        _carry(town_b, county, Household, Member, HandoverReply)
        expected = "已接收，待迁出"
    # Refused as soon as the rows bear the part out, before the county has recorded it, and after.
    with pytest.raises(InvalidInput, match=f"{expected}，乡镇已经办理，不能再撤回"):
        county.handovers.withdraw(handover.id, "不迁了")
    county.handovers.record_progress()
    with pytest.raises(InvalidInput, match="不能再撤回"):
        county.handovers.withdraw(handover.id, "不迁了")
    row = county.store.repo(Handover).get(handover.id)
    assert not row.withdrawn and row.status == expected
    assert county.handovers.for_household(h.id) is not None


# --- the rules, pure --------------------------------------------------------------------------

TOWNS = st.sampled_from([TOWN_A, TOWN_B, "640424102000", "640424103"])


@given(TOWNS, TOWNS, TOWNS)
def test_a_handover_goes_to_its_two_townships_and_no_other(sender, receiver, township):
    row = {"township_code": receiver, "from_township": sender}
    expected = township_code(township) in {township_code(sender), township_code(receiver)}
    assert ownership.addressed_to("handovers", row, township) == expected
    problem = ownership.ownership_problem(
        "handovers",
        {**row, "id": "h1", "owner_office": "640424000000"},
        sender_code="640424000000",
        sender_kind=ownership.COUNTY,
        stored_owner=None,
        known_villages=(),
        receiver_code=township,
    )
    assert (problem == "") == expected


@given(TOWNS, TOWNS, TOWNS, st.sampled_from(["接收", "迁出"]))
def test_only_the_township_on_that_side_does_its_part(sender, receiver, replier, side):
    row = {"id": "r1", "owner_office": replier, "handover_id": "h1", "side": side}
    said = ownership.parent_problem(
        "handover_replies",
        row,
        sender_code=replier,
        parent_owner="640424000000",
        parent_township=receiver,
        parent_from_township=sender,
    )
    expected = receiver if side == "接收" else sender
    assert (said == "") == (township_code(replier) == township_code(expected))


def township_code(code: str) -> str:
    return code.ljust(12, "0")
