"""政策测算 as an Excel workbook: one row per township and programme, and the county's total.

Only counts and amounts: no name or ID number is in it, so it can go to the finance bureau as it is.
Written under a temporary name and renamed, like every workbook Doudi writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..domain.policy.what_if import WhatIf

HEADERS = (
    "乡镇",
    "项目",
    "测算前户数",
    "测算后户数",
    "测算前人数",
    "测算后人数",
    "新纳入户数",
    "新纳入人数",
    "退出户数",
    "退出人数",
    "类别变化户数",
    "测算前月支出（元）",
    "测算后月支出（元）",
    "月支出变化（元）",
    "年支出变化（元）",
)
WIDTHS = (16, 8, 10, 10, 10, 10, 10, 10, 9, 9, 12, 16, 16, 14, 14)


def write_what_if(path: Path | str, result: WhatIf, township_names: Mapping[str, str], proposal_text: str) -> Path:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    wb = Workbook()
    ws = wb.active
    ws.title = "政策测算"
    ws.append([f"政策测算（{result.month} 起）：{proposal_text}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"测算户数 {result.households}；以现行政策与拟调整政策分别测算同一批家庭，未写入任何数据。"])
    ws.append(list(HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    rows = [(township_names.get(e.township, e.township), e) for e in result.townships]
    rows += [("合计", e) for e in result.totals()]
    for name, e in rows:
        ws.append(
            [
                name,
                e.programme,
                e.households_before,
                e.households_after,
                e.persons_before,
                e.persons_after,
                e.entering_households,
                e.entering_persons,
                e.leaving_households,
                e.leaving_persons,
                e.class_changed,
                _yuan(e.monthly_before_fen),
                _yuan(e.monthly_after_fen),
                _yuan(e.monthly_change_fen),
                _yuan(e.yearly_change_fen),
            ]
        )
        if name == "合计":
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "C4"
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _yuan(fen: int) -> float:
    """A number Excel can add up (yuan with two decimals); the text form is for screens."""
    return round(fen / 100, 2)
