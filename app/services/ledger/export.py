"""The rows a ledger import left out, as a workbook to fix and import again.

Each row is written as the ledger had it, with its reason in a last column. Mapped columns get
the register's own header (身份证号码, 与户主关系 …) so the fixed file is read without asking, a
title row keeps the programme the original's title gave, and ID numbers, accounts and phone
numbers are text cells: typed back as numbers they would lose their last digits again. For a role
that may not see full ID numbers (the administrator) they are masked, and the title row says so.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ...domain.idnumber import mask
from ...domain.sheet_layout import Cell
from ...errors import InvalidInput

REASON_HEADER = "未导入原因"
LOST_DIGITS = 10**15  # a number cell this large has lost digits
ID_FIELDS = frozenset({"id_number", "head_id_number", "disability_cert"})
MASKED_NOTE = "身份证号已隐去中间几位（本账号不能查看完整身份证号），请由经办人按原台账补全后再导入"
TEXT_FIELDS = frozenset({"id_number", "head_id_number", "account", "phone", "household_no", "disability_cert"})
HEADERS = {
    "id_number": "身份证号码",
    "name": "姓名",
    "relation": "与户主关系",
    "head_name": "户主姓名",
    "head_id_number": "户主身份证号码",
    "village": "行政村",
    "group": "村民小组",
    "address": "家庭住址",
    "phone": "联系电话",
    "household_no": "户编号",
    "class": "保障类别",
    "amount": "月保障金",
    "bank": "开户银行",
    "account": "银行账号",
    "disability_cert": "残疾证号",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "programme": "救助项目",
    "start_date": "纳入时间",
    "ethnicity": "民族",
    "health": "健康状况",
    "labour_ability": "劳动能力",
    "note": "备注",
}


@dataclass
class Rejected:
    """What the export needs: the ledger's columns and, per refused row, its cells and reason."""

    headers: tuple[str, ...] = ()
    columns: dict[str, int] = field(default_factory=dict)  # field → column
    programme: str = ""
    rows: list[tuple[list[Cell], str]] = field(default_factory=list)


def shown(cell: Cell) -> str | int | float | date | None:
    """A cell as written back: a number that held an ID stays visible the way Excel showed it."""
    if isinstance(cell, float) and abs(cell) >= 1e11:  # noqa: PLR2004 - Excel's switch to 1.23E+17
        return f"{cell:.5E}"
    if isinstance(cell, bool):
        return "是" if cell else "否"
    return cell


def write(rejected: Rejected, path: Path, *, mask_ids: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path.name}：未导入的行只能保存为 .xlsx 文件。", field="out")
    by_column = {c: fld for fld, c in rejected.columns.items()}
    width = max([len(rejected.headers), *(len(cells) for cells, _ in rejected.rows)], default=0)
    book = Workbook()
    sheet = book.active
    sheet.title = "未导入的行"
    title = f"{rejected.programme}台账中未导入的行（改正后可再次导入）"
    sheet.append([f"{title}；{MASKED_NOTE}。" if mask_ids else title])
    sheet.append(
        [
            HEADERS.get(by_column.get(c, ""), rejected.headers[c] if c < len(rejected.headers) else "")
            for c in range(width)
        ]
        + [REASON_HEADER]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for cells, reason in rejected.rows:
        padded = [*cells, *([None] * (width - len(cells)))]
        sheet.append([_value(v) for v in padded] + [reason])
        for c, fld in by_column.items():
            target = sheet.cell(row=sheet.max_row, column=c + 1)
            if fld in TEXT_FIELDS:
                target.number_format = "@"
                target.value = _as_text(padded[c])
                if mask_ids and fld in ID_FIELDS and target.value:
                    target.value = mask(str(target.value))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".doudi-", suffix=".xlsx")
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def _as_text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float):
        if abs(cell) >= LOST_DIGITS:
            return f"{cell:.5E}"  # damaged: shown as Excel showed it, for the clerk to type again
        return str(int(cell)) if cell.is_integer() else str(cell)
    return str(cell)


def _value(cell: Cell) -> str | int | float | date | None:
    if isinstance(cell, datetime | date) or cell is None:
        return cell
    return shown(cell)
