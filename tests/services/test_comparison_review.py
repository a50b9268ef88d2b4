"""Review of the comparison's one pass (issue 12): real, messy lists through ``s.comparison.run``.

The fast path (app/services/comparison_rows.py) is checked end to end here, on files written with
openpyxl and csv and read by calamine, against the general path an auditor can follow by hand: the
file read with every cell converted, ``sheet_layout.data_rows``, ``idnumber.repair_column``,
``dc.match`` and ``dc.findings`` over the register read anew (``register_index(fresh=True)``).
A second comparison in the same session after a member was edited (the kept register refreshed
while calamine parses) and after the month changed must give what a fresh register gives.

Synthetic only: the register of comparison_fixtures.py (IDs from idnumber.make, made-up names).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.domain import comparison as dc
from app.domain import idnumber, months, sheet_layout
from app.domain.entities import Household, Member
from app.services.comparison import source_kind, synonyms_of
from app.sheets.reader import read_sheet
from tests.services import comparison_fixtures as cf
from tests.services.comparison_fixtures import MONTH, ON, kinds_register_fixture  # noqa: F401 - a fixture

HEADER = ["序号", "姓名", "公民身份号码", "出生日期", "死亡日期", "迁往地址", "备注"]
FULL_WIDTH = {c: c + 0xFEE0 for c in b"0123456789X"}  # the full-width forms, as an IME types them


def oracle(session, path: Path, kind_name: str, month: str) -> list[tuple]:
    """What the general row-by-row path gives for *path*, over a register read anew."""
    kind = source_kind(kind_name)
    raw = read_sheet(path)
    layout = sheet_layout.detect_layout(raw.rows[:60], synonyms_of(kind), kind.required)
    index = session.comparison.register_index(month, fresh=True)
    data = list(sheet_layout.data_rows(raw.rows, layout))
    text_file = path.suffix.lower() == ".csv"
    repairs = idnumber.repair_column([dc.id_cell(d) for d in data], text_file=text_file)
    out = []
    for d, repaired in zip(data, repairs, strict=True):
        found = dc.match(d, index, repaired)
        p = found.person
        name = p.name if p is not None and found.kind == dc.IN_REGISTER else dc.text_of(d.values.get("name"))
        said = [(f.code, f.text) for f in dc.findings(kind, d, found)]
        out.append((d.row, d.sheet_row, found.kind, found.id_number, name, p.household_id if p else None, sorted(said)))
    return out


def seen(result) -> list[tuple]:
    return [
        (r.row, r.sheet_row, r.match, r.id_number, r.name, r.household_id, sorted((f.code, f.text) for f in r.findings))
        for r in result.rows
    ]


def xlsx(path: Path, rows: list[Any], merges: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "gbk") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def person_rows(reg) -> list[list]:
    """Every member of the register named as the register names them, nothing else said (quiet)."""
    return [[n, m.name, m.id_number, None, None, None, None] for n, m in enumerate(reg.people.values(), 1)]


def run_and_check(reg, path: Path, kind: str = "公安", month: str = MONTH, on: date = ON):
    result = reg.clerk.comparison.run(path, kind, month=month, on=on)
    expected = oracle(reg.clerk, path, kind, month)
    assert seen(result) == expected
    assert result.rows_read == len(expected)
    # The summary counts every row the way the rows themselves say.
    matches: dict[str, int] = {}
    for r in expected:
        matches[r[2]] = matches.get(r[2], 0) + 1
    assert {k: v for k, v in result.summary.items() if k in matches} == matches
    return result, expected


def test_a_messy_police_list_gives_through_the_one_pass_what_the_general_path_gives(kinds_register, tmp_path):
    reg = kinds_register
    p = reg.people
    ma, hai, yang, son, tian, li = p["ma"], p["hai"], p["yang"], p["yang_son"], p["tian"], p["li"]
    dead = p["su_father"]
    stranger = idnumber.make("640424", date(1990, 4, 4), 15)
    rows = [
        ["泾源县公安局死亡及迁出人员名单", None, None, None, None, None, None],
        HEADER,
        *person_rows(reg),
        [20, yang.name, int(yang.id_number), None, None, None, None],  # stored as a number
        [21, tian.name, f" {tian.id_number[:6]} {tian.id_number[6:]} ", None, None, None, None],  # spaces
        [22, li.name, li.id_number.lower(), None, None, None, None],  # lower-case x
        [23, ma.name, ma.id_number.translate(FULL_WIDTH), None, None, None, None],  # full-width
        [24, "马 学军", ma.id_number, None, None, None, None],  # a space in the name
        [25, "馬學軍", ma.id_number, None, None, None, None],  # 繁体
        [26, "马学君", ma.id_number, None, "2026-10-03", None, None],  # a typo, and dead
        [27, ma.name, ma.id_number, None, "2026-10-03", None, None],  # the same person twice
        [None, None, None, None, None, None, None],  # a blank row
        HEADER,  # the header repeated (a list printed page by page)
        [28, hai.name, hai.id_number, None, 0, None, None],  # gate cells holding 0, False, 否, " "
        [29, son.name, son.id_number, None, False, None, None],
        [30, yang.name, yang.id_number, None, "否", None, None],
        [31, tian.name, tian.id_number, None, " ", "\u3000", None],
        [32, hai.name, hai.id_number, None, datetime(2026, 10, 3), None, None],  # a date as a date
        [33, son.name, son.id_number, None, "2026年10月3日", None, None],  # and as text
        [34, dead.name, dead.id_number, None, "2026-10-01", None, None],  # dead already in the register
        [35, son.name, son.id_number, None, None, "泾源县香水镇", None],  # a move to the same township
        [36, "某某", stranger, None, "2026-10-03", None, None],  # a stranger
        ["制表人：张三", None, "审核人：李四", None, None, None, None],  # a signature line between rows
        [37, tian.name, tian.id_number, None, None, None, "审核人：李四"],  # a note naming a signer
        ["合计", "37 人", None, None, None, None, None],
        [38, ma.name, ma.id_number, None, None, None, None, "多余一列", 7],  # extra columns
    ]
    run_and_check(reg, xlsx(tmp_path / "公安.xlsx", rows))


def test_merged_cells_and_a_short_row_give_what_the_general_path_gives(kinds_register, tmp_path):
    reg = kinds_register
    p = reg.people
    rows = [
        ["泾源县公安局名单", None, None, None, None, None, None],
        HEADER,
        [1, p["ma"].name, p["ma"].id_number, None, "2026-10-03", None, None],
        [2, p["hai"].name, p["hai"].id_number, None, None, None, None],  # 死亡日期 merged over rows 3-4
        [3, p["yang"].name, p["yang"].id_number, None, None, "银川市", None],
        [4, p["tian"].name, p["tian"].id_number, None, None, None, None],  # 迁往地址 merged over 5-6
        [5, p["yang_son"].name, p["yang_son"].id_number],  # a row shorter than the header
    ]
    path = xlsx(tmp_path / "合并.xlsx", rows, merges=("E3:E4", "F5:F6"))
    run_and_check(reg, path)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_csv_list_gives_what_the_general_path_gives(kinds_register, tmp_path, encoding):
    reg = kinds_register
    p = reg.people
    rows = [
        HEADER,
        *person_rows(reg),
        [30, p["ma"].name, p["ma"].id_number, "", "2026-10-03", "", ""],
        [31, p["li"].name, p["li"].id_number.lower(), "", "", "", ""],
        [32, p["yang"].name, "6.40424E+17", "", "", "", ""],  # as Excel shows a number
        [33, "某某", idnumber.make("640424", date(1991, 2, 2), 17), "", "", "银川市", ""],
        ["", "", ""],  # a short line
        ["合计", "", "", "", "", "", ""],
    ]
    run_and_check(reg, write_csv(tmp_path / f"公安-{encoding}.csv", rows, encoding))


@pytest.mark.parametrize("every", [True, False])
def test_a_list_every_row_of_which_is_quiet_or_none(kinds_register, tmp_path, every):
    reg = kinds_register
    rows = person_rows(reg)
    if not every:
        rows = [[*r[:4], "2026-10-03", *r[5:]] for r in rows]
    _result, expected = run_and_check(reg, xlsx(tmp_path / f"全部{every}.xlsx", [HEADER, *rows]))
    assert all(r[2] == dc.IN_REGISTER for r in expected) and bool(sum(len(r[6]) for r in expected)) is not every


def test_rows_are_read_as_the_comparison_page_and_the_workbook_read_them(kinds_register, tmp_path):
    reg = kinds_register
    p = reg.people
    rows = [
        HEADER,
        [1, p["ma"].name, p["ma"].id_number, None, None, None, None],
        [None] * 7,
        ["合计", None, None, None, None, None, None],
        [2, p["hai"].name, p["hai"].id_number, None, "2026-10-03", None, None],
        ["制表人：张三", None, None, None, None, None, None],
        [3, p["tian"].name, p["tian"].id_number, None, None, None, None],
    ]
    path = xlsx(tmp_path / "读取.xlsx", rows)
    result = reg.clerk.comparison.run(path, "公安", month=MONTH, on=ON)
    rows_ = list(result.rows)
    n = len(rows_)
    assert n == 3 and [r.sheet_row for r in rows_] == [2, 5, 7]
    assert [result.rows[k] for k in range(-n, 0)] == rows_
    assert result.rows[-1].name == p["tian"].name and result.rows[-1].row == 3
    assert result.rows[1:] == rows_[1:] and result.rows[::-1] == rows_[::-1] and result.rows[-2:] == rows_[-2:]
    for bad in (n, -n - 1):
        with pytest.raises(IndexError):
            result.rows[bad]
    out = reg.clerk.comparison.export(result.comparison_id, tmp_path / "导出.xlsx", result)
    ws = openpyxl.load_workbook(out).active
    exported = [(c[0].value, c[1].value, c[3].value) for c in ws.iter_rows(min_row=3) if isinstance(c[0].value, int)]
    assert exported == [(r.row, r.sheet_row, r.name) for r in rows_ for _ in (r.findings or [None])]


@pytest.fixture
def fresh_register(clerk, reviewer):
    """The register of comparison_fixtures in a fresh office of this test's own (it is edited)."""
    return cf.build_register(clerk, reviewer)


def test_a_second_comparison_sees_a_member_edited_and_the_month_switched(fresh_register, tmp_path):
    reg = fresh_register
    p = reg.people
    rows = [HEADER, *person_rows(reg), [20, p["tian"].name, p["tian"].id_number, None, "2026-10-03", None, None]]
    run_and_check(reg, xlsx(tmp_path / "第一次.xlsx", rows))
    # A member edited between two comparisons: renamed, and one recorded dead.
    h, members = reg.clerk.households.get(reg.households["tian"])
    (tian,) = members
    reg.clerk.households.update(h, [replace(tian, name="田玉芳")])
    h, members = reg.clerk.households.get(reg.households["yang"])
    edited = [replace(m, deceased_on=ON - timedelta(days=3)) if m.name == p["yang"].name else m for m in members]
    reg.clerk.households.update(h, edited)
    rows2 = [*rows, [21, p["yang"].name, p["yang"].id_number, None, "2026-10-03", None, None]]
    result, _ = run_and_check(reg, xlsx(tmp_path / "第二次.xlsx", rows2))
    renamed = [r for r in result.rows if r.id_number == p["tian"].id_number]
    assert renamed and all(r.name == "田玉芳" for r in renamed)
    # The same session, the month after: the kept register moves to it.
    later = months.add(MONTH, 1)
    run_and_check(reg, xlsx(tmp_path / "下月.xlsx", rows2), month=later, on=months.first_day(later))


def test_a_second_comparison_sees_another_session_s_edits_and_an_earlier_month(fresh_register, tmp_path):
    reg = fresh_register
    stranger = idnumber.make("640424", date(1991, 3, 3), 21)
    rows = [
        HEADER,
        *[[*r[:4], "2026-10-03", *r[5:]] for r in person_rows(reg)],
        [30, "白玉山", stranger, None, "2026-10-03", None, None],
    ]
    path = xlsx(tmp_path / "名单.xlsx", rows)
    run_and_check(reg, path)
    # The reviewer (another session) archives a household and registers the stranger meanwhile.
    reg.reviewer.households.archive(reg.households["tian"], "测试：户已迁出")
    reg.reviewer.households.add(
        Household(village_code=cf.DAZHUANG, categories=["一般户"]), [Member(name="白玉山", id_number=stranger)]
    )
    result, _ = run_and_check(reg, xlsx(tmp_path / "再次.xlsx", rows))
    assert [r.match for r in result.rows if r.id_number == stranger] == ["in_register"]
    # The month before the enrolments are paid: no one in it is still paid.
    now = months.of(cf.TODAY)
    result, _ = run_and_check(reg, xlsx(tmp_path / "本月.xlsx", rows), month=now, on=cf.TODAY)
    assert not any(f.code == "deceased_still_enrolled" for r in result.rows for f in r.findings)
    # And back: the kept register follows the month again.
    result, _ = run_and_check(reg, xlsx(tmp_path / "回到下月.xlsx", rows))
    assert any(f.code == "deceased_still_enrolled" for r in result.rows for f in r.findings)


# --- what a comparison says, as an auditor reads it (docs/comparison.md) ---------------------------
# The two paths agree on these rows; what they agree on is wrong: a cell that says "no" is read as a
# fact the department reports.


def test_a_death_date_cell_saying_no_is_not_a_death(kinds_register, tmp_path):
    reg = kinds_register
    p = reg.people
    rows = [
        HEADER,
        [1, p["ma"].name, p["ma"].id_number, None, "否", None, None],
        [2, p["hai"].name, p["hai"].id_number, None, False, None, None],
        [3, p["yang"].name, p["yang"].id_number, None, "2026-10-03", None, None],  # a death, to tell apart
    ]
    result, _ = run_and_check(reg, xlsx(tmp_path / "否.xlsx", rows))
    codes = [[f.code for f in r.findings] for r in result.rows]
    # 公安's list says of 马学军 and 海秀兰 that they are not dead: nothing to stop, nothing to record.
    assert codes == [[], [], ["deceased_not_recorded"]]


def test_a_pension_of_nothing_is_not_a_pension_left_unrecorded(kinds_register, tmp_path):
    # 人社 exports everyone insured, with 0 for those paid nothing: no 低保 member's income is missing.
    reg = kinds_register
    p = reg.people
    header = ["序号", "姓名", "身份证号", "月养老金"]
    rows = [
        header,
        [1, p["ma"].name, p["ma"].id_number, 0],
        [2, p["hai"].name, p["hai"].id_number, "0.00"],
        [3, p["ma_son"].name, p["ma_son"].id_number, "无"],
        [4, p["su"].name, p["su"].id_number, 1632.5],  # a pension, to tell apart
    ]
    result = reg.clerk.comparison.run(xlsx(tmp_path / "人社.xlsx", rows), "人社", month=MONTH, on=ON)
    codes = [[f.code for f in r.findings] for r in result.rows]
    assert codes == [[], [], [], ["pension_not_recorded"]]
