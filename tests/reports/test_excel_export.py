"""The household Excel export: ID numbers stay text (Excel would round them) and a cancelled export leaves no file."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from app.reports.excel_export import HEADERS, export_households


def _row(i):
    return SimpleNamespace(
        village="大庄村",
        head_name=f"马{i}",
        head_id_number=f"64042419800101{i:03d}X"[:18],
        size=3,
        categories=["低保", "监测户"],
        risk_level=2,
        last_visit="2026-11-03",
    )


def test_id_numbers_are_text_and_headers_chinese(tmp_path):
    out = export_households(tmp_path / "a.xlsx", (_row(i) for i in range(450)))
    assert out == tmp_path / "a.xlsx"
    wb = load_workbook(out)
    ws = wb.active
    assert tuple(c.value for c in ws[1]) == HEADERS
    cell = ws.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.number_format == "@"
    assert cell.value == "640424198001010000"[:15] + "000"[:3] or isinstance(cell.value, str)
    assert ws.cell(row=2, column=6).value == "低保、监测户"
    assert ws.cell(row=2, column=7).value == "中"
    assert ws.max_row == 451
    assert ws.column_dimensions["D"].width >= 20
    assert not list(Path(tmp_path).glob(".*part"))


def test_cancel_leaves_nothing(tmp_path):
    class Stop(Exception):
        pass

    def progress(done):
        if done >= 200:
            raise Stop

    with pytest.raises(Stop):
        export_households(tmp_path / "b.xlsx", (_row(i) for i in range(1000)), progress=progress)
    assert list(tmp_path.iterdir()) == []
