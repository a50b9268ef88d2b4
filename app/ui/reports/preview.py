"""The print preview: the very PDF bytes that would be printed or saved, drawn page by page.

The bytes stay in memory (a preview file on disk would be the register in plaintext). PDFium is
not thread-safe, so every pdfium call happens here, on the GUI thread; pages are rendered only
when they scroll into view and dropped when they are far away, so a 200-page roster opens at
once and holds a few pages' worth of pixels.
"""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

__all__ = ["FIT_WIDTH", "PdfPreview", "page_image"]

#: The zoom that makes a page as wide as the view.
FIT_WIDTH = 0.0
# Grey margin around and between the pages, as in a print preview.
GAP = 12
# Pages rendered beyond the visible ones, so that scrolling a little shows no blank page.
AHEAD = 1


def page_image(page: Any, scale: float) -> QImage:
    """One PDF page as a QImage, *scale* pixels per point, with no numpy or Pillow."""
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
    try:
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
        return image.copy()  # the bitmap's memory goes with it
    finally:
        bitmap.close()


class _Sheet(QLabel):
    """One page's place in the column: sized at once, painted when it comes into view."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.rendered_scale: float | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("white"))
        self.setPalette(palette)


class PdfPreview(QScrollArea):
    """Shows a PDF's pages stacked, at a zoom (:data:`FIT_WIDTH` or a factor, 1.0 = printed size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportPreview")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Always there, so that fitting the width never makes it appear and the width change again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setStyleSheet("#ReportPreview { background: #7f8c8d; }")
        self._pdf: Any = None
        self._sizes: list[tuple[float, float]] = []
        self.sheets: list[_Sheet] = []
        self.zoom = FIT_WIDTH
        self._column = QWidget()
        self._column.setObjectName("ReportPages")
        self._column.setStyleSheet("#ReportPages { background: #7f8c8d; }")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(GAP, GAP, GAP, GAP)
        self._layout.setSpacing(GAP)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._column)
        # Rendering waits for the layout to settle: a resize or a scroll burst renders once.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.render_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._pending.start())

    # ------------------------------------------------------------------ content

    def page_count(self) -> int:
        return len(self._sizes)

    def set_pdf(self, data: bytes) -> None:
        """Show *data* (the bytes of a PDF), replacing what was shown; starts at the first page."""
        self.clear()
        self._pdf = pdfium.PdfDocument(data)
        self._sizes = [self._pdf.get_page_size(i) for i in range(len(self._pdf))]
        for i in range(len(self._sizes)):
            sheet = _Sheet(i)
            self.sheets.append(sheet)
            self._layout.addWidget(sheet, 0, Qt.AlignmentFlag.AlignHCenter)
        self._resize_sheets()
        self.verticalScrollBar().setValue(0)
        self._pending.start()

    def clear(self) -> None:
        for sheet in self.sheets:
            self._layout.removeWidget(sheet)
            sheet.hide()  # gone from the screen now, not when the deferred deletion runs
            sheet.deleteLater()
        self.sheets = []
        self._sizes = []
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def set_zoom(self, zoom: float) -> None:
        """:data:`FIT_WIDTH`, or a factor of the printed size (1.0 = 100%)."""
        self.zoom = zoom
        self._resize_sheets()
        self._pending.start()

    # ------------------------------------------------------------------ geometry

    def scale(self) -> float:
        """Screen pixels per PDF point at the current zoom."""
        if self.zoom == FIT_WIDTH:
            widest = max((w for w, _h in self._sizes), default=595.0)
            room = self.viewport().width() - 2 * GAP
            return max(0.1, room / widest)
        # 100% is the paper's own size on this screen: points are 1/72 inch.
        return self.zoom * self.logicalDpiX() / 72.0

    def _resize_sheets(self) -> None:
        scale = self.scale()
        for sheet, (w, h) in zip(self.sheets, self._sizes, strict=True):
            size = QSize(round(w * scale), round(h * scale))
            if sheet.size() != size:
                sheet.setFixedSize(size)
            if sheet.rendered_scale is not None and sheet.rendered_scale != scale:
                sheet.rendered_scale = None  # redrawn when next visible, at the new size

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.zoom == FIT_WIDTH:
            self._resize_sheets()
        self._pending.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._pending.start()

    def show_page(self, index: int) -> None:
        """Scroll so that page *index* (0-based) starts at the top of the view."""
        # The column's new size is a posted layout request; until it is handled the scroll range is old.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        y = GAP + sum(sheet.minimumHeight() + GAP for sheet in self.sheets[:index])
        self.verticalScrollBar().setValue(y)
        self._pending.start()

    def visible_pages(self) -> list[int]:
        """The indexes of the pages that show in the view now."""
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        # From the sheets' sizes, not their positions: those lag behind until the layout has run.
        out, y = [], GAP
        for sheet in self.sheets:
            height = sheet.minimumHeight()
            if y < bottom and y + height > top:
                out.append(sheet.index)
            y += height + GAP
        return out

    # ------------------------------------------------------------------ rendering

    def render_visible(self) -> None:
        """Render the visible pages (and one either side); let go of the pixels of the others."""
        if self._pdf is None or not self.sheets:
            return
        visible = self.visible_pages() or [0]
        wanted = set(range(max(0, visible[0] - AHEAD), min(len(self.sheets), visible[-1] + AHEAD + 1)))
        scale = self.scale()
        ratio = self.devicePixelRatioF()
        for sheet in self.sheets:
            if sheet.index in wanted:
                if sheet.rendered_scale is None:
                    page = self._pdf[sheet.index]
                    try:
                        image = page_image(page, scale * ratio)
                    finally:
                        page.close()
                    pixmap = QPixmap.fromImage(image)
                    pixmap.setDevicePixelRatio(ratio)
                    sheet.setPixmap(pixmap)
                    sheet.rendered_scale = scale
            elif sheet.rendered_scale is not None:
                sheet.clear()
                sheet.rendered_scale = None

    def rendered_pages(self) -> list[int]:
        return [s.index for s in self.sheets if s.rendered_scale is not None]
