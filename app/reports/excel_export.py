"""The register list as an Excel file (openpyxl write-only mode; docs/architecture.md §8).

ID numbers are written as text cells with the text number format, never as numbers
(Excel would turn 18 digits into 6.40424E+17 and lose the last three). The file is
written under a temporary name beside the target and renamed at the end, so a crash or
a cancel never leaves a half-written workbook under the real name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ..domain.entities import RISK_NAMES

# The standard roster's own column names (docs/domain.md §7.1); the workbook is a Chinese form.
HEADERS = ("序号", "村", "户主", "户主身份证号", "人数", "类别", "风险", "最近核查")
WIDTHS = (7, 16, 10, 22, 6, 22, 6, 12)
SHEET = "户档案"


def export_households(path, rows_iter: Iterable, progress: Callable[[int], None] | None = None) -> Path:
    """Write households (objects with the fields of ``HouseholdRow``) to ``path``; return it.

    ``progress(done)`` is called every 200 rows; if it raises (e.g. the user cancelled),
    nothing is left behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    done = 0
    try:
        for done, row in enumerate(rows_iter, start=1):
            id_cell = WriteOnlyCell(ws, value=str(row.head_id_number or ""))
            id_cell.number_format = "@"
            ws.append(
                [
                    done,
                    row.village,
                    row.head_name,
                    id_cell,
                    row.size,
                    "、".join(row.categories),
                    RISK_NAMES.get(row.risk_level, str(row.risk_level)),
                    row.last_visit or "",
                ]
            )
            if progress is not None and done % 200 == 0:
                progress(done)
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        _discard(ws)
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(done)
    return path


def _discard(ws) -> None:
    """Finish the write-only sheet's row stream and delete its scratch file (after a cancel)."""
    with contextlib.suppress(Exception):  # best effort on the way out
        ws.close()
    out = getattr(getattr(ws, "_writer", None), "out", None)
    if isinstance(out, str):
        Path(out).unlink(missing_ok=True)
