"""Months of real township work, played through the services by `simulate`, and exchanged with the
county every month: at the end every office holds the same data (equal digests), and the county's
审批 reaches the township that asked for it."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain import months
from app.services.demo import create_demo
from app.services.office import create_office, open_session
from app.services.session import Session
from app.services.simulate import open_staff, simulate

from .conftest import PASSWORD, Office, digests, export_one, trust_each_other

MONTHS = 2


def _township(root, code: str, seed: int) -> tuple[Office, Session, Session]:
    end = months.add(months.of(date.today()), -MONTHS)
    session, _recovery, _counts = create_demo(
        root / code, PASSWORD, households=20, office_code=code, seed=seed, end_month=end
    )
    card = root / f"{code}.card.json"
    session.trust.write_card(card)
    clerk, reviewer = open_staff(root / code, PASSWORD)
    return Office(session, root / code, card), clerk, reviewer


def test_townships_play_months_exchange_each_month_and_converge(tmp_path, memory_keyring):
    session, _ = create_office(tmp_path / "county", "640424", "admin", PASSWORD, kind="county")
    card = tmp_path / "county.card.json"
    session.trust.write_card(card)
    county = Office(session, tmp_path / "county", card)
    towns = [_township(tmp_path, "640424100", 21), _township(tmp_path, "640424101", 22)]
    for town, _clerk, _reviewer in towns:
        trust_each_other(county, town)
    stick = tmp_path / "usb"
    try:
        for _month in range(MONTHS):
            for town, clerk, reviewer in towns:
                simulate(clerk, reviewer, 1)
                receipt = county.session.packages.import_file(export_one(town, county, stick))
                assert not receipt.quarantined and receipt.conflicts == 0
                town.session.packages.import_file(export_one(county, town, stick))
        held = digests(county)
        for town, _clerk, _reviewer in towns:
            assert digests(town)[town.code] == held[town.code]
            assert town.session.dashboard.unsent_changes() == 0
        # Every kind of register row the months produced is at the county, as the township holds it.
        for table in ("households", "members", "visits", "enrolments", "enrolment_steps", "payments", "month_closes"):
            for town, _clerk, _reviewer in towns:
                there = county.session.db.scalar(f"SELECT count(*) FROM {table} WHERE owner_office = ?", (town.code,))
                here = town.session.db.scalar(f"SELECT count(*) FROM {table}")
                assert there == here > 0, table
    finally:
        for town, clerk, reviewer in towns:
            clerk.close()
            reviewer.close()
            town.session.close()
        county.session.close()


def test_a_county_approval_comes_back_to_the_township(tmp_path, memory_keyring):
    from app.domain.workflow import Status

    session, _ = create_office(tmp_path / "county", "640424", "admin", PASSWORD, kind="county")
    session.users.add("xian1", "county", PASSWORD, display_name="县审批员")
    card = tmp_path / "county.card.json"
    session.trust.write_card(card)
    county = Office(session, tmp_path / "county", card)
    town, clerk, reviewer = _township(tmp_path, "640424100", 31)
    trust_each_other(county, town)
    stick = tmp_path / "usb"
    # The county keeps 审批 from now on; its period reaches the township in its package.
    county.session.policy.add_policy_period(
        date.today() - timedelta(days=90),
        {"approval.level": {"value": "county", "source": "泾民发〔2021〕33号", "unconfirmed": False}},
        source="泾民发〔2021〕33号",
    )
    town.session.packages.import_file(export_one(county, town, stick))
    assert clerk.county_work.approval_is_county(date.today())
    # An application taken to 审核审批 at the township.
    hid = clerk.db.scalar("SELECT id FROM households WHERE deleted = 0 AND archived = 0 ORDER BY id LIMIT 1")
    start = date.today() - timedelta(days=20)
    e = clerk.enrolments.apply(hid, "临时救助", applied_on=start)
    clerk.enrolments.advance(e.id, Status.SURVEY.value, on=start + timedelta(days=1), note="两人入户")
    clerk.enrolments.advance(
        e.id,
        Status.PUBLICITY.value,
        on=start + timedelta(days=2),
        publicity_from=start + timedelta(days=2),
        publicity_to=start + timedelta(days=8),
    )
    clerk.enrolments.advance(e.id, Status.APPROVAL.value, on=start + timedelta(days=9))
    county.session.packages.import_file(export_one(town, county, stick))
    decider = open_session(tmp_path / "county", "xian1", PASSWORD)
    try:
        decider.enrolments.advance(e.id, Status.REFUSED.value, on=date.today(), note="不符合临时救助条件")
    finally:
        decider.close()
    receipt = town.session.packages.import_file(export_one(county, town, stick))
    assert receipt.decisions_applied == 1
    assert reviewer.enrolments.get_enrolment(e.id).status == Status.REFUSED.value
    # The township's refusal row goes back up; both hold the same again.
    county.session.packages.import_file(export_one(town, county, stick))
    assert digests(county)[town.code] == digests(town)[town.code]
    for s in (clerk, reviewer, town.session, county.session):
        s.close()
