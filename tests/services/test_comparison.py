"""s.comparison on a messy 公安 list: matches, findings, the record, dispositions and the month close."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import comparison as dc
from app.domain import idnumber
from app.domain.entities import Alert, Comparison, ComparisonFinding
from app.errors import InvalidInput
from tests.factories import household, member
from tests.services.test_month_cycle import NEXT, TODAY
from tests.services.test_programmes import _poor_family, _to_review
from tests.sheets.messy import Messy, number_cell, write_xlsx

HEADER = ["序号", "姓名", "公民身份号码", "出生日期", "死亡日期", "迁往地址"]


@pytest.fixture
def register(clerk, reviewer):
    """A 低保 family paid from NEXT, and a man in no programme with a son."""
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    other = clerk.households.add(
        household(categories=["一般户"]),
        [member("杨志强", date(1950, 5, 6)), member("杨小龙", date(1980, 2, 3), "子")],
    )
    people = {m.name: m for hid in (h.id, other.id) for m in clerk.households.members(hid)}
    return h, other, people


def police_list(tmp_path, people, name="公安.xlsx"):
    paid, wife, old, son = people["马学军"], people["海秀兰"], people["杨志强"], people["杨小龙"]
    stranger = idnumber.make("640424", date(1980, 1, 1), 11)
    m = Messy(
        HEADER,
        [
            [1, "马学军", paid.id_number, None, "2026-10-03", None],  # paid and dead
            [2, "海秀兰", number_cell(wife.id_number), wife.birth_date, None, "固原市原州区"],  # damaged
            [3, "杨志强", old.id_number, None, "2026-09-30", None],  # dead, in no programme
            [4, "杨小龙", son.id_number, None, None, "银川市兴庆区"],  # moved out
            [5, "马某某", stranger, None, "2026-08-01", None],  # not ours
        ],
        title="2026年死亡注销和迁出人员名单",
        unit="填报单位：泾源县公安局（盖章）",
        total=True,
        signatures=True,
    )
    return write_xlsx(tmp_path / name, m), m


def test_a_police_list_gives_the_hand_labelled_matches_and_findings(clerk, register, tmp_path):
    h, other, people = register
    path, messy = police_list(tmp_path, people)
    result = clerk.comparison.run(path, "公安", month=NEXT)
    assert [r.sheet_row for r in result.rows] == messy.expected().data_sheet_rows
    got = [(r.row, r.match, r.household_id, [f.code for f in r.findings]) for r in result.rows]
    assert got == [
        (1, "in_register", h.id, ["deceased_still_enrolled", "deceased_not_recorded"]),
        (2, "possible_match", h.id, ["confirm_match", "moved_out"]),  # to confirm, then to check
        (3, "in_register", other.id, ["deceased_not_recorded"]),
        (4, "in_register", other.id, ["moved_out"]),
        (5, "not_in_register", None, []),
    ]
    assert result.rows[1].id_number is None  # a damaged number is never "fixed"
    assert result.summary["in_register"] == 3 and result.summary["deceased_not_recorded"] == 2
    stored = clerk.comparison.result(result.comparison_id)
    assert [r.row for r in stored.rows] == [1, 2, 3, 4]  # only rows with findings are kept
    assert clerk.comparison.history(NEXT)[0].open_findings == 6


def test_the_same_file_again_says_so_and_stores_nothing_new(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    first = clerk.comparison.run(path, "公安", month=NEXT)
    again = clerk.comparison.run(path, "公安", month=NEXT)
    assert again.repeated and again.comparison_id == first.comparison_id
    assert [f.id for r in again.rows for f in r.findings] == [f.id for r in first.rows for f in r.findings]
    assert clerk.db.scalar("SELECT count(*) FROM comparisons") == 1
    assert clerk.db.scalar("SELECT count(*) FROM comparison_findings") == 6


def test_an_unknown_source_is_one_sentence_listing_the_kinds(clerk, tmp_path):
    with pytest.raises(InvalidInput, match=r"没有比对来源“税务”；可选：.*公安"):
        clerk.comparison.run(tmp_path / "x.xlsx", "税务")


def test_dispositions_through_to_the_month_close(clerk, register, tmp_path):
    h, _o, people = register
    path, _ = police_list(tmp_path, people)
    result = clerk.comparison.run(path, "公安", month=NEXT)
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and "6 条结论待核实或待处理" in item.detail
    ids = {f.code + str(r.row): f.id for r in result.rows for f in r.findings}
    dead = ids["deceased_still_enrolled1"]
    with pytest.raises(InvalidInput, match="须先核实为属实"):
        clerk.comparison.dispose([dead], "已处理", note="已停保")
    assert clerk.comparison.dispose([dead], "属实") == 1
    (alert,) = clerk.store.repo(Alert).where("rule = ?", ("comparison:deceased_still_enrolled",))
    assert alert.household_id == h.id and alert.level == dc.ALERTING["deceased_still_enrolled"]
    finding = clerk.store.repo(ComparisonFinding).get(dead)
    assert (finding.link_kind, finding.link_id) == ("alert", alert.id)
    with pytest.raises(InvalidInput, match="须写明核实情况"):
        clerk.comparison.dispose([ids["moved_out4"]], "不属实")
    rest = [v for k, v in ids.items() if k != "deceased_still_enrolled1"]
    clerk.comparison.dispose(rest, "不属实", note="入户核实，人在本村")
    # Found true but not yet acted on: the month's comparison is not done.
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and "1 条结论待核实或待处理" in item.detail
    clerk.comparison.dispose([dead], "已处理", link=("alert", alert.id))
    assert next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison").done
    assert clerk.store.repo(ComparisonFinding).get(dead).disposition == "已处理"
    assert clerk.db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE '比对结论核实为%'") == 7


def test_a_month_without_a_comparison_is_not_done(clerk):
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and clerk.store.repo(Comparison).where("1") == []
