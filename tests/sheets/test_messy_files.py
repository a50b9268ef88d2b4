"""Hand-labelled messy lists, each written as .xlsx, real .xls and GBK CSV, read end to end (issue 12).

One sheet carries every mess of the issue's list; the answers (header rows, mapping, data rows with
their spreadsheet row numbers, ID statuses) are written out by hand below, not computed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.domain.idnumber import repair
from app.domain.sheet_layout import FIELD_SYNONYMS, Cell, as_cells, data_rows, detect_layout
from app.sheets.reader import read_sheet
from tests.sheets.messy import (
    Messy,
    disability_cert,
    full_width,
    legacy15,
    lower_x,
    number_cell,
    spaced,
    valid_id,
    write_csv,
    write_xls,
    write_xlsx,
)

TODAY = date(2026, 11, 29)
P1 = valid_id(11)  # 642225196003080111
P2 = valid_id(13)
P3 = valid_id(28, born=date(1971, 7, 9))  # 64222519710709028X
P4 = valid_id(14, born=date(1948, 2, 2))
P5 = valid_id(15)
P6 = valid_id(16, born=date(1982, 12, 1))
assert P3.endswith("X")

HEADER = [
    "序号",
    "户主姓名",
    "姓名",
    "身份证号码\n（必填）",
    "与户主关系",
    "残疾证号",
    "所在村",
    "月保障金（元）",
    "备注",
]
ROWS: list[list[Cell]] = [
    [1, "马建国", "马建国", P1, "户主", None, "东峡村", 850, None],
    [2, "马建国", "杨秀兰", number_cell(P2), "妻子", None, "东峡村", 850, "身份证号以数字保存"],
    [3, "马建国", "马小红", lower_x(P3), "长女", None, "东峡村", 850, None],
    [4, "海福", "海福", full_width(P4), "户主", disability_cert(P4), "西沟村", 600, None],
    [5, "海福", "禹兰", spaced(P5), "妻子", None, "西沟村", 600, None],
    [6, "海福", "海军", legacy15(P1), "长子", None, "西沟村", 600, "15 位旧号码"],
    [7, "丁梅", "丁梅", P6[:17] + ("0" if P6[17] != "0" else "1"), "户主", None, "西沟村", 0, "校验位错"],
    [8, "丁梅", "丁小东", None, "之子", None, "西沟村", 0, "未办证"],
]
MESSY = Messy(
    HEADER,
    ROWS,
    title="泾河源镇2024年5月农村低保对象花名册",
    unit="填报单位：泾河源镇人民政府（盖章）",
    groups=[("家庭成员", 2, 5)],
    total=True,
    subtotal_after=[2],
    blank_after=[5],
    signatures=True,
)

# The answers, by hand: title row 1, unit row 2, header rows 3–4, data from row 5; a 小计 after the
# third person (row 8) and a blank row after the sixth (row 12).
HEADER_ROWS = (2, 3)
COLUMNS = {
    "head_name": 1,
    "name": 2,
    "id_number": 3,
    "relation": 4,
    "disability_cert": 5,
    "village": 6,
    "amount": 7,
    "note": 8,
}
SHEET_ROWS = [5, 6, 7, 9, 10, 11, 13, 14]
STATUSES = ["ok", "id_damaged", "ok", "ok", "ok", "ok", "id_invalid", "empty"]
NUMBERS = [P1, None, P3, P4, P5, P1, None, None]


@pytest.fixture(params=["xlsx", "xls", "csv-gbk"])
def messy_file(request, tmp_path):
    writers: dict[str, Callable[[Path, Messy], Path]] = {"xlsx": write_xlsx, "xls": write_xls, "csv-gbk": write_csv}
    writer = writers[request.param]
    suffix = {"xlsx": ".xlsx", "xls": ".xls", "csv-gbk": ".csv"}[request.param]
    return writer(tmp_path / f"低保花名册{suffix}", MESSY)


def test_hand_labelled_answers_hold_for_the_factory():
    expected = MESSY.expected()
    assert expected.header_rows == HEADER_ROWS
    assert expected.data_sheet_rows == SHEET_ROWS


def test_every_mess_read_right(messy_file):
    sheet = read_sheet(messy_file)
    layout = detect_layout(sheet.rows, FIELD_SYNONYMS, required=("name", "id_number"))
    assert layout.header_rows == HEADER_ROWS
    assert layout.columns == COLUMNS
    assert layout.headers[3] == "家庭成员-身份证号码\n（必填）"
    assert layout.title == "泾河源镇2024年5月农村低保对象花名册"
    assert layout.unit == "填报单位：泾河源镇人民政府（盖章）"
    got = list(data_rows(sheet.rows, layout))
    assert [(r.row, r.sheet_row) for r in got] == list(enumerate(SHEET_ROWS, start=1))
    assert [r.values["name"] for r in got] == [row[2] for row in ROWS]
    repaired = [repair(r.values.get("id_number"), TODAY) for r in got]
    assert [r.status for r in repaired] == STATUSES
    assert [r.number for r in repaired] == NUMBERS
    assert repair(got[3].values["disability_cert"], TODAY).number == P4
    assert [r.values["head_name"] for r in got][:3] == ["马建国"] * 3
    # Amounts come back as whole numbers, not 850.0, whatever the format.
    assert got[0].values["amount"] in (850, "850")


def test_damaged_id_is_named_with_its_row_numbers(messy_file):
    sheet = read_sheet(messy_file)
    layout = detect_layout(sheet.rows, FIELD_SYNONYMS)
    bad = [
        (r.row, r.sheet_row, repair(r.values["id_number"], TODAY).status)
        for r in data_rows(sheet.rows, layout)
        if repair(r.values["id_number"], TODAY).status in ("id_damaged", "id_invalid")
    ]
    assert bad == [(2, 6, "id_damaged"), (7, 13, "id_invalid")]


def test_cells_as_read_become_the_cells_read(messy_file):
    # The comparison reads cells as calamine gives them and converts only those it looks at: each
    # row converted must be the row the plain read gives, merged cells filled and blank rows dropped.
    plain, as_read = read_sheet(messy_file), read_sheet(messy_file, as_read=True)
    assert [as_cells(r) for r in as_read.rows] == plain.rows
    assert (as_read.sha256, as_read.sheet) == (plain.sha256, plain.sheet)
