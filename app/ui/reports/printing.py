"""打印: the preview's PDF sent to a printer through Qt, page by page, as images at print resolution.

Qt has no PDF reader of its own in PySide6-Essentials (QtPdf is in the 59 MB Addons), so each page
is rendered by PDFium at no more than 300 dpi (enough for a ledger, and a 1200 dpi A4 page would be
half a gigabyte of pixels) and painted onto the printer. PDFium stays on the GUI thread (it is not
thread-safe); the loop keeps the window painting and stops when the clerk cancels.
"""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from .preview import page_image

__all__ = ["MAX_DPI", "new_printer", "print_pdf"]

MAX_DPI = 300


def new_printer(landscape: bool) -> QPrinter:
    """An A4 printer set up for the document (the clerk may still change it in the dialog)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
    # The PDF carries its own margins; the printer's would shrink the page a second time.
    printer.setFullPage(True)
    return printer


def print_pdf(data: bytes, printer: QPrinter, step: Callable[[int, int], bool] | None = None) -> int:
    """Print every page of the PDF *data* on *printer*; returns the pages printed.

    ``step(done, total)`` is called before each page and after the last; when it returns False
    the print run is aborted (nothing more reaches the printer) and the pages done so far are returned.
    """
    document = pdfium.PdfDocument(data)
    try:
        total = len(document)
        dpi = min(printer.resolution(), MAX_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(printer.printerName() or printer.outputFileName())
        done = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for i in range(total):
                if step is not None and not step(i, total):
                    printer.abort()
                    return done
                if i:
                    printer.newPage()
                page = document[i]
                try:
                    image = page_image(page, dpi / 72.0)
                finally:
                    page.close()
                painter.drawImage(_fitted(printer, QSizeF(image.size())), image)
                done += 1
        finally:
            painter.end()
        if step is not None:
            step(total, total)
        return done
    finally:
        document.close()


def _fitted(printer: QPrinter, size: QSizeF) -> QRectF:
    """Where a page image goes on the printer's paper: as large as fits, centred, shape kept."""
    paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
    scaled = size.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = paper.left() + (paper.width() - scaled.width()) / 2
    top = paper.top() + (paper.height() - scaled.height()) / 2
    return QRectF(left, top, scaled.width(), scaled.height())
