"""Opening what clerks drop on the 比对 page (issue 12 point 1): formats, encodings, sheets, refusals."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from app.errors import InvalidInput
from app.sheets import extent, reader
from app.sheets.reader import read_sheet
from tests.sheets.messy import Messy, number_cell, valid_id, write_csv, write_xls, write_xlsx

PID = valid_id(11)
SMALL = Messy(
    ["姓名", "身份证号", "出生日期"], [["王䶮", PID, date(1960, 3, 8)], ["马文", number_cell(valid_id(13)), None]]
)


def refusal(path, **kw) -> str:
    with pytest.raises(InvalidInput) as e:
        read_sheet(path, **kw)
    assert e.value.field == "file"
    assert path.name in e.value.message, "every refusal names the file"
    return e.value.message


# --- formats and cells -------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types(tmp_path):
    sheet = read_sheet(write_xlsx(tmp_path / "a.xlsx", SMALL))
    assert sheet.rows[1] == ["王䶮", PID, date(1960, 3, 8)]
    damaged = sheet.rows[2][1]
    assert isinstance(damaged, float), "an 18-digit number cell stays a float, so it shows as damaged"
    assert sheet.rows[2][2] is None
    assert (sheet.file_name, sheet.sheet, sheet.sheets) == ("a.xlsx", "花名册", ("花名册",))


def test_whole_numbers_are_ints(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "电话", "金额"])
    wb.active.append([1.0, 13912345678, 850.5])
    wb.save(tmp_path / "n.xlsx")
    assert read_sheet(tmp_path / "n.xlsx").rows[1] == [1, 13912345678, 850.5]


def test_sha256_is_of_the_file_bytes(tmp_path):
    path = write_xls(tmp_path / "a.xls", SMALL)
    assert read_sheet(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_renamed_xls_is_read_by_its_content(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", SMALL).rename(tmp_path / "a.xls")
    assert read_sheet(path).rows[1][0] == "王䶮"


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("gbk", False, ","),
        ("gb18030", False, ","),
        ("utf-8", False, ","),
        ("utf-8", True, ","),
        ("gbk", False, "\t"),
        ("utf-8", False, ";"),
    ],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, bom, delimiter):
    rows = Messy(["姓名", "身份证号", "村"], [["马文", PID, "东峡村"], ["杨花", None, "西沟村"]], title="名单")
    path = write_csv(tmp_path / "list.csv", rows, encoding=encoding, bom=bom, delimiter=delimiter)
    sheet = read_sheet(path)
    assert sheet.rows[1] == ["姓名", "身份证号", "村"]
    assert sheet.rows[2] == ["马文", PID, "东峡村"]
    assert sheet.rows[3] == ["杨花", None, "西沟村"]
    assert sheet.sheets == ("list",)


def test_gb18030_only_characters_are_read(tmp_path):
    path = tmp_path / "rare.csv"
    path.write_bytes("姓名,身份证号\n王䶮,1\n".encode("gb18030"))
    assert read_sheet(path).rows[1][0] == "王䶮"


# --- sheets ------------------------------------------------------------------------------------


def test_first_visible_non_empty_sheet_is_taken(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", SMALL, sheet="名单", hidden_first=True)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空表", 1)
    wb.move_sheet("名单", offset=1)
    wb.save(path)
    sheet = read_sheet(path)
    assert sheet.sheet == "名单"
    assert sheet.sheets == ("模板", "空表", "名单")


def test_named_sheet_and_unknown_sheet(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", SMALL, sheet="名单", hidden_first=True)
    assert read_sheet(path, sheet="模板").rows == [["隐藏的模板"]]
    message = refusal(path, sheet="五月")
    assert "五月" in message
    assert "“模板”、“名单”" in message


def test_merged_cells_are_filled_as_a_clerk_sees_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户主", "姓名"])
    ws.append(["马文", "马文"])
    ws.append([None, "杨花"])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "m.xlsx")
    assert read_sheet(tmp_path / "m.xlsx").rows[2] == ["马文", "杨花"]


# --- refusals ----------------------------------------------------------------------------------


def test_png_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert "不是表格文件" in refusal(path)


def test_web_page_saved_as_xls_is_refused_with_the_way_out(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><table><tr><td>姓名</td></tr></table></html>", encoding="utf-8")
    assert "另存为 .xlsx" in refusal(path)


def test_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x07" * 200)
    assert "已损坏" in refusal(path)


def _encrypted_looking_ole(tmp_path):
    """A real OLE container (an .xls written by xlwt) whose stream is renamed EncryptionInfo: the
    shape Excel and WPS give a password-protected .xlsx (MS-OFFCRYPTO)."""
    data = bytearray(write_xls(tmp_path / "src.xls", SMALL).read_bytes())
    old = "Workbook".encode("utf-16-le")
    at = data.index(old)
    new = "EncryptionInfo".encode("utf-16-le") + b"\x00\x00"
    data[at : at + len(new)] = new
    struct.pack_into("<H", data, at + 64, len(new))  # the directory entry's name length
    return bytes(data)


def test_password_protected_xlsx_is_refused(tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(_encrypted_looking_ole(tmp_path))
    assert "有密码保护" in refusal(path)


def test_password_protected_xls_is_refused(tmp_path, monkeypatch):
    # xlwt cannot write a FILEPASS record, so calamine's own refusal is stood in for.
    def locked(_file):
        raise python_calamine.PasswordError("Workbook is password protected")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", locked)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", locked)
    assert "有密码保护" in refusal(write_xls(tmp_path / "加密.xls", SMALL))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_empty_file_is_refused(tmp_path, kind):
    path = tmp_path / f"空.{kind}"
    if kind == "xlsx":
        openpyxl.Workbook().save(path)
    else:
        path.write_bytes(b"\xef\xbb\xbf , ,\r\n\r\n")
    assert "是空的" in refusal(path)


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "大.xlsx", SMALL)
    monkeypatch.setattr(reader, "MAX_BYTES", path.stat().st_size - 1)
    monkeypatch.setattr(type(path), "read_bytes", lambda _p: pytest.fail("read before the size check"))
    assert "超过" in refusal(path)


def test_undecodable_csv_is_refused(tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\xff\xfe\xff\x80\x81,\xff\n")
    assert "编码" in refusal(path)


def test_missing_file_is_refused(tmp_path):
    assert "找不到" in refusal(tmp_path / "没有.xlsx")


# --- sheets far larger than any list (review of issue 12) -----------------------------------------

_READ_IN_CHILD = """
import sys
from pathlib import Path
from app.errors import InvalidInput
from app.sheets.reader import read_sheet
try:
    read_sheet(Path(sys.argv[1]))
except InvalidInput as e:
    print(e)
    sys.exit(2)
"""


def test_a_few_cells_spanning_a_vast_grid_are_refused_not_an_abort(tmp_path):
    # 5 KB: one cell at XFD2 and one at A200000 made calamine ask for 104 GB and abort the process.
    # The read runs in a child process so that, were the guard gone, the abort would not kill pytest.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "姓名", "身份证号"
    ws["XFD2"], ws["A200000"] = "x", "y"
    path = tmp_path / "远处有字.xlsx"
    wb.save(path)
    done = subprocess.run(
        [sys.executable, "-c", _READ_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 2, done.stderr[-500:]
    sentence = done.stdout.strip()
    assert sentence.count("。") == 1 and "远处有字.xlsx" in sentence
    assert "200,000 行" in sentence and "16,384 列" in sentence


def test_extent_counts_valued_cells_not_styled_blanks(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C3"] = "姓名", "马文"
    ws["ZZ3"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")  # a styled blank far right
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        part = extent.sheet_parts(zf)[ws.title]
        assert extent.extent(zf, part) == (3, 0)  # no valued column past the cap
    assert read_sheet(path).rows[2][2] == "马文"


def test_too_wide_sheet_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(extent, "MAX_COLUMNS", 3)
    path = write_xlsx(tmp_path / "宽.xlsx", Messy(["姓名", "a", "b", "c", "d"], [["马文", 1, 2, 3, 4]]))
    assert "列" in refusal(path)


def test_a_csv_line_too_long_is_named(tmp_path):
    path = tmp_path / "长行.csv"
    path.write_text("姓名,身份证号\n马文,1\n杨花," + "x" * 10_000_000 + "\n", encoding="utf-8")
    sentence = refusal(path)
    assert "第 3 行过长" in sentence and "损坏" not in sentence


def test_extent_finds_a_far_row_wherever_it_is_written_and_passes_styled_blanks(tmp_path):
    # Only rows past 99,999 and cells past column GR are looked at closely: one written before the
    # others still counts, and a self-closing one (a styled blank, which calamine skips) does not.
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="1200000"><c r="A1200000"><v>2</v></c></row>'
        b'<row r="3"><c r="B3"><v>3</v></c><c r="HZ3" s="2"/></row>'
        b'<row r="5000000" s="1"/></sheetData></worksheet>'
    )
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as zf:
        assert extent.extent(zf, "xl/worksheets/sheet1.xml") == (1_200_000, 2)
    assert extent.too_large(1_200_000, 2)


def test_parsing_is_told_before_a_workbook_sheet_is_parsed_and_never_for_a_refused_one(tmp_path):
    # The comparison starts its register's refresh there, to overlap calamine's parse: it must come
    # after the size check (a refused bomb never starts it) and never for a CSV.
    told: list[str] = []
    read_sheet(write_xlsx(tmp_path / "a.xlsx", SMALL), parsing=lambda: told.append("xlsx"))
    read_sheet(write_csv(tmp_path / "a.csv", SMALL, encoding="utf-8"), parsing=lambda: told.append("csv"))
    assert told == ["xlsx"]
    wide = write_xlsx(tmp_path / "宽.xlsx", Messy(["姓名", *(f"列{n}" for n in range(extent.MAX_COLUMNS))], [["马文"]]))
    refusal(wide, parsing=lambda: told.append("too wide"))
    assert told == ["xlsx"]
