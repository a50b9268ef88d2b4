"""Any report :class:`~app.domain.report.Document` as the bytes of an A4 PDF (reportlab, in memory).

The preview, the printer and 另存为 all use these bytes, so what a clerk checks on screen is what
the bank receives; nothing is written to disk here. The bundled WenQuanYi font is embedded
(a township PC may have no CJK font at all), ID numbers are set in its monospaced face and
never broken, money is 元 with two decimals from integer fen, and every page carries the
table's header row, a footer and "第 n 页 共 m 页" (the total is known only at the end, so
the canvas keeps the pages and numbers them when the document is saved).

A character the font lacks (a rare 生僻字 in a name) would print as a blank; instead each one
adds a sentence to ``doc.warnings`` naming where it is, for the person printing.
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageTemplate, Spacer
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable

from ..domain.report import (
    BlankLines,
    Document,
    Fields,
    Orientation,
    PageBreak,
    Paragraph,
    Signatures,
    Table,
)
from ..errors import InvalidInput
from .fonts import PDF_MONO_FONT_NAME, register_pdf_fonts
from .pdf_glyphs import add_glyph_warnings
from .pdf_table import PagedTable, Progress, TableLook, prepare_table
from .pdf_text import CJKParagraph, fit_size

__all__ = ["MARGIN_BOTTOM", "MARGIN_SIDE", "MARGIN_TOP", "frame_size", "pdf_bytes", "table_look"]

# Township printers lose 4–6 mm at the edges; the footer and running head sit inside the margins.
MARGIN_SIDE = 15 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 16 * mm

TABLE_SIZE = 9.0
GREY = colors.HexColor("#555555")


def page_size(orientation: Orientation) -> tuple[float, float]:
    return landscape(A4) if orientation == Orientation.LANDSCAPE else A4


def frame_size(orientation: Orientation) -> tuple[float, float]:
    """Width and height of the printable frame on every page."""
    w, h = page_size(orientation)
    return w - 2 * MARGIN_SIDE, h - MARGIN_TOP - MARGIN_BOTTOM


def table_look(scale: float) -> TableLook:
    """The table font and paddings at a document's font scale."""
    return TableLook(
        font=register_pdf_fonts(), mono=PDF_MONO_FONT_NAME, size=TABLE_SIZE * scale, pad_x=3 * scale, pad_y=2 * scale
    )


class _Styles:
    def __init__(self, font: str, scale: float) -> None:
        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name, fontName=font, fontSize=size * scale, leading=leading * scale, wordWrap="CJK", **kw
            )

        self.title = style("title", 16, 22, alignment=TA_CENTER, spaceAfter=2 * scale)
        self.subtitle = style("subtitle", 10, 14, alignment=TA_CENTER, spaceAfter=6 * scale)
        self.heading = style("heading", 12, 17, spaceBefore=6 * scale, spaceAfter=3 * scale)
        self.body = style("body", 10.5, 17, spaceAfter=3 * scale)
        self.note = style("note", 8, 11, textColor=GREY, spaceAfter=2 * scale)
        self.caption = style("caption", 10.5, 15, spaceAfter=3 * scale)
        self.cell = style("cell", 10, 13)


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    # A newline in the text starts a new paragraph (markup <br/> would leave our line breaker).
    return [CJKParagraph(part, style) for part in text.split("\n")]


class _RuledLines(Flowable):
    """*count* empty ruled lines to write on by hand."""

    def __init__(self, count: int, gap: float) -> None:
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.count * self.gap + 2

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.HexColor("#777777"))
        for k in range(self.count):
            y = (self.count - k - 1) * self.gap + 1
            c.line(0, y, self.width, y)


class _SignatureLines(Flowable):
    """制表人：______  审核人：______ … and 日期：    年    月    日, on one or two lines."""

    def __init__(self, labels: tuple[str, ...], dated: bool, font: str, size: float, per_line: int) -> None:
        super().__init__()
        self.items = [f"{label}：" for label in labels]
        if dated:
            self.items.append("日期：")
        self.dated = dated
        self.font, self.size = font, size
        self.lines = [self.items[k : k + per_line] for k in range(0, len(self.items), per_line)]
        self.per_line = min(per_line, len(self.items)) or 1
        self.gap = size * 3.2

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, len(self.lines) * self.gap

    def draw(self) -> None:
        c = self.canv
        cell = self.width / self.per_line
        c.setLineWidth(0.6)
        for k, items in enumerate(self.lines):
            y = (len(self.lines) - k - 1) * self.gap + self.size * 0.6
            for j, text in enumerate(items):
                x = j * cell
                size = fit_size(text, self.font, self.size, cell * 0.45)
                c.setFont(self.font, size)
                c.drawString(x, y, text)
                start = x + c.stringWidth(text, self.font, size) + 2
                end = x + cell - self.size * 1.2
                if self.dated and k == len(self.lines) - 1 and j == len(items) - 1:
                    # 日期：  年  月  日 — the blanks before each unit, as on a paper form.
                    unit = (end - start) / 3
                    for u, word in enumerate("年月日"):
                        c.drawRightString(start + unit * (u + 1), y, word)
                    continue
                if end > start:
                    c.line(start, y - 2, end, y - 2)


def _fields(block: Fields, width: float, styles: _Styles, look: TableLook) -> list[Flowable]:
    per = max(1, block.per_row)
    pair = width / per
    longest = max((styles.cell.fontSize * len(label) for label, _ in block.items), default=0.0)
    label_w = min(pair * 0.45, longest + 2 * look.pad_x + 4)
    widths = [label_w, pair - label_w] * per
    label_style = ParagraphStyle("field-label", parent=styles.cell, alignment=TA_CENTER)
    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), look.pad_y * 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.pad_y * 2),
        ("LEFTPADDING", (0, 0), (-1, -1), look.pad_x),
        ("RIGHTPADDING", (0, 0), (-1, -1), look.pad_x),
    ]
    for start in range(0, len(block.items), per):
        chunk = block.items[start : start + per]
        y = len(data)
        row: list[Any] = []
        for j, (label, value) in enumerate(chunk):
            row += [CJKParagraph(label, label_style), CJKParagraph(value, styles.cell)]
            style.append(("BACKGROUND", (2 * j, y), (2 * j, y), colors.HexColor("#eeeeee")))
        if len(chunk) < per:
            style.append(("SPAN", (len(row) - 1, y), (-1, y)))
            row += [""] * (2 * per - len(row))
        data.append(row)
    out: list[Flowable] = []
    if block.caption:
        out += _paragraphs(block.caption, styles.caption)
    if data:
        out.append(RLTable(data, colWidths=widths, style=style))
    out.append(Spacer(1, 4 * look.pad_y))
    return out


def _signatures(block: Signatures, styles: _Styles, per_line: int) -> Flowable:
    lines = _SignatureLines(block.labels, block.dated, styles.body.fontName, styles.body.fontSize, per_line)
    lines.spaceBefore = styles.body.leading
    return lines


def _flowables(doc: Document, styles: _Styles, look: TableLook, progress: Progress) -> list[Flowable]:
    width, height = frame_size(doc.orientation)
    out: list[Flowable] = _paragraphs(doc.title, styles.title)
    if doc.subtitle:
        out += _paragraphs(doc.subtitle, styles.subtitle)
    else:
        out.append(Spacer(1, styles.subtitle.spaceAfter))
    per_line = 4 if doc.orientation == Orientation.LANDSCAPE else 3
    for k, block in enumerate(doc.blocks):
        if isinstance(block, Table):
            if block.caption:
                out += _paragraphs(block.caption, styles.caption)
            after = doc.blocks[k + 1] if k + 1 < len(doc.blocks) else None
            # The signatures under a roster sign its last page, so they never stand on a page alone.
            tail = 0.0
            if isinstance(after, Signatures):
                signatures = _signatures(after, styles, per_line)
                tail = signatures.wrap(width, height)[1] + signatures.spaceBefore + 3 * look.pad_y + 1
            out.append(PagedTable(prepare_table(block, width, look), progress, height, tail=tail))
            out.append(Spacer(1, 3 * look.pad_y))
        elif isinstance(block, Fields):
            out += _fields(block, width, styles, look)
        elif isinstance(block, Paragraph):
            style = {"heading": styles.heading, "note": styles.note}.get(block.style, styles.body)
            out += _paragraphs(block.text, style)
        elif isinstance(block, BlankLines):
            out += _paragraphs(block.label, styles.body)
            out.append(_RuledLines(block.count, styles.body.leading * 1.6))
            out.append(Spacer(1, styles.body.leading * 0.5))
        elif isinstance(block, Signatures):
            out.append(_signatures(block, styles, per_line))
        elif isinstance(block, PageBreak):
            out.append(RLPageBreak())
    return out


class _NumberedCanvas(Canvas):
    """Keeps each page until the end, then draws the footer and "第 n 页 共 m 页" on it."""

    def __init__(self, *args: Any, footer: str = "", font: str = "", size: float = 8, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._pages: list[dict[str, Any]] = []
        self._footer, self._font, self._size = footer, font, size

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        width = self._pagesize[0]
        y = MARGIN_BOTTOM / 2
        for n, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFillColor(colors.black)
            number = f"第 {n} 页 共 {total} 页"
            self.setFont(self._font, self._size)
            self.drawRightString(width - MARGIN_SIDE, y, number)
            if self._footer:
                room = width - 2 * MARGIN_SIDE - self.stringWidth(number, self._font, self._size) - 10 * mm
                self.setFont(self._font, fit_size(self._footer, self._font, self._size, room))
                self.drawString(MARGIN_SIDE, y, self._footer)
            super().showPage()
        self._pages = []
        super().save()


def _running_head(title: str, font: str, size: float) -> Any:
    title = " ".join(title.split())  # one line, even when the title page shows two

    def draw(canvas: Canvas, template: BaseDocTemplate) -> None:
        if canvas.getPageNumber() == 1:
            return
        w, h = canvas._pagesize
        room = w - 2 * MARGIN_SIDE
        y = h - MARGIN_TOP / 2
        canvas.saveState()
        canvas.setFillColor(GREY)
        canvas.setFont(font, fit_size(title, font, size, room))
        canvas.drawString(MARGIN_SIDE, y, title)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_SIDE, y - 3, w - MARGIN_SIDE, y - 3)
        canvas.restoreState()

    return draw


def pdf_bytes(doc: Document, progress: Any = None) -> bytes:
    """*doc* as a PDF. *progress* is an op's Progress (or None); whatever it raises (Cancelled)
    propagates, and nothing has been written anywhere."""
    font = register_pdf_fonts()
    add_glyph_warnings(doc)
    scale = doc.font_scale
    styles = _Styles(font, scale)
    look = table_look(scale)
    placed = Progress(total=sum(len(t.rows) for t in doc.tables()))
    flowables = _flowables(doc, styles, look, placed)

    buf = io.BytesIO()
    pagesize = page_size(doc.orientation)
    template = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN_SIDE,
        rightMargin=MARGIN_SIDE,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=doc.title,
        author="兜底 Doudi",
        creator="兜底 Doudi",
        invariant=1,
        pageCompression=1,
        initialFontName=font,
    )
    width, height = frame_size(doc.orientation)
    frame = Frame(MARGIN_SIDE, MARGIN_BOTTOM, width, height, id="body", **dict.fromkeys(_PADDINGS, 0))
    small = 8 * min(scale, 1.5)
    template.addPageTemplates([PageTemplate("page", [frame], onPage=_running_head(doc.title, font, small))])
    if progress is not None:
        template.setProgressCallBack(_progress_callback(progress, placed))
    try:
        template.build(flowables, canvasmaker=partial(_NumberedCanvas, footer=doc.footer, font=font, size=small))
    except LayoutError as e:
        raise InvalidInput(_unplaceable(doc), field="layout") from e
    return buf.getvalue()


def _unplaceable(doc: Document) -> str:
    """The sentence for a page reportlab cannot lay out: a row or header taller than the page at this scale."""
    where = doc.source or f"reports/{doc.name}.json"
    return f"报表版式无法排下：表头或某一行在字号 {doc.font_scale:g} 倍时比一页纸还高（请检查 {where} 的字号和列宽）。"


_PADDINGS = ("leftPadding", "rightPadding", "topPadding", "bottomPadding")


def _progress_callback(progress: Any, placed: Progress) -> Any:
    total = max(placed.total, 1)

    def on_progress(kind: str, value: int) -> None:
        if kind == "PAGE":
            placed.page = value
            progress.update(min(placed.done, total), total, f"正在排版第 {value} 页…")
        elif kind == "PROGRESS":
            progress.update(min(placed.done, total), total)
        elif kind == "FINISHED":
            progress.update(total, total, "排版完成")

    return on_progress
