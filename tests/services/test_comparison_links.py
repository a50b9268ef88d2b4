"""s.comparison_links: what a finding can be linked to, read from its own household only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.domain import idnumber
from app.domain.entities import Household, Member, Visit
from app.errors import InvalidInput
from app.services.session import Session
from tests.factories import household, member
from tests.services.test_month_cycle import IN_NEXT, NEXT, TODAY
from tests.services.test_programmes import _poor_family, _to_review
from tests.sheets.messy import Messy, write_xlsx

STRANGER = idnumber.make("640424", date(1980, 1, 1), 11)


@dataclass
class Linked:
    family: Household  # 马学军's 低保 family: its father is on the 公安 list, dead
    other: Household  # 杨志强's: he is on the list too
    findings: dict[str, str]  # finding code + name → finding id
    visit: str
    alert: str  # raised by the 属实 of 马学军's deceased_still_enrolled
    stop: str  # the 低保 stopped after it


def build_linked(clerk: Session, reviewer: Session, tmp_path) -> Linked:
    """A 公安 list naming a paid man now dead and a man of another household; the first finding found
    属实 (raising its alert), then a visit and the stop that followed, and a visit to the other household."""
    family = _poor_family(clerk)
    enrolment = _to_review(clerk, family)
    reviewer.enrolments.advance(enrolment.id, "在保", on=TODAY)
    other = clerk.households.add(household(categories=["一般户"]), [member("杨志强", date(1950, 5, 6))])
    people = {m.name: m for hid in (family.id, other.id) for m in clerk.households.members(hid)}
    m = Messy(
        ["序号", "姓名", "公民身份号码", "死亡日期"],
        [
            [1, "马学军", people["马学军"].id_number, "2026-10-03"],
            [2, "杨志强", people["杨志强"].id_number, "2026-09-30"],
            [3, "马某某", STRANGER, "2026-08-01"],
        ],
        title="死亡注销人员名单",
        unit="填报单位：泾源县公安局（盖章）",
    )
    result = clerk.comparison.run(write_xlsx(tmp_path / "公安.xlsx", m), "公安", month=NEXT, on=IN_NEXT)
    findings = {f.code + r.name: f.id for r in result.rows for f in r.findings}
    clerk.comparison.dispose([findings["deceased_still_enrolled马学军"]], "属实", note="派出所证明")
    alert = clerk.db.scalar("SELECT id FROM alerts WHERE rule = 'comparison:deceased_still_enrolled'")
    visit = clerk.visits.record(
        Visit(household_id=family.id, visit_date=TODAY - timedelta(days=1), visitors="王经办、李主任")
    )
    clerk.visits.record(Visit(household_id=other.id, visit_date=TODAY, visitors="王经办、李主任"))
    reviewer.enrolments.advance(enrolment.id, "停保", on=TODAY, note="户主死亡")
    return Linked(family, other, findings, visit.id, str(alert), enrolment.id)


@pytest.fixture
def linked(clerk, reviewer, tmp_path) -> Linked:
    return build_linked(clerk, reviewer, tmp_path)


def test_a_finding_offers_its_household_s_visit_alert_and_stop_newest_first(clerk, linked):
    choices = clerk.comparison_links.for_findings([linked.findings["deceased_still_enrolled马学军"]])
    by_id = {c.id: c for c in choices}
    assert by_id[linked.stop].kind == "stop" and "停保" in by_id[linked.stop].label
    assert "低保" in by_id[linked.stop].label
    assert by_id[linked.alert].kind == "alert" and "死亡仍在保" in by_id[linked.alert].label
    assert by_id[linked.visit].kind == "visit" and "王经办、李主任" in by_id[linked.visit].label
    assert {c.kind for c in choices} == {"visit", "alert", "stop"}  # the other household's visit is not offered
    days = [c.on for c in choices]
    assert days == sorted(days, reverse=True) and choices[-1].id == linked.visit  # yesterday's visit last


def test_each_choice_is_accepted_by_dispose(clerk, linked):
    dead = linked.findings["deceased_still_enrolled马学军"]
    stop = next(c for c in clerk.comparison_links.for_findings([dead]) if c.kind == "stop")
    clerk.comparison.dispose([dead], "已处理", link=(stop.kind, stop.id))
    row = clerk.db.execute("SELECT link_kind, link_id FROM comparison_findings WHERE id = ?", (dead,)).fetchone()
    assert tuple(row) == ("stop", linked.stop)


def test_a_batch_across_households_is_refused_in_one_sentence(clerk, linked):
    batch = [linked.findings["deceased_still_enrolled马学军"], linked.findings["deceased_not_recorded杨志强"]]
    with pytest.raises(InvalidInput, match="分属 2 户") as exc:
        clerk.comparison_links.for_findings(batch)
    assert exc.value.field == "link"


def test_a_batch_of_one_household_s_findings_is_linkable(clerk, linked):
    both = [f for key, f in linked.findings.items() if key.endswith("马学军")]
    assert len(both) == 2  # still paid, and not recorded dead
    assert {c.kind for c in clerk.comparison_links.for_findings(both)} == {"visit", "alert", "stop"}


def test_a_stranger_offers_nothing_until_a_household_takes_in_the_number(clerk, linked, tmp_path):
    m = Messy(["序号", "姓名", "身份证号", "监测对象类别"], [[1, "马某某", STRANGER, "边缘易致贫户"]], title="监测对象")
    result = clerk.comparison.run(write_xlsx(tmp_path / "监测.xlsx", m), "乡村振兴", month=NEXT, on=IN_NEXT)
    stranger = [f.id for r in result.rows for f in r.findings]
    assert stranger and result.rows[0].household_id is None  # a 漏保线索 on nobody of ours
    assert clerk.comparison_links.for_findings(stranger) == []
    later = clerk.households.add(household(), [Member(name="马某某", id_number=STRANGER, relation="本人")])
    visit = clerk.visits.record(Visit(household_id=later.id, visit_date=TODAY, visitors="王经办、李主任"))
    assert [c.id for c in clerk.comparison_links.for_findings(stranger)] == [visit.id]
    clerk.comparison.dispose(stranger, "属实")
    clerk.comparison.dispose(stranger, "已处理", link=("visit", visit.id))  # dispose agrees on the household
