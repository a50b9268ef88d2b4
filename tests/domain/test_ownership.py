"""Who may write which row, and which version of a row stands (app/domain/ownership.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import ownership
from app.domain.entities import HANDOVER_STATUSES, handover_sides, handover_status
from app.domain.ids import Timestamp
from app.domain.ownership import Verdict, Version, decide, ownership_problem

TOWN = "640424100000"  # 香水镇
OTHER_TOWN = "640424101000"  # 泾河源镇
COUNTY = "640424000000"
VILLAGE = "640424100200"  # 大庄村, 香水镇
OTHER_VILLAGE = "640424101200"
VILLAGES = {VILLAGE, OTHER_VILLAGE}


def problem(table, row, *, sender=TOWN, kind="township", stored_owner=None):
    return ownership_problem(
        table, row, sender_code=sender, sender_kind=kind, stored_owner=stored_owner, known_villages=VILLAGES
    )


def household(**kw):
    return {"id": "h1", "owner_office": TOWN, "village_code": VILLAGE, **kw}


def test_a_township_may_send_its_own_household():
    assert problem("households", household()) == ""


def test_a_row_owned_by_another_office_is_refused_naming_both():
    reason = problem("households", household(owner_office=OTHER_TOWN))
    assert OTHER_TOWN in reason and TOWN in reason


def test_a_township_may_not_send_policy_periods_and_the_county_may_not_send_households():
    assert "乡镇不能拥有政策参数" in problem("policy_periods", {"id": "p", "owner_office": TOWN})
    assert "县级单位不能拥有户档案" in problem(
        "households", household(owner_office=COUNTY), sender=COUNTY, kind="county"
    )
    assert problem("policy_periods", {"id": "p", "owner_office": COUNTY}, sender=COUNTY, kind="county") == ""


def test_a_held_row_of_another_owner_is_never_overwritten():
    assert "不能被" in problem("households", household(), stored_owner=OTHER_TOWN)


def test_a_village_must_exist_and_lie_in_the_senders_township():
    assert "不在区划表中" in problem("households", household(village_code="640424100999"))
    assert "不属于发送方乡镇" in problem("households", household(village_code=OTHER_VILLAGE))


def test_users_never_travel():
    assert "不在单位之间交换" in problem("users", {"id": "u", "owner_office": TOWN})


def test_every_parented_table_is_applied_after_its_parent():
    order = ownership.APPLY_ORDER
    for table, (_field, parent) in ownership.PARENTS.items():
        assert order.index(parent) < order.index(table)
    assert set(order) == ownership.EXCHANGED_TABLES


@pytest.mark.parametrize(
    ("village", "town", "inside"),
    [(VILLAGE, TOWN, True), (VILLAGE, "640424100", True), (OTHER_VILLAGE, TOWN, False), ("x", TOWN, False)],
)
def test_village_in_township(village, town, inside):
    assert ownership.village_in_township(village, town) is inside


# --- the version rule ------------------------------------------------------------------------

nodes = st.sampled_from(["640424100000", "640424100000-b", "640424000000"])
stamps = st.builds(
    lambda wall, counter, node: Timestamp(wall, counter, node).encode(),
    st.integers(min_value=1_600_000_000_000, max_value=1_600_000_000_010),
    st.integers(min_value=0, max_value=3),
    nodes,
)
versions = st.builds(Version, stamps, st.sampled_from(["a", "b", "c"]))


def test_the_rule_in_words():
    old = Version(Timestamp(1, 0, "A").encode(), "x")
    new_same_node = Version(Timestamp(2, 0, "A").encode(), "y")
    new_other_node = Version(Timestamp(2, 0, "B").encode(), "y")
    assert decide(old, None) is Verdict.APPLY
    assert decide(old, old) is Verdict.SAME
    assert decide(new_same_node, old) is Verdict.APPLY
    assert decide(old, new_same_node) is Verdict.STALE
    assert decide(new_other_node, old) is Verdict.CONFLICT_INCOMING_WINS
    assert decide(old, new_other_node) is Verdict.CONFLICT_STORED_WINS
    # Another node that arrived at the same content is no conflict.
    assert decide(Version(new_other_node.updated_at, "x"), old) is Verdict.APPLY


def test_a_version_made_on_top_of_another_is_no_conflict():
    base = Version(Timestamp(1, 0, "A").encode(), "x")
    edited_elsewhere = Version(Timestamp(2, 0, "B").encode(), "y")
    # B says it edited on top of A's version: newer wins cleanly, and A's arriving late is stale.
    assert decide(edited_elsewhere, base, incoming_history={base.updated_at}) is Verdict.APPLY
    assert decide(base, edited_elsewhere, stored_history={base.updated_at}) is Verdict.STALE
    # Without that knowledge the two are concurrent.
    assert decide(edited_elsewhere, base) is Verdict.CONFLICT_INCOMING_WINS


def _apply_all(order):
    """The held version after applying *order*, and the set of versions kept as conflicts."""
    held = None
    lost = set()
    for v in order:
        verdict = decide(v, held)
        if verdict is Verdict.CONFLICT_STORED_WINS:
            lost.add(v.updated_at)
        elif verdict in (Verdict.APPLY, Verdict.CONFLICT_INCOMING_WINS):
            if verdict is Verdict.CONFLICT_INCOMING_WINS:
                assert held is not None
                lost.add(held.updated_at)
            held = v
    return held, lost


@given(st.lists(versions, min_size=1, max_size=8, unique_by=lambda v: v.updated_at), st.randoms())
def test_any_order_of_versions_leaves_the_newest_standing(vs, rnd):
    """Convergence: whatever order the versions arrive in (and however often), the newest stands."""
    shuffled = list(vs) + rnd.sample(vs, k=min(3, len(vs)))
    rnd.shuffle(shuffled)
    held, _lost = _apply_all(shuffled)
    newest = max(vs, key=lambda v: Timestamp.decode(v.updated_at))
    assert held == newest


@given(st.lists(versions, min_size=2, max_size=2, unique_by=lambda v: v.updated_at))
def test_two_concurrent_versions_give_the_same_conflict_in_either_order(pair):
    a, b = pair
    assert _apply_all([a, b]) == _apply_all([b, a])
    held, lost = _apply_all([a, b])
    if a.node != b.node and a.content != b.content:
        loser = a if held == b else b
        assert lost == {loser.updated_at}
    else:
        assert lost == set()


# --- the parent a row hangs off -------------------------------------------------------------------

TOWN_CODES = st.sampled_from([TOWN, OTHER_TOWN, "640424102000", "640424103000"])


def parent_problem(table, *, sender, parent_owner, parent_township=""):
    field_name, _ = ownership.PARENTS[table]
    row = {"id": "r1", "owner_office": sender, field_name: "p1"}
    return ownership.parent_problem(
        table, row, sender_code=sender, parent_owner=parent_owner, parent_township=parent_township
    )


TOWNSHIP_CHILDREN = sorted(
    t
    for t, (_, parent) in ownership.PARENTS.items()
    if t in ownership.TOWNSHIP_TABLES and parent not in ownership.COUNTY_TABLES
)


@given(st.sampled_from(TOWNSHIP_CHILDREN), TOWN_CODES, TOWN_CODES)
def test_a_township_files_rows_only_under_its_own_parents(table, sender, parent_owner):
    said = parent_problem(table, sender=sender, parent_owner=parent_owner)
    assert (said == "") == (sender == parent_owner)
    if said:  # the sentence names the parent's owner and the sender
        assert f"属于 {parent_owner}，不能由 {sender} 登记" in said


def test_the_sentence_names_the_household_and_its_owner():
    said = parent_problem("members", sender=TOWN, parent_owner=OTHER_TOWN)
    assert said == f"家庭成员 r1：户档案 p1 属于 {OTHER_TOWN}，不能由 {TOWN} 登记其下的家庭成员。"


@given(TOWN_CODES, TOWN_CODES)
def test_a_task_reply_answers_only_a_task_sent_to_the_sender(sender, addressed):
    said = parent_problem("task_replies", sender=sender, parent_owner=COUNTY, parent_township=addressed)
    assert (said == "") == (sender == addressed)
    if said:
        assert f"是发给乡镇 {addressed} 的，不能由 {sender} 答复" in said


@given(st.sampled_from(["county_decisions", "county_tasks"]), TOWN_CODES)
def test_the_county_decides_about_any_townships_rows(table, parent_owner):
    assert parent_problem(table, sender=COUNTY, parent_owner=parent_owner) == ""


def test_the_kind_of_an_office_comes_from_its_code():
    assert ownership.kind_of_code(COUNTY) == ownership.COUNTY
    assert ownership.kind_of_code("640424") == ownership.COUNTY
    assert ownership.kind_of_code(TOWN) == ownership.TOWNSHIP


# --- a township's part of a hand-over ----------------------------------------------------------------

HOUSEHOLDS = st.sampled_from(["h-moved", "h-other", ""])


@given(HOUSEHOLDS, HOUSEHOLDS, st.sampled_from(["接收", "迁出"]), st.booleans())
def test_a_handover_reply_counts_only_for_its_household_and_a_live_handover(named, moved, side, withdrawn):
    row = {"id": "r1", "owner_office": TOWN, "handover_id": "p1", "household_id": named, "side": side}
    said = ownership.parent_problem(
        "handover_replies",
        row,
        sender_code=TOWN,
        parent_owner=COUNTY,
        parent_township=TOWN,  # the sender is on both sides here: only the household and withdrawal matter
        parent_from_township=TOWN,
        parent_household=moved,
        parent_withdrawn=withdrawn,
    )
    # The receiver's 接收 names its own new household, never the one moved; a 迁出 names the one moved.
    expected = not withdrawn and (side == "接收" or named == moved)
    assert (said == "") == expected
    if withdrawn:
        assert "已被县民政局撤回" in said
    elif not expected:
        assert f"迁出的户 {named or '（空）'} 不是跨乡镇迁移 p1 所迁的户" in said


@given(st.booleans(), st.booleans(), st.booleans())
def test_a_handover_status_says_which_parts_are_done(accepted, released, withdrawn):
    status = handover_status(accepted=accepted, released=released, withdrawn=withdrawn)
    assert status in HANDOVER_STATUSES
    if withdrawn:
        assert status == "已撤回" and handover_sides(status) == (False, False)
    else:
        assert handover_sides(status) == (accepted, released)
