"""Look at one attachment: a photo or scan scaled to the window, with zoom; a PDF only by export.

A PDF is not handed to the system's viewer: that would write it as a plain temporary file, out of
the encrypted database and out of our control. It is exported to a place the clerk chooses
instead (an audited write), and opened from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...services.attachments import PDF, pdf_pages
from ..ops import Op
from ..widgets import MessageBar

if TYPE_CHECKING:
    from ...domain.entities import Attachment

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.05, 8.0


class AttachmentViewer(QDialog):
    def __init__(self, parent: QWidget | None, attachment: Attachment, data: bytes) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.is_pdf = attachment.media_type == PDF
        self.setWindowTitle(f"{attachment.kind} · {attachment.file_name}")
        self.pixmap = QPixmap()
        self.zoom = 1.0  # 0: fit to the window
        self.fit = True

        layout = QVBoxLayout(self)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea()
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.image)
        self.area.setWidgetResizable(False)
        layout.addWidget(self.area, 1)
        if attachment.note:
            note = QLabel(attachment.note)
            note.setWordWrap(True)
            layout.addWidget(note)
        self.message = MessageBar()
        layout.addWidget(self.message)

        bar = QHBoxLayout()
        self.fit_button = QPushButton(self.tr("Fit to window"))
        self.actual_button = QPushButton(self.tr("Actual size"))
        self.zoom_in_button = QPushButton(self.tr("Zoom in"))
        self.zoom_out_button = QPushButton(self.tr("Zoom out"))
        self.fit_button.clicked.connect(self.fit_to_window)
        self.actual_button.clicked.connect(lambda: self.set_zoom(1.0))
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self._shown_zoom() * ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self._shown_zoom() / ZOOM_STEP))
        for b in (self.fit_button, self.actual_button, self.zoom_in_button, self.zoom_out_button):
            b.setAutoDefault(False)
            bar.addWidget(b)
        bar.addStretch(1)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        bar.addWidget(self.export_button)
        bar.addWidget(close)
        layout.addLayout(bar)

        if self.is_pdf:
            self.pages = pdf_pages(data)
            pages = self.tr("%1 page(s)").replace("%1", str(self.pages)) if self.pages else self.tr("pages unknown")
            self.image.setText(self.tr("PDF attachment (%1): export it to view it.").replace("%1", pages))
            self.image.setWordWrap(True)
            self.area.setWidgetResizable(True)
            for b in (self.fit_button, self.actual_button, self.zoom_in_button, self.zoom_out_button):
                b.hide()
        else:
            self.pages = 0
            if not self.pixmap.loadFromData(data):
                self.image.setText(self.tr("This picture cannot be shown."))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, self.zoom_in_button.click)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, self.zoom_out_button.click)
        self.resize(1000, 680)

    # ------------------------------------------------------------------ zoom

    def _fit_zoom(self) -> float:
        if self.pixmap.isNull():
            return 1.0
        area = self.area.viewport().size()
        return min(area.width() / self.pixmap.width(), area.height() / self.pixmap.height(), 1.0)

    def _shown_zoom(self) -> float:
        return self._fit_zoom() if self.fit else self.zoom

    def fit_to_window(self) -> None:
        self.fit = True
        self._render()

    def set_zoom(self, zoom: float) -> None:
        self.fit = False
        self.zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
        self._render()

    def _render(self) -> None:
        if self.pixmap.isNull():
            return
        z = self._shown_zoom()
        size = self.pixmap.size() * z
        shown = self.pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(shown)
        self.image.resize(shown.size())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.fit:
            self._render()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._render()

    # ------------------------------------------------------------------ export

    def ask_export_path(self) -> str:
        """Where to save (tests replace this): the clerk chooses, nothing is written on our own."""
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export attachment"), self.attachment.file_name)
        return path

    def export(self) -> None:
        path = self.ask_export_path()
        if not path:
            return
        attachment_id = self.attachment.id
        Op(self, lambda s, _p: s.attachments.export(attachment_id, path), write=True).success(
            lambda saved: self.message.info(self.tr("Saved to %1.").replace("%1", str(saved)))
        ).failure(lambda exc: self.message.error(str(exc))).run()
