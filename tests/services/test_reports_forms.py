"""入户调查表, 一户一档 and the care ledgers, built on a demo office: what investigators and the archive rely on."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from app.domain.entities import CareRecord
from app.domain.report import BlankLines, Fields, Kind, Signatures, Table
from app.errors import InvalidInput
from app.services.reports import ReportRequest
from tests.services.reports_fixtures import CLOSED, ID18, column, demo, rendered_text

__all__ = ["demo"]  # the module fixture, imported for pytest


def _build(s, name, **kw):
    return s.reports.build(ReportRequest(name, CLOSED, **kw))


def _table(doc, caption: str) -> Table:
    return next(t for t in doc.tables() if t.caption.startswith(caption))


def _dibao_household(s) -> str:
    return s.db.scalar(
        "SELECT household_id FROM payments WHERE month = ? AND programme = '低保' AND persons >= 3 "
        "ORDER BY household_id LIMIT 1",
        (CLOSED,),
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# --- 入户调查表 ------------------------------------------------------------------------


def test_survey_lists_every_living_member_with_the_full_id_number_as_text(demo):
    s = demo.clerk
    hid = _dibao_household(s)
    _household, members = s.households.get(hid)
    living = [m for m in members if m.deceased_on is None]
    doc = _build(s, "survey", household=hid)
    table = _table(doc, "家庭成员")
    assert column(table, "member.name") == [m.name for m in living]
    ids = column(table, "member.id_number")
    assert ids == [m.id_number for m in living] and all(isinstance(i, str) and ID18.fullmatch(i) for i in ids)
    assert table.columns[table.index("member.id_number")].kind == Kind.ID
    facts = dict(next(b for b in doc.blocks if isinstance(b, Fields)).items)
    assert facts["家庭人口"] == str(len(living)) and "低保" in facts["是否在保"]
    assert facts["是否干部亲属（近亲属备案）"].startswith(("是", "否"))
    text = rendered_text(doc)
    if text is not None:
        assert all(i in text for i in ids)  # whole, never split or turned into a number


def test_survey_leaves_lines_for_the_visit_and_is_signed_by_two_investigators_and_the_household(demo):
    doc = _build(demo.clerk, "survey", household=_dibao_household(demo.clerk))
    blanks = [b.label for b in doc.blocks if isinstance(b, BlankLines)]
    assert any("不愁吃" in b for b in blanks) and any("家庭财产" in b for b in blanks)
    assert any(b.startswith("结论") and "是否符合" in b for b in blanks)
    [signatures] = [b for b in doc.blocks if isinstance(b, Signatures)]
    assert signatures.labels.count("调查人") == 2 and any("户主" in x for x in signatures.labels) and signatures.dated


def test_the_blank_survey_carries_no_personal_data_at_all(demo):
    s = demo.clerk
    doc = _build(s, "survey", options=frozenset({"blank"}))
    printed = "\n".join(v for v in doc.text_values() if v)
    for table in doc.tables():
        assert table.rows and all(v is None for row in table.rows for v in row)  # ruled rows to fill in
    assert not ID18.search(printed)
    names = {n for (n,) in s.db.query("SELECT name FROM members")}
    assert not [n for n in names if n in printed]
    assert all(value == "" for _label, value in next(b for b in doc.blocks if isinstance(b, Fields)).items)
    text = rendered_text(doc)
    if text is not None:
        assert not ID18.search(text.replace(" ", "")) and not [n for n in names if n in text]


def test_a_survey_without_a_household_is_refused_unless_blank(demo):
    with pytest.raises(InvalidInput, match="需要选定一户"):
        _build(demo.clerk, "survey")


# --- 一户一档 --------------------------------------------------------------------------


def test_household_file_lists_the_visits_steps_and_attachments_but_never_their_bytes(demo):
    s = demo.clerk
    hid = demo.applicant_household
    photo = _png()
    s.attachments.add("households", hid, photo, "户口簿首页.png", kind="身份证件")
    visit_id = s.db.scalar("SELECT id FROM visits WHERE household_id = ? AND deleted = 0 LIMIT 1", (hid,))
    if visit_id:
        s.attachments.add("visits", visit_id, photo, "入户照片1.png", kind="入户照片")
    doc = _build(s, "household-file", household=hid)
    names = column(_table(doc, "附件材料"), "attachment.name")
    assert "户口簿首页.png" in names and (not visit_id or "入户照片1.png" in names)
    assert column(_table(doc, "附件材料"), "attachment.date")[0] == date.today().isoformat()
    assert not any(isinstance(v, bytes) for t in doc.tables() for row in t.rows for v in row)
    visits = s.visits.for_household(hid)
    if visits:
        assert column(_table(doc, "入户核查记录"), "visit.date") == [v.visit_date.isoformat() for v in visits]
    [steps] = column(_table(doc, "救助认定"), "enrolment.steps")
    assert "入户调查" in steps and "公示" in steps and str(CLOSED) in steps


def test_household_file_lists_every_visit_of_a_visited_household(demo):
    s = demo.clerk
    hid = s.db.scalar(
        "SELECT household_id FROM visits WHERE deleted = 0 GROUP BY household_id HAVING count(*) >= 3 LIMIT 1"
    )
    doc = _build(s, "household-file", household=hid)
    table = _table(doc, "入户核查记录")
    visits = s.visits.for_household(hid)
    assert column(table, "visit.date") == [v.visit_date.isoformat() for v in visits]
    assert column(table, "visit.visitors") == [v.visitors for v in visits]
    assert all(f.startswith("两不愁三保障") and "。。" not in f for f in column(table, "visit.findings"))


# --- 照料与三留守台账 -----------------------------------------------------------------------


def _care_person_in_another_village(s, village):
    return next(p for p in s.care.people("重度残疾人照料") if not _in_village(s, p.member.household_id, village))


def _in_village(s, hid, village) -> bool:
    return s.db.scalar("SELECT village_code FROM households WHERE id = ?", (hid,)) == village


def test_care_of_one_village_lists_its_people_and_records_only(demo):
    s = demo.clerk
    people = s.care.people("重度残疾人照料")
    village = s.db.scalar("SELECT village_code FROM households WHERE id = ?", (people[0].member.household_id,))
    mine = people[0].member
    other = _care_person_in_another_village(s, village).member
    s.care.add(CareRecord(member_id=mine.id, care_mode="邻里照料", carer_name="马照料", visit_date=date(2025, 3, 5)))
    s.care.add(CareRecord(member_id=other.id, care_mode="亲属照料", carer_name="外村人", visit_date=date(2025, 3, 6)))
    doc = _build(s, "care", village=village)
    table = _table(doc, "重度残疾人照料台账")
    expected = {p.member.name for p in people if _in_village(s, p.member.household_id, village)}
    assert set(column(table, "care.name")) == expected
    carers = column(table, "care.carer")
    assert "马照料" in carers and "外村人" not in carers
    row = column(table, "care.name").index(mine.name)
    assert column(table, "care.visit_date")[row] == "2025-03-05" and column(table, "care.mode")[row] == "邻里照料"
    assert table.totals()["care.persons"] == len(expected)
    left = next((t for t in doc.tables() if t.caption == "三留守关爱台账"), None)
    if left is not None:
        assert all(_in_village(s, hid, village) for hid in _household_ids(s, column(left, "lb.id_number")))


def _household_ids(s, id_numbers):
    return [s.db.scalar("SELECT household_id FROM members WHERE id_number = ?", (i,)) for i in id_numbers]


def test_care_prints_both_ledgers_each_with_its_persons_total_or_one_when_asked(demo):
    s = demo.clerk
    doc = _build(s, "care")
    left = _table(doc, "三留守关爱台账")
    assert left.totals()["lb.persons"] == len(s.care.people("三留守关爱")) == len(left.rows)
    assert set(column(left, "lb.kind")) <= {"留守儿童", "留守妇女", "留守老人"}
    assert _table(doc, "重度残疾人照料台账").totals()["care.persons"] == len(s.care.people("重度残疾人照料"))
    only = _build(s, "care", options=frozenset({"left-behind"}))
    assert [t.caption for t in only.tables()] == ["三留守关爱台账"]
    assert doc.orientation == "landscape"
