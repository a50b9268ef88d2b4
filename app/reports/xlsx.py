"""Any report :class:`~app.domain.report.Document` as an Excel workbook that prints like its PDF.

A clerk sends the 发放花名册 to the bank as a spreadsheet and prints the same file from WPS, so
the workbook carries its own print setup (A4, the document's orientation, fit to width, the
header row on every page, 第 n 页 共 m 页) and keeps what Excel would otherwise damage: ID
numbers and accounts are text cells with the text format (as numbers Excel keeps 15 digits
and shows 6.40424E+17), money is an exact decimal of 元 computed from integer fen.

openpyxl's write-only mode streams rows, so a county's 12,000-line roster never becomes
12,000 rows of cell objects. Write-only mode normally streams the sheet through a temporary
file; here it streams into memory instead (:class:`_MemorySheetWriter`), because a temporary
file would be a plaintext copy of the register outside the encrypted database. To stay
within 1.2x of bare openpyxl, each column has one reusable styled cell that every row
refills (write-only mode writes a row before ``append`` returns), instead of a styled cell
object per value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.writer.excel import ExcelWriter

from ..domain.report import (
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

__all__ = ["sheet_title", "xlsx_bytes"]

PROGRESS_EVERY = 500
PAPER_A4 = 9  # ECMA-376 paperSize code
FONT_NAME = "宋体"  # what WPS and Excel in China use; elsewhere the reader substitutes
# Width of an A4 page's printable area in Excel's character units (default font), before
# fit-to-width shrinks the sheet: the columns share this like the PDF shares the page.
PAGE_CHARS = {Orientation.PORTRAIT: 90, Orientation.LANDSCAPE: 135}
# A column must at least hold its typical value: 18 digits of an ID number (or a 19-digit
# account) on one line, 1234567.89, 2026-11-30.
MIN_CHARS = {Kind.ID: 21.0, Kind.MONEY: 11.0, Kind.DATE: 11.0, Kind.INT: 6.0, Kind.FLAG: 5.0, Kind.TEXT: 6.0}
MAX_CHARS = 60.0
# Header rows higher than this are not frozen: on a 768-pixel screen nothing would scroll.
MAX_FROZEN_ROW = 12
LINE_POINTS = 15.0  # one line of 11-point text
FOOTER_CHARS = 200  # Excel refuses a header or footer over 255 characters, codes included

# OWASP's formula triggers: text starting with one of these is a formula when typed into a cell.
_FORMULA_START = frozenset("=+-@")
_FORMULA_START_TEXT = ("=", "+", "-", "@")  # for a tuple lookup of a cell's first character
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:\.\d+)?%?")
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def xlsx_bytes(doc: Document, progress: Any = None) -> bytes:
    """*doc* as the bytes of an ``.xlsx`` file; ``progress.update`` hears every ~500 table rows."""
    sheet = _Sheet(doc, progress)
    try:
        return sheet.render()
    except BaseException:
        sheet.discard()
        raise


def sheet_title(text: str, fallback: str = "报表") -> str:
    """*text* as a legal worksheet name: no []:*?/\\, no leading or trailing apostrophe, ≤ 31 characters."""
    title = _ILLEGAL.sub("", _FORBIDDEN.sub("_", text)).strip().strip("'").strip()[:31].strip().strip("'")
    return title or fallback


def formula_like(text: str) -> bool:
    """Whether *text* would be taken for a formula if typed into a cell ("=HYPERLINK(…)", "@SUM(…)",
    "-cmd|…"); a signed number ("-5", "+0.50") is not."""
    return bool(text) and text[0] in _FORMULA_START and not _SIGNED_NUMBER.fullmatch(text)


def _as_text_cell(cell: Cell) -> Cell:
    """A string stays text: never a formula (openpyxl makes one of any "=…"), and quote-prefixed when it
    looks like one, so that Excel or WPS does not turn it into one when the cell is edited or re-saved."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if formula_like(cell.value):
            cell.quotePrefix = True
    return cell


def display_width(text: str) -> int:
    """Character units *text* needs in a cell: a Chinese character is as wide as two digits."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Sink(BytesIO):
    # Seen as readable, the text layer over it resets a decoder on every one of the
    # million small writes of a roster: a fifth of the render time.
    def readable(self) -> bool:
        return False


class _MemorySheetWriter(WorksheetWriter):
    """Streams the sheet's XML into memory rather than into a temporary file on disk."""

    def __init__(self, ws: Any) -> None:
        super().__init__(ws, out=_Sink())

    def cleanup(self) -> None:
        pass


class _MemoryExcelWriter(ExcelWriter):
    """openpyxl's writer, taking each streamed sheet from memory (it expects a file name)."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        writer.close()
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


class _StyledCell(Cell):
    """A column's reusable cell: its style is set once, so its style id is looked up once
    rather than hashed again for each of the roster's 150,000 values."""

    __slots__ = ("_style_id",)
    has_style = True

    def fix_style(self) -> _StyledCell:
        self._style_id = Cell.style_id.fget(self)
        return self

    @property
    def style_id(self) -> int:
        return self._style_id


def _placed(cells: Sequence[WriteOnlyCell | None], row: int) -> Iterator[WriteOnlyCell]:
    for column, cell in enumerate(cells, 1):
        if cell is not None:
            cell.row = row
            cell.column = column
            yield cell


def _fen_to_yuan(value: Any) -> Decimal | None:
    # Decimal, not float: 0.1 + 0.2 must not appear in a bank's file.
    return None if value is None else Decimal(int(value)).scaleb(-2)


def _as_int(value: Any) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _as_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if type(value) is str else str(value)


def _as_flag(value: Any) -> str | None:
    return "是" if value else None


_CONVERT: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _as_text,
    Kind.ID: _as_text,
    Kind.MONEY: _fen_to_yuan,
    Kind.INT: _as_int,
    Kind.DATE: _as_date,
    Kind.FLAG: _as_flag,
}
# Values that are already what the cell takes (the common case, skipped without a call).
_AS_IS: dict[Kind, frozenset[type]] = {
    Kind.TEXT: frozenset({str, type(None)}),
    Kind.ID: frozenset({str, type(None)}),
    Kind.DATE: frozenset({str, type(None)}),
    Kind.INT: frozenset({int, type(None)}),
    Kind.MONEY: frozenset({type(None)}),
    Kind.FLAG: frozenset({type(None)}),
}
_FORMAT = {Kind.TEXT: "@", Kind.ID: "@", Kind.MONEY: "0.00", Kind.INT: "0", Kind.DATE: "@", Kind.FLAG: "@"}
_ALIGN = {
    Kind.TEXT: Alignment(horizontal="left", vertical="center", wrap_text=True),
    Kind.ID: Alignment(horizontal="left", vertical="center"),
    Kind.MONEY: Alignment(horizontal="right", vertical="center"),
    Kind.INT: Alignment(horizontal="right", vertical="center"),
    Kind.DATE: Alignment(horizontal="center", vertical="center"),
    Kind.FLAG: Alignment(horizontal="center", vertical="center"),
}


class _Sheet:
    """One document laid out on one worksheet; rows are numbered as they are appended."""

    def __init__(self, doc: Document, progress: Any) -> None:
        self.doc = doc
        self.progress = progress
        self.scale = doc.font_scale or 1.0
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet(sheet_title(doc.title, sheet_title(doc.name)))
        self.tables = list(doc.tables())
        self.ncols = max(
            [len(t.columns) for t in self.tables]
            + [2 * max(1, b.per_row) for b in doc.blocks if isinstance(b, Fields)]
            + [1]
        )
        self.row = 0  # the last row written
        self.done = 0
        self.total = sum(len(t.rows) for t in self.tables)
        self.body_font = self._font()
        self.bold_font = self._font(bold=True)

    def discard(self) -> None:
        """Finish the row stream after a cancel, so nothing is left half-written in memory."""
        with contextlib.suppress(Exception):  # best effort on the way out
            if not self.ws.closed:
                self.ws.close()

    def _font(self, size: float = 11.0, bold: bool = False) -> Font:
        return Font(name=FONT_NAME, size=round(size * self.scale, 1), bold=bold)

    # -- layout decided before the first row (write-only mode writes the sheet's top first)

    def _widths(self) -> list[float]:
        page = PAGE_CHARS.get(self.doc.orientation, PAGE_CHARS[Orientation.PORTRAIT])
        widths = [0.0] * self.ncols
        for table in self.tables:
            share = sum(c.width for c in table.columns) or 1.0
            for i, col in enumerate(table.columns):
                need = max(
                    page * col.width / share,
                    MIN_CHARS[col.kind] * self.scale,
                    # a heading wraps onto two lines at most
                    display_width(col.title) * self.scale / 2 + 2,
                )
                widths[i] = max(widths[i], min(need, MAX_CHARS))
        even = page / self.ncols
        return [round(w or even, 1) for w in widths]

    def _header_row(self) -> int | None:
        """Where the first table's header lands, counting the rows the blocks before it take."""
        row = 1 + (1 if self.doc.subtitle else 0)
        for block in self.doc.blocks:
            if isinstance(block, Table):
                return row + (2 if block.caption else 1)
            row += self._rows_of(block)
        return None

    def _rows_of(self, block: Any) -> int:
        if isinstance(block, Fields):
            per_row = max(1, block.per_row)
            return (1 if block.caption else 0) + math.ceil(len(block.items) / per_row)
        if isinstance(block, BlankLines):
            return 1 + block.count
        if isinstance(block, (Paragraph, Signatures)):
            return 1
        return 0

    def _setup(self) -> None:
        ws = self.ws
        widths = self._widths()
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        self.widths = widths
        header = self._header_row()
        # The header is repeated and frozen only when every table is the same list (a roster);
        # a file of several tables (一户一档) would show the wrong heading over the others.
        one_list = len({tuple(c.title for c in t.columns) for t in self.tables}) == 1
        if header is not None and one_list:
            if header <= MAX_FROZEN_ROW:
                ws.freeze_panes = f"A{header + 1}"
            ws.print_title_rows = f"{header}:{header}"
        setup = ws.page_setup
        setup.orientation = "landscape" if self.doc.orientation == Orientation.LANDSCAPE else "portrait"
        setup.paperSize = PAPER_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        margins = ws.page_margins
        margins.left = margins.right = 0.4
        margins.top, margins.bottom, margins.footer = 0.6, 0.7, 0.3
        footer = ws.oddFooter
        footer.center.text = "第 &P 页 共 &N 页"
        if self.doc.footer:
            # "&" starts a code in a page footer; the whole footer is limited to 255 characters.
            text = self.doc.footer[:FOOTER_CHARS]
            while len(text.replace("&", "&&")) > FOOTER_CHARS:
                text = text[:-1]
            footer.left.text = text.replace("&", "&&")
        ws._writer = _MemorySheetWriter(ws)
        ws._writer.write_top()
        # Every row this class appends is a list of ready cells (or None for nothing): they
        # go to the writer as they are, rather than each being tried as a value first.
        ws._values_to_row = _placed

    # -- rows

    def _cell(self, value: Any = None, font: Font | None = None, **style: Any) -> WriteOnlyCell:
        """Every cell outside a table's rows (title, headings, fields, paragraphs, signatures): a
        string in it is text, never a formula, whoever wrote it (the register, an override file)."""
        cell = WriteOnlyCell(self.ws, value=self._clean(value))
        cell.font = font or self.body_font
        for name, v in style.items():
            setattr(cell, name, v)
        return _as_text_cell(cell)

    @staticmethod
    def _clean(value: Any) -> Any:
        if isinstance(value, str):
            return _ILLEGAL.sub("", value)
        return value

    def _append(self, cells: Sequence[Any], height: float | None = None) -> int:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = round(height, 1)
        self.ws.append(list(cells))
        return self.row

    def _merged(self, cell: WriteOnlyCell, height: float | None = None, filler: Border | None = None) -> None:
        """One cell spanning every column (title, paragraph, signature line)."""
        cells = [cell]
        if self.ncols > 1:
            cells += [self._cell(border=filler) if filler else None for _ in range(self.ncols - 1)]
        row = self._append(cells, height)
        if self.ncols > 1:
            self.ws.merged_cells.add(f"A{row}:{get_column_letter(self.ncols)}{row}")

    def _wrapped(self, text: str, width: float) -> int:
        """Lines *text* takes in a cell *width* characters wide (11-point text, scaled)."""
        room = max(1.0, width - 1) / self.scale
        return sum(math.ceil(max(1, display_width(part)) / room) for part in text.split("\n"))

    def _lines(self, text: str, size: float) -> int:
        chars = sum(self.widths) * 11.0 / (size * self.scale)
        return max(1, sum(math.ceil(max(1, display_width(part)) / chars) for part in text.split("\n")))

    def render(self) -> bytes:
        self._setup()
        doc = self.doc
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self._merged(
            self._cell(doc.title, self._font(16, bold=True), alignment=center),
            LINE_POINTS * 1.6 * self.scale * self._lines(doc.title, 16),
        )
        if doc.subtitle:
            self._merged(
                self._cell(doc.subtitle, alignment=center), LINE_POINTS * self.scale * self._lines(doc.subtitle, 11)
            )
        for block in doc.blocks:
            if isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Fields):
                self._fields(block)
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, BlankLines):
                self._blank_lines(block)
            elif isinstance(block, Signatures):
                self._signatures(block)
            elif isinstance(block, PageBreak) and self.row:
                self.ws.row_breaks.append(Break(id=self.row))
        if self.progress is not None and self.total:
            self.progress.update(self.total, self.total, "正在写入 Excel")
        self.wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        out = BytesIO()
        with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            _MemoryExcelWriter(self.wb, archive).save()
        return out.getvalue()

    def _table(self, table: Table) -> None:
        columns = table.columns
        if table.caption:
            self._append([self._cell(table.caption, self.bold_font)])
        head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths = self.widths[: len(columns)]
        lines = max([self._wrapped(c.title, w) for c, w in zip(columns, widths, strict=True)] + [1])
        self._append(
            [
                self._cell(c.title, self.bold_font, border=_BOX, fill=_HEADER_FILL, alignment=head_align)
                for c in columns
            ],
            LINE_POINTS * self.scale * min(lines, 3) + 4,
        )
        self._rows(columns, table.rows)
        if table.grand_total and any(c.total for c in columns):
            self._total_row(table)

    def _prototypes(self, columns: Sequence[Column], font: Font, quoted: bool = False) -> list[_StyledCell]:
        out = []
        for c in columns:
            cell = _StyledCell(self.ws)
            cell.font, cell.border, cell.alignment = font, _BOX, _ALIGN[c.kind]
            cell.number_format = _FORMAT[c.kind]
            cell.quotePrefix = quoted
            out.append(cell.fix_style())
        return out

    def _quoted(self, cells: list[_StyledCell], quoted: list[_StyledCell]) -> list[_StyledCell]:
        """The row with each formula-like string moved to its column's quote-prefixed cell."""
        out = list(cells)
        for i, cell in enumerate(cells):
            if cell.data_type == "s" and formula_like(cell.value):
                quoted[i].value = cell.value
                quoted[i].data_type = "s"
                out[i] = quoted[i]
        return out

    def _rows(self, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
        cells = self._prototypes(columns, self.body_font)
        quoted = self._prototypes(columns, self.body_font, quoted=True)
        converts = [_CONVERT[c.kind] for c in columns]
        as_is = [_AS_IS[c.kind] for c in columns]
        append = self.ws.append
        for values in rows:
            formula = False
            for cell, keep, convert, value in zip(cells, as_is, converts, values, strict=True):
                try:
                    cell.value = value if value.__class__ in keep else convert(value)
                except IllegalCharacterError:
                    cell.value = _ILLEGAL.sub("", convert(value))
                v = cell.value
                if v.__class__ is str and v[:1] in _FORMULA_START_TEXT:
                    cell.data_type = "s"  # a name starting with "=" is text, not a formula
                    formula = True
            self.row += 1
            # A row with a formula-like value gets its quote prefixes here, out of the common path.
            append(self._quoted(cells, quoted) if formula else cells)
            self.done += 1
            if self.progress is not None and self.done % PROGRESS_EVERY == 0:
                self.progress.update(self.done, self.total, "正在写入 Excel")

    def _total_row(self, table: Table) -> None:
        sums = table.totals()  # integer fen and counts: never a sum of floats
        cells = self._prototypes(table.columns, self.bold_font)
        label_at = next((i for i, c in enumerate(table.columns) if not c.total), None)
        for i, (cell, col) in enumerate(zip(cells, table.columns, strict=True)):
            if col.total:
                cell.value = _fen_to_yuan(sums[col.key]) if col.kind == Kind.MONEY else sums[col.key]
            elif i == label_at:
                cell.value = table.total_label
                _as_text_cell(cell)
        self._append(cells)

    def _fields(self, block: Fields) -> None:
        if block.caption:
            self._append([self._cell(block.caption, self.bold_font)])
        per_row = max(1, block.per_row)
        span = max(2, self.ncols // per_row)
        label_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        value_align = Alignment(horizontal="left", vertical="center", wrap_text=True)
        for start in range(0, len(block.items), per_row):
            cells: list[Any] = []
            merges = []
            lines = 1
            for label, value in block.items[start : start + per_row]:
                col = len(cells) + 1
                # Excel never grows a row to fit a merged cell: the height is set here.
                lines = max(
                    lines,
                    self._wrapped(label, self.widths[col - 1]),
                    self._wrapped(_as_text(value) or "", sum(self.widths[col : col + span - 1])),
                )
                cells.append(self._cell(label, self.bold_font, border=_BOX, fill=_HEADER_FILL, alignment=label_align))
                cells.append(self._cell(_as_text(value), border=_BOX, alignment=value_align, number_format="@"))
                filler = [self._cell(border=_BOX) for _ in range(span - 2)]
                cells += filler
                if filler:
                    merges.append(f"{get_column_letter(col + 1)}{{r}}:{get_column_letter(col + span - 1)}{{r}}")
            row = self._append(cells, LINE_POINTS * self.scale * lines + 4 if lines > 1 else None)
            for merge in merges:
                self.ws.merged_cells.add(merge.format(r=row))

    def _paragraph(self, block: Paragraph) -> None:
        size = {"heading": 12.0, "note": 9.0}.get(block.style, 11.0)
        font = self._font(size, bold=block.style == "heading")
        align = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self._merged(
            self._cell(block.text, font, alignment=align),
            LINE_POINTS * size / 11.0 * self.scale * self._lines(block.text, size) + 2,
        )

    def _blank_lines(self, block: BlankLines) -> None:
        self._append([self._cell(block.label, self.bold_font)])
        for _ in range(block.count):
            self._merged(self._cell(border=_UNDERLINE), 24 * self.scale, filler=_UNDERLINE)

    def _signatures(self, block: Signatures) -> None:
        text = "　　".join(f"{label}：__________" for label in block.labels)
        if block.dated:
            text += "　　日期：______年____月____日"
        align = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
        self._merged(self._cell(text, alignment=align), 30 * self.scale * self._lines(text, 11))
