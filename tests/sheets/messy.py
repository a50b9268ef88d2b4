"""Messy department lists and ledgers, written the way WPS and department systems write them (issue 12).

Other tests import this to make their fixtures: describe the sheet with ``Messy`` (header, rows and
the mess wanted), then write it with ``write_xlsx`` / ``write_xls`` / ``write_csv`` into tmp_path.
``Messy.expected()`` says where the header is and which spreadsheet rows are data, so a test can
assert ``row`` / ``sheet_row`` without counting by hand. Cell helpers make the ID-number messes.

Example::

    m = Messy(["序号", "姓名", "身份证号码"], [[1, "马小明", number_cell(pid)]], title="花名册",
              unit="填报单位：香水镇（盖章）", total=True, signatures=True)
    path = write_xls(tmp_path / "list.xls", m)
    assert m.expected().data_sheet_rows == [4]

Synthetic only: build IDs with app.domain.idnumber.make and names from app.demo.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
import xlwt

from app.domain import idnumber
from app.domain.sheet_layout import Cell

# Each ASCII character's full-width form sits 0xFEE0 above it.
FULL_WIDTH_DIGITS = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789X"})
TOTAL_LABEL = "合计"
SIGNATURE_ROWS = (
    ("制表人：张会计", None, "审核人：李主任", None, "填表日期：2024年5月20日"),
    ("单位负责人：王镇长", None, None, "（盖章）", None),
)


# --- cell helpers: the ID-number messes --------------------------------------------------------


def number_cell(pid: str) -> float:
    """An ID typed into a number cell: what Excel keeps of it (a double, 15 significant digits).

    A number ending in X cannot be typed into a number cell: pick another."""
    if not pid.isdigit():
        raise ValueError(f"{pid} is not all digits, Excel would keep it as text")
    return float(f"{float(pid):.15g}")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH_DIGITS)


def lower_x(pid: str) -> str:
    return pid.replace("X", "x")


def spaced(pid: str) -> str:
    """Spaces as people type them: 6 + 8 + 4."""
    return f"{pid[:6]} {pid[6:14]} {pid[14:]}"


def legacy15(pid: str) -> str:
    """The first-generation 15-digit number of someone born in the 1900s (no century, no check digit)."""
    assert pid[6:8] == "19", "only people born in the 1900s had 15-digit numbers"
    return pid[:6] + pid[8:17]


def disability_cert(pid: str, kind: int = 4, grade: int = 2) -> str:
    """A 残疾人证号: the ID number, then the disability type and grade digits."""
    return f"{pid}{kind}{grade}"


def valid_id(sequence: int, born: date = date(1960, 3, 8), region: str = "642225") -> str:
    return idnumber.make(region, born, sequence)


# --- the sheet ---------------------------------------------------------------------------------


@dataclass
class Expected:
    header_rows: tuple[int, ...]  # 0-based, as Layout.header_rows
    data_sheet_rows: list[int]  # 1-based spreadsheet row of each data row, in order


@dataclass
class Messy:
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    title: str | Sequence[str] | None = None  # merged title rows above everything (one or several)
    unit: str | None = None  # e.g. "填报单位：香水镇人民政府（盖章）", merged, under the title
    # A two-row header: (label, first column, last column) groups merged over the header texts of
    # those columns; the other columns' texts are merged down over both rows.
    groups: Sequence[tuple[str, int, int]] = ()
    total: bool = False  # a 合计 row (with a sum in the last numeric column) after the data
    subtotal_after: Sequence[int] = ()  # a 小计 row after these data rows (0-based)
    signatures: bool = False  # 制表人 / 审核人 / 负责人（盖章） rows at the bottom
    blank_after: Sequence[int] = ()  # a blank row after these data rows (0-based)
    extra: list[list[Cell]] = field(default_factory=list)  # rows appended at the very bottom, as given

    @property
    def width(self) -> int:
        return max([len(self.header), *(len(r) for r in self.rows)])

    def _layout(self) -> tuple[list[list[Cell]], list[tuple[int, int, int, int]], Expected, list[list[Cell]]]:
        """(grid as a merged-aware writer sees it, merges (r1, c1, r2, c2) 0-based inclusive, the
        expected answer, grid as a CSV export writes it: merged values in the top-left cell only)."""
        w = self.width
        grid: list[list[Cell]] = []
        merges: list[tuple[int, int, int, int]] = []

        def pad(cells: Sequence[Cell]) -> list[Cell]:
            return list(cells) + [None] * (w - len(cells))

        titles = [self.title] if isinstance(self.title, str) else list(self.title or ())
        for title in titles:
            merges.append((len(grid), 0, len(grid), w - 1))
            grid.append(pad([title]))
        if self.unit is not None:
            merges.append((len(grid), 0, len(grid), w - 1))
            grid.append(pad([self.unit]))
        header_rows = self._header(grid, merges, pad)
        data_sheet_rows: list[int] = []
        for i, row in enumerate(self.rows):
            grid.append(pad(row))
            data_sheet_rows.append(len(grid))
            if i in self.subtotal_after:
                grid.append(pad([TOTAL_LABEL.replace("合", "小")]))
            if i in self.blank_after:
                grid.append([None] * w)
        if self.total:
            total_row: list[Cell] = [TOTAL_LABEL] + [None] * (w - 1)
            numeric = [c for c in range(1, w) if any(_is_amount(r[c] if c < len(r) else None) for r in self.rows)]
            if numeric:
                c = numeric[-1]
                total_row[c] = sum(r[c] for r in self.rows if c < len(r) and _is_amount(r[c]))  # type: ignore[misc]
            merges.append((len(grid), 0, len(grid), min(1, w - 1)))
            grid.append(total_row)
        if self.signatures:
            grid.append([None] * w)
            grid.extend(pad(list(sig)[:w]) for sig in SIGNATURE_ROWS)
        grid.extend(pad(row) for row in self.extra)
        flat = [list(r) for r in grid]
        for r1, c1, r2, c2 in merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        flat[r][c] = None
        return grid, merges, Expected(header_rows, data_sheet_rows), flat

    def _header(self, grid: list[list[Cell]], merges: list[tuple[int, int, int, int]], pad) -> tuple[int, ...]:
        if not self.groups:
            grid.append(pad(list(self.header)))
            return (len(grid) - 1,)
        upper = pad(list(self.header))
        lower: list[Cell] = [None] * self.width
        grouped: set[int] = set()
        for label, first, last in self.groups:
            merges.append((len(grid), first, len(grid), last))
            for c in range(first, last + 1):
                upper[c] = label if c == first else None
                lower[c] = self.header[c]
                grouped.add(c)
        merges.extend((len(grid), c, len(grid) + 1, c) for c in range(len(self.header)) if c not in grouped)
        grid.extend([upper, lower])
        return (len(grid) - 2, len(grid) - 1)

    def grid(self) -> list[list[Cell]]:
        """The cells as app.sheets.reader returns them from .xlsx/.xls: merged cells filled."""
        grid, merges, _, _ = self._layout()
        filled = [list(r) for r in grid]
        for r1, c1, r2, c2 in merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    filled[r][c] = grid[r1][c1]
        return filled

    def flat_grid(self) -> list[list[Cell]]:
        """The cells as a CSV export holds them: a merged value only in its top-left cell."""
        return self._layout()[3]

    def expected(self) -> Expected:
        return self._layout()[2]


def _is_amount(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e9


# --- writers -----------------------------------------------------------------------------------


def write_xlsx(path: Path, messy: Messy, sheet: str = "花名册", hidden_first: bool = False) -> Path:
    """An .xlsx as openpyxl writes it (WPS writes the same structure). *hidden_first* puts a hidden,
    non-empty sheet before the data, as a department system's template sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden_first:
        ws.title = "模板"
        ws["A1"] = "隐藏的模板"
        ws.sheet_state = "hidden"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    _, merges, _, flat = messy._layout()
    for r, row in enumerate(flat, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for r1, c1, r2, c2 in merges:
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    wb.save(path)
    return path


def write_xls(path: Path, messy: Messy, sheet: str = "花名册") -> Path:
    """A real old-format .xls (BIFF8, written by xlwt)."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    grid, merges, _, flat = messy._layout()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    in_merge: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        if (r1, c1) != (r2, c2):
            ws.write_merge(r1, r2, c1, c2, grid[r1][c1])
            in_merge.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    for r, row in enumerate(flat):
        for c, value in enumerate(row):
            if value is None or (r, c) in in_merge:
                continue
            if isinstance(value, date | datetime):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def write_csv(path: Path, messy: Messy, encoding: str = "gbk", delimiter: str = ",", bom: bool = False) -> Path:
    """A CSV as Excel or a department system exports it: GBK by default, merged values in the
    top-left cell only, number cells as Excel shows them (6.42225E+17)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in messy.flat_grid():
        writer.writerow(["" if v is None else _as_shown(v) for v in row])
    data = out.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _as_shown(value: Cell) -> str:
    if isinstance(value, float) and abs(value) >= 1e11:  # Excel's General format
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value)
