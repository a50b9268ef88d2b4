"""The Excel renderer: a bank, a county clerk or WPS reads back exactly the figures the register holds.

ID numbers and accounts stay text (as numbers Excel keeps 15 digits), money is 元 to the fen and
its 合计 is the sum in fen, the sheet prints on A4 with its header on every page, and a county
roster renders in seconds without a plaintext copy in a temporary file.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from app.domain.report import (
    BlankLines,
    Column,
    Document,
    Fields,
    Kind,
    Orientation,
    PageBreak,
    Paragraph,
    Signatures,
    Table,
)
from app.reports.xlsx import xlsx_bytes

COLUMNS = (
    Column("no", "序号", Kind.INT, 0.6),
    Column("name", "姓名", Kind.TEXT, 1.0),
    Column("id", "身份证号", Kind.ID, 2.5),
    Column("size", "保障人数", Kind.INT, 0.8, total=True),
    Column("amount", "保障金额（元）", Kind.MONEY, 1.2, total=True),
    Column("account", "银行账号", Kind.ID, 2.5),
    Column("since", "纳入日期", Kind.DATE, 1.2),
    Column("taper", "渐退", Kind.FLAG, 0.6),
)
ID_X = "64042419800101001X"
ACCOUNT_ZEROS = "0006229876543210012"


def roster(n: int, amounts: list[int] | None = None) -> Table:
    table = Table(COLUMNS)
    for i in range(n):
        table.add(
            {
                "no": i + 1,
                "name": f"马{i}",
                "id": ID_X if i == 0 else f"64042419800101{i % 10000:04d}",
                "size": i % 4 + 1,
                "amount": amounts[i] if amounts else 31000 + i,
                "account": ACCOUNT_ZEROS if i == 0 else f"62298{i:014d}",
                "since": dt.date(2024, 3, 5) if i % 2 else "2024-03",
                "taper": i % 3 == 0,
            }
        )
    return table


def document(*blocks, title="香水镇2026年11月低保保障对象花名册", **kwargs) -> Document:
    kwargs.setdefault("subtitle", "填报单位：香水镇人民政府")
    return Document("roster", title, blocks=list(blocks), **kwargs)


def sheet(doc: Document):
    return load_workbook(BytesIO(xlsx_bytes(doc))).active


def header_row(ws) -> int:
    return next(r[0].row for r in ws.iter_rows() if r[0].value == "序号")


def test_id_numbers_and_accounts_stay_text_in_openpyxl_and_calamine():
    data = xlsx_bytes(document(roster(3)))
    ws = load_workbook(BytesIO(data)).active
    first = header_row(ws) + 1
    id_cell, account_cell = ws.cell(first, 3), ws.cell(first, 6)
    assert id_cell.value == ID_X and account_cell.value == ACCOUNT_ZEROS
    for cell in (id_cell, account_cell, ws.cell(first + 1, 3), ws.cell(first + 1, 6)):
        assert isinstance(cell.value, str) and cell.data_type == "s"
        assert cell.number_format == "@"
    assert ws.cell(first + 1, 3).value == "640424198001010001"
    # A WPS-like reader sees the same text, digit for digit.
    rows = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0).to_python()
    row = next(r for r in rows if r[0] == 1)
    assert row[2] == ID_X and row[5] == ACCOUNT_ZEROS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=-10_000_000, max_value=10**11), min_size=1, max_size=30))
def test_money_is_yuan_to_the_fen_and_the_total_is_the_sum_in_fen(amounts):
    ws = sheet(document(roster(len(amounts), amounts)))
    first = header_row(ws) + 1
    cells = [ws.cell(first + i, 5) for i in range(len(amounts))]
    for cell, fen in zip(cells, amounts, strict=True):
        assert Decimal(str(cell.value)) == Decimal(fen) / 100
        assert cell.number_format == "0.00"
    total_row = first + len(amounts)
    assert ws.cell(total_row, 1).value == "合计"
    assert Decimal(str(ws.cell(total_row, 5).value)) == Decimal(sum(amounts)) / 100
    assert ws.cell(total_row, 4).value == sum(i % 4 + 1 for i in range(len(amounts)))


def test_other_kinds_are_written_as_the_paper_shows_them():
    table = roster(2)
    table.page_subtotals = True
    ws = sheet(document(table))
    first = header_row(ws) + 1
    assert ws.cell(first, 1).value == 1 and ws.cell(first, 4).value == 1  # INT stays a number
    assert ws.cell(first, 7).value == "2024-03" and ws.cell(first + 1, 7).value == "2024-03-05"
    assert ws.cell(first, 8).value == "是" and ws.cell(first + 1, 8).value is None
    # page subtotals are a PDF thing (Excel has no fixed pages): one 合计, last
    firsts = [row[0] for row in ws.iter_rows(values_only=True)]
    assert firsts[-1] == "合计" and firsts.count("合计") == 1 and "本页小计" not in firsts


def test_a_name_that_looks_like_a_formula_stays_text():
    table = Table(COLUMNS[:2])
    table.add({"no": 1, "name": '=HYPERLINK("http://x")'})
    table.add({"no": 2, "name": "马\x07某"})  # a control character pasted from elsewhere
    ws = sheet(document(table))
    first = header_row(ws) + 1
    assert ws.cell(first, 2).data_type == "s" and ws.cell(first, 2).value.startswith("=HYPERLINK")
    assert ws.cell(first + 1, 2).value == "马某"


def test_print_setup_prints_like_the_pdf():
    doc = document(roster(5), orientation=Orientation.LANDSCAPE, footer="内部资料 注意保密 & 监督电话 12345")
    ws = sheet(doc)
    header = header_row(ws)
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.oddFooter.left.text == "内部资料 注意保密 && 监督电话 12345"
    assert ws["A1"].value == doc.title and ws["A2"].value == doc.subtitle
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["C"].width >= 18 and ws.column_dimensions["F"].width >= 18
    assert all(ws.cell(header, i).font.b for i in range(1, len(COLUMNS) + 1))
    assert ws.cell(header, 1).fill.fgColor.rgb.endswith("D9D9D9")


def test_portrait_is_kept_and_several_different_tables_do_not_repeat_the_first_header():
    members = Table((Column("name", "姓名"), Column("relation", "与户主关系")))
    members.add({"name": "马某", "relation": "户主"})
    doc = document(roster(2), members, orientation=Orientation.PORTRAIT)
    ws = sheet(doc)
    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows is None and ws.freeze_panes is None


def test_form_blocks_become_rows():
    doc = document(
        Fields([("户主姓名", "马某"), ("身份证号", ID_X), ("住址", "大庄村一组")], per_row=2, caption="基本情况"),
        Paragraph("家庭经济状况", "heading"),
        BlankLines("入户核查记录", 3),
        PageBreak(),
        Signatures(("调查人", "调查人", "户主")),
        title="香水镇入户调查表",
        subtitle="",
    )
    ws = sheet(doc)
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert values[0] == ["香水镇入户调查表"]
    assert values[1] == ["基本情况"]
    assert values[2] == ["户主姓名", "马某", "身份证号", ID_X] and values[3] == ["住址", "大庄村一组"]
    assert ws.cell(3, 4).data_type == "s"  # an ID in a form is text too
    assert values[4] == ["家庭经济状况"] and values[5] == ["入户核查记录"]
    assert values[6:9] == [[], [], []]
    assert all(ws.cell(r, 1).border.bottom.style == "thin" for r in (7, 8, 9))
    assert [b.id for b in ws.row_breaks.brk] == [9]
    assert values[9][0].startswith("调查人：") and "户主：" in values[9][0] and "年" in values[9][0]


def test_sheet_title_is_legal_whatever_the_report_title():
    doc = document(roster(1), title="香水镇[2026]/11:低保*花名册?\\" + "很长" * 20)
    wb = load_workbook(BytesIO(xlsx_bytes(doc)))
    title = wb.active.title
    assert title and len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert title.startswith("香水镇")


def test_a_county_roster_renders_in_seconds_with_progress_and_no_temporary_file(monkeypatch):
    import openpyxl.worksheet._writer as writer

    def no_temp_file(*args, **kwargs):
        raise AssertionError("a temporary file would be a plaintext copy of the register")

    monkeypatch.setattr(writer, "create_temporary_file", no_temp_file)
    calls = []

    class Progress:
        def update(self, done, total, label):
            calls.append((done, total))

    doc = document(roster(20_000), orientation=Orientation.LANDSCAPE)
    started = time.process_time()
    data = xlsx_bytes(doc, Progress())
    assert time.process_time() - started < 8  # ~3 s on a 2021 office PC
    assert calls[0] == (500, 20_000) and calls[-1] == (20_000, 20_000) and len(calls) == 41
    rows = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(rows) == 20_000 + 4  # title, subtitle, header, 合计
    assert rows[-1][0] == "合计" and rows[-2][0] == 20_000


def test_a_cancel_during_rendering_propagates():
    class Cancelled(Exception):
        pass

    class Progress:
        def update(self, done, total, label):
            raise Cancelled

    with pytest.raises(Cancelled):
        xlsx_bytes(document(roster(600)), Progress())


def test_a_long_form_value_gets_a_row_tall_enough_to_print_it():
    address = "泾源县香水镇大庄村一组" * 6  # merged cells never grow by themselves in Excel
    ws = sheet(document(Fields([("户主姓名", "马某"), ("住址", address)], per_row=1), roster(1)))
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "住址")
    assert ws.cell(row, 2).value == address
    value_width = sum(ws.column_dimensions[letter].width for letter in "BCDEFGH")
    lines_needed = -(-len(address) * 2 // int(value_width))
    assert lines_needed >= 2
    assert ws.row_dimensions[row].height >= 15 * lines_needed


FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x/?"&B1,"a")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_looks_like_a_formula_is_text_wherever_it_lands(text):
    table = Table(COLUMNS[:2], caption=text)
    table.add({"no": 1, "name": text})
    doc = document(
        Fields([(text, text)], per_row=1, caption=text),
        table,
        Paragraph(text, "note"),
        BlankLines(text, 1),
        Signatures((text,), dated=False),
        title=text,
        subtitle=text,
    )
    ws = sheet(doc)
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and text in c.value]
    # title, subtitle, fields caption, label and value, table caption, the name, paragraph, blank-line label,
    # signature line
    assert len(cells) == 10
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells if c.value.startswith(text))


def test_negative_numbers_stay_numbers_and_a_signed_number_as_text_is_not_quoted():
    table = Table((Column("n", "人数", Kind.INT, 1.0), Column("amount", "金额", Kind.MONEY, 1.0), COLUMNS[1]))
    table.add({"n": -2, "amount": -500, "name": "-5"})
    ws = sheet(document(table))
    first = header_row_of(ws, "人数") + 1
    assert ws.cell(first, 1).value == -2 and ws.cell(first, 1).data_type == "n"
    assert ws.cell(first, 2).value == Decimal("-5.00") or ws.cell(first, 2).value == -5
    assert ws.cell(first, 3).value == "-5" and not ws.cell(first, 3).quotePrefix


def header_row_of(ws, first: str) -> int:
    return next(r[0].row for r in ws.iter_rows() if r[0].value == first)
