"""A household moves from 香水镇 to 泾河源镇 through real packages: the county decides, both
townships do their part, and every office ends up agreeing (issue 10 point 3)."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.db.repository import to_dict
from app.domain.entities import Handover, HandoverReply
from app.services.office import open_session
from tests.exchange_flow.conftest import PASSWORD, digests, export_one, forge_package


def _signed_in(office, username: str, role: str):
    office.session.users.add(username, role, PASSWORD, display_name=username)
    return open_session(office.data_dir, username, PASSWORD)


def _paid_household(county, town_code: str) -> str:
    """A household of *town_code* held at the county, living, with an enrolment in force."""
    return county.session.db.scalar(
        "SELECT h.id FROM households h JOIN enrolments e ON e.household_id = h.id "
        "WHERE h.owner_office = ? AND h.archived = 0 AND e.status = '在保' AND e.deleted = 0 ORDER BY h.id LIMIT 1",
        (town_code,),
    )


def test_a_household_moves_between_townships_through_the_county(offices, tmp_path):
    county, a, b = offices
    folder = tmp_path / "usb"
    for town in (a, b):
        county.session.packages.import_file(export_one(town, county, folder))
    decider = _signed_in(county, "xian1", "county")
    reviewer_a = _signed_in(a, "head_a", "reviewer")
    try:
        hid = _paid_household(county, a.code)
        assert hid
        head_id = county.session.db.scalar(
            "SELECT id_number FROM members WHERE household_id = ? AND relation = '本人'", (hid,)
        )
        handover = decider.handovers.start(hid, b.code, date.today(), "随子女迁居泾河源镇")

        # The county's packages carry the hand-over to both townships, and to nobody's quarantine.
        for town in (a, b):
            receipt = town.session.packages.import_file(export_one(county, town, folder))
            assert receipt.quarantined == [] and receipt.applied.get("handovers") == 1
        assert b.session.db.scalar("SELECT count(*) FROM households WHERE id = ?", (hid,)) == 0  # B never holds it

        # The sender releases the household; the county hears of it and records it on its own row,
        # from which the receiver (which never sees the sender's rows) learns it.
        (leaving,) = reviewer_a.handovers.outgoing()
        assert leaving.handover.id == handover.id
        reviewer_a.handovers.release(handover.id)
        receipt = county.session.packages.import_file(export_one(a, county, folder))
        assert receipt.quarantined == [], receipt.quarantined
        assert county.session.store.repo(Handover).get(handover.id).status == "已迁出，待接收"
        b.session.packages.import_file(export_one(county, b, folder))
        (waiting,) = b.session.handovers.incoming()
        assert waiting.status == "已迁出，待接收"

        # The receiver registers the family in one of its villages and reports back.
        village = b.session.db.scalar("SELECT village_code FROM households ORDER BY id LIMIT 1")
        new = b.session.handovers.accept(waiting.handover.id, village)
        receipt = county.session.packages.import_file(export_one(b, county, folder))
        assert receipt.quarantined == [], receipt.quarantined
        assert county.session.store.repo(Handover).get(handover.id).status == "已完成"
        db = county.session.db
        living = db.query(
            "SELECT h.id, h.owner_office FROM members m JOIN households h ON h.id = m.household_id "
            "WHERE m.id_number = ? AND m.deleted = 0 AND h.archived = 0 AND h.deleted = 0",
            (head_id,),
        )
        assert living == [(new.id, b.code)]  # the person exists once as active, at the receiver
        old = db.query("SELECT archived, archived_reason, owner_office FROM households WHERE id = ?", (hid,))[0]
        assert old[0] == 1 and old[1].startswith("迁出") and old[2] == a.code
        view = county.session.handovers.for_household(hid)
        assert view.status == "已完成" and view.accepted.household_id == new.id
        stopped = db.query("SELECT status FROM enrolments WHERE household_id = ? AND deleted = 0", (hid,))
        assert all(s in ("停保", "不予批准", "申请人撤回") for (s,) in stopped)

        # One more round back to the townships: each sees the move done, and everyone's digests agree.
        for town in (a, b):
            town.session.packages.import_file(export_one(county, town, folder))
            (seen,) = town.session.handovers.views()
            assert seen.status == "已完成"
        held = digests(county)
        for town in (a, b):
            mine = digests(town)
            assert held[town.code] == mine[town.code]
            key = f"{county.code}→{town.code}"
            assert held[key] == mine[key]
        # The receiver's view of the county's rows holds the hand-over, and agrees.
        assert held[f"{county.code}→{b.code}"] == digests(b)[f"{county.code}→{b.code}"]
    finally:
        decider.close()
        reviewer_a.close()


def test_only_the_county_hands_over_and_only_the_two_sides_reply(offices, tmp_path):
    county, a, b = offices
    folder = tmp_path / "usb"
    county.session.packages.import_file(export_one(a, county, folder))
    decider = _signed_in(county, "xian1", "county")
    try:
        hid = _paid_household(county, a.code)
        handover = decider.handovers.start(hid, b.code, date.today(), "迁居")
    finally:
        decider.close()
    row = to_dict(county.session.store.repo(Handover).get(handover.id))

    # A township writing a hand-over of its own (moving a household wherever it likes) is refused.
    forged = {**row, "id": "0190f000-0000-7000-8000-000000000001", "owner_office": a.code}
    forged["updated_at"] = a.session.store.clock.tick()
    receipt = county.session.packages.import_file(forge_package(a, county, tmp_path / "f", {"handovers": [forged]}))
    assert [q["row_id"] for q in receipt.quarantined] == [forged["id"]]
    assert "乡镇不能拥有跨乡镇迁移" in receipt.quarantined[0]["reason"]

    # The receiver may not say it released the household, nor the sender that it took it in.
    fake = HandoverReply(handover_id=handover.id, household_id=hid, side="迁出", done_on=date.today())
    released_by_b = {**to_dict(fake), "id": "0190f000-0000-7000-8000-000000000002", "owner_office": b.code}
    released_by_b["updated_at"] = b.session.store.clock.tick()
    receipt = county.session.packages.import_file(
        forge_package(b, county, tmp_path / "g", {"handover_replies": [released_by_b]})
    )
    assert len(receipt.quarantined) == 1 and "迁出方是" in receipt.quarantined[0]["reason"]
    assert county.session.db.scalar("SELECT count(*) FROM handover_replies") == 0


def test_a_release_of_another_household_or_a_reply_to_a_withdrawn_move_is_quarantined(offices, tmp_path):
    county, a, b = offices
    folder = tmp_path / "usb"
    county.session.packages.import_file(export_one(a, county, folder))
    decider = _signed_in(county, "xian1", "county")
    try:
        hid = _paid_household(county, a.code)
        handover = decider.handovers.start(hid, b.code, date.today(), "迁居")
    finally:
        decider.close()
    other = county.session.db.scalar(
        "SELECT id FROM households WHERE owner_office = ? AND id != ? ORDER BY id LIMIT 1", (a.code, hid)
    )

    # The sender says it released some other household of its own: the move is not closed by it.
    wrong = HandoverReply(handover_id=handover.id, household_id=other, side="迁出", done_on=date.today())
    forged = {**to_dict(wrong), "id": "0190f000-0000-7000-8000-000000000003", "owner_office": a.code}
    forged["updated_at"] = a.session.store.clock.tick()
    receipt = county.session.packages.import_file(
        forge_package(a, county, tmp_path / "f", {"handover_replies": [forged]})
    )
    (refused,) = receipt.quarantined
    assert f"迁出的户 {other} 不是跨乡镇迁移 {handover.id} 所迁的户 {hid}" in refused["reason"]
    assert county.session.handovers.for_household(hid).status == "待办理"
    assert county.session.store.repo(Handover).get(handover.id).status == "待办理"

    # Once the county has withdrawn the move, no township's part of it is taken in.
    held = county.session.store.repo(Handover).get(handover.id)
    with county.session.store.transaction():
        county.session.store.save(dataclasses.replace(held, withdrawn=True), "admin", "撤回跨乡镇迁移", before=held)
    late = HandoverReply(
        handover_id=handover.id, household_id="0190f000-0000-7000-8000-00000000000b", done_on=date.today()
    )
    accepted_by_b = {**to_dict(late), "id": "0190f000-0000-7000-8000-000000000004", "owner_office": b.code}
    accepted_by_b["updated_at"] = b.session.store.clock.tick()
    receipt = county.session.packages.import_file(
        forge_package(b, county, tmp_path / "g", {"handover_replies": [accepted_by_b]})
    )
    (refused,) = receipt.quarantined
    assert "已被县民政局撤回" in refused["reason"]
    assert county.session.db.scalar("SELECT count(*) FROM handover_replies") == 0
