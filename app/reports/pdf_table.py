"""A report table laid out page by page, so that each page can carry its own subtotal.

reportlab's ``Table`` splits itself over pages, but it cannot tell which rows land on which
page until it has drawn them, and re-measures every remaining row at each split (slow for a
5,000-row roster). Here the rows are measured once, and :class:`PagedTable` (a flowable) takes
as many as fit the space left on the page: a ``Table`` of the header, those rows, a 本页小计 row
(the bank checks a payment roster page by page) and, after the last row, the 合计; the rest goes
on as a new ``PagedTable`` onto the next page. One header per page, never one in mid-page.

Rows of a table with page subtotals are one line each (a long name is set smaller, never
wrapped), so a page holds a known number of rows. Elsewhere a long text cell wraps with the
Chinese line-breaking rules of :mod:`.pdf_text`. ID numbers and accounts are never wrapped:
the cell's font shrinks until the number fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

from ..domain.report import Column, Kind, Table, cell_text, yuan
from .pdf_text import CJKParagraph, fit_size, longest_run

__all__ = ["PagedTable", "Progress", "TableLook", "prepare_table"]

_ALIGN = {
    Kind.TEXT: "LEFT",
    Kind.ID: "LEFT",
    Kind.MONEY: "RIGHT",
    Kind.INT: "RIGHT",
    Kind.DATE: "CENTER",
    Kind.FLAG: "CENTER",
}
HEADER_BG = colors.HexColor("#e6e6e6")
TOTAL_BG = colors.HexColor("#f2f2f2")
_FUZZ = 1e-3


@dataclass
class Progress:
    """Rows placed so far out of all the document's rows (for the op's progress bar)."""

    total: int = 0
    done: int = 0
    page: int = 0


@dataclass(frozen=True)
class TableLook:
    font: str
    mono: str
    size: float
    pad_x: float
    pad_y: float

    @property
    def leading(self) -> float:
        return self.size * 1.2

    @property
    def line_row(self) -> float:
        """Height of a one-line row."""
        return self.leading + 2 * self.pad_y


@dataclass
class _Prepared:
    block: Table
    look: TableLook
    widths: list[float]
    header: list[Any]
    header_h: float
    cells: list[list[Any]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    # (row, column, font size) of cells set smaller to fit on one line
    shrunk: list[tuple[int, int, float]] = field(default_factory=list)
    base_style: list[tuple[Any, ...]] = field(default_factory=list)


def _value_font(col: Column, look: TableLook) -> str:
    return look.mono if col.kind == Kind.ID else look.font


def prepare_table(block: Table, width: float, look: TableLook) -> _Prepared:
    """Measure every row of *block* once, for a table *width* points wide."""
    total_share = sum(c.width for c in block.columns) or 1.0
    widths = [width * c.width / total_share for c in block.columns]
    inner = [w - 2 * look.pad_x for w in widths]
    head_style = ParagraphStyle(
        "th", fontName=look.font, fontSize=look.size, leading=look.leading, alignment=TA_CENTER, wordWrap="CJK"
    )
    header = [CJKParagraph(c.title, head_style) for c in block.columns]
    header_h = max(look.line_row, *(p.wrap(w, 1e6)[1] + 2 * look.pad_y for p, w in zip(header, inner, strict=True)))
    prep = _Prepared(block, look, widths, header, header_h)
    cell_style = ParagraphStyle("td", fontName=look.font, fontSize=look.size, leading=look.leading, wordWrap="CJK")
    one_line = block.page_subtotals
    size, line_row = look.size, look.line_row
    fonts = [_value_font(c, look) for c in block.columns]
    kinds = [c.kind for c in block.columns]
    for r, row in enumerate(block.rows):
        cells: list[Any] = []
        h = line_row
        for i, col in enumerate(block.columns):
            text = cell_text(col, row[i])
            if not text:
                cells.append("")
                continue
            if "\n" in text and (one_line or kinds[i] != Kind.TEXT):
                text = " ".join(text.split())
            w = stringWidth(text, fonts[i], size)
            if w <= inner[i] and "\n" not in text:
                cells.append(text)
            elif kinds[i] == Kind.TEXT and not one_line:
                # Wrapped, but a date or number in it that cannot fit a line sets the cell smaller.
                run_size = fit_size(longest_run(text), fonts[i], size, inner[i])
                p = CJKParagraph(text, cell_style if run_size >= size else _smaller(cell_style, run_size))
                h = max(h, p.wrap(inner[i], 1e6)[1] + 2 * look.pad_y)
                cells.append(p)
            else:
                cells.append(text)
                prep.shrunk.append((r, i, fit_size(text, fonts[i], size, inner[i])))
        prep.cells.append(cells)
        prep.heights.append(h)
    prep.base_style = _base_style(block, look)
    return prep


def _smaller(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"td-{size:.2f}", parent=style, fontSize=size, leading=size * 1.2)


def _base_style(block: Table, look: TableLook) -> list[tuple[Any, ...]]:
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), look.font, look.size, look.leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), look.pad_x),
        ("RIGHTPADDING", (0, 0), (-1, -1), look.pad_x),
        ("TOPPADDING", (0, 0), (-1, -1), look.pad_y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.pad_y),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
    ]
    for i, c in enumerate(block.columns):
        style.append(("ALIGN", (i, 1), (i, -1), _ALIGN[c.kind]))
    return style


class PagedTable(Flowable):
    """The rows of a prepared table from *start* on; splits itself page by page (see the module)."""

    def __init__(
        self, prep: _Prepared, progress: Progress, frame_height: float, start: int = 0, tail: float = 0.0
    ) -> None:
        super().__init__()
        self.prep = prep
        # Height of what must stay on the page of the last rows (the signature lines).
        self.tail = tail
        self.progress = progress
        self.frame_height = frame_height
        self.start = start
        self._chunk: tuple[float, RLTable] | None = None
        self.width = sum(prep.widths)

    # --- how many rows fit ------------------------------------------------------------------

    def _count(self, avail: float) -> int:
        p, block = self.prep, self.prep.block
        line_row = p.look.line_row
        h = p.header_h + (line_row if block.page_subtotals else 0)
        remaining = max(len(p.cells), 1) - self.start
        heights = p.heights if p.cells else [line_row]
        n = 0
        while n < remaining and h + heights[self.start + n] <= avail + _FUZZ:
            h += heights[self.start + n]
            n += 1
        end = (line_row if block.grand_total else 0.0) + self.tail
        if n == remaining and end:
            # The 合计 and the signatures go under the last rows; if they do not fit, rows go with them.
            while n > 0 and h + end > avail + _FUZZ:
                n -= 1
                h -= heights[self.start + n]
        if n == 0 and avail >= self.frame_height - _FUZZ:
            n = 1  # a row taller than a page: let it overflow rather than loop for ever
        return n

    def _rest(self) -> int:
        return max(len(self.prep.cells), 1) - self.start

    # --- the page's Table -------------------------------------------------------------------

    def _build(self, n: int) -> RLTable:
        p, block, look = self.prep, self.prep.block, self.prep.look
        end = self.start + n
        last = end >= len(p.cells)
        data: list[list[Any]] = [list(p.header)]
        heights = [p.header_h]
        style = list(p.base_style)
        ncol = len(block.columns)
        if p.cells:
            data.extend(p.cells[self.start : end])
            heights.extend(p.heights[self.start : end])
        else:
            data.append(["（无）"] + [""] * (ncol - 1))
            heights.append(look.line_row)
            style.append(("SPAN", (0, 1), (-1, 1)))
            style.append(("ALIGN", (0, 1), (-1, 1), "CENTER"))
        nrows = len(data) - 1
        for i, c in enumerate(block.columns):
            if c.kind == Kind.ID:
                style.append(("FONTNAME", (i, 1), (i, nrows), look.mono))
        for r, i, size in p.shrunk:
            if self.start <= r < end:
                y = r - self.start + 1
                style.append(("FONTSIZE", (i, y), (i, y), size))
        totals_rows: list[tuple[str, dict[str, int]]] = []
        if block.page_subtotals:
            totals_rows.append(("本页小计", block.totals(block.rows[self.start : end])))
        if last and block.grand_total:
            totals_rows.append((block.total_label, block.totals()))
        label_span = next((i for i, c in enumerate(block.columns) if c.total), ncol)
        for label, sums in totals_rows:
            y = len(data)
            row: list[Any] = [""] * ncol
            row[0] = label
            for i, c in enumerate(block.columns):
                if c.total:
                    row[i] = yuan(sums[c.key]) if c.kind == Kind.MONEY else str(sums[c.key])
                    size = fit_size(row[i], look.font, look.size, p.widths[i] - 2 * look.pad_x)
                    if size < look.size:
                        style.append(("FONTSIZE", (i, y), (i, y), size))
            data.append(row)
            heights.append(look.line_row)
            style.append(("BACKGROUND", (0, y), (-1, y), TOTAL_BG))
            style.append(("FONTNAME", (0, y), (-1, y), look.font))
            if label_span > 1:
                style.append(("SPAN", (0, y), (label_span - 1, y)))
            style.append(("ALIGN", (0, y), (0, y), "CENTER"))
        table = RLTable(data, colWidths=p.widths, rowHeights=heights, style=style, repeatRows=1)
        self.progress.done += nrows if p.cells else 0
        return table

    def _chunk_for(self, avail: float, n: int) -> RLTable:
        if self._chunk is None or self._chunk[0] != avail:
            self._chunk = (avail, self._build(n))
        return self._chunk[1]

    # --- Flowable ---------------------------------------------------------------------------

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        n = self._count(availHeight)
        if n < self._rest():
            # More than fits: answer "too tall" so that the frame asks us to split.
            return self.width, availHeight + 1
        table = self._chunk_for(availHeight, n)
        w, h = table.wrap(availWidth, availHeight)
        self.height = h
        return w, h

    def draw(self) -> None:
        assert self._chunk is not None
        self._chunk[1].drawOn(self.canv, 0, 0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        n = self._count(availHeight)
        if n == 0:
            return []
        table = self._build(n)
        if n >= self._rest():
            return [table]
        return [table, PagedTable(self.prep, self.progress, self.frame_height, self.start + n, self.tail)]
