"""The papers of one record in a window of their own, where a form has no room for a panel
(a member in the household editor, a visit in the quick visit form)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from .panel import AttachmentsPanel


def open_attachments(parent: QWidget, subject_table: str, subject_id: str, title: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(760, 480)
    box = QVBoxLayout(dialog)
    panel = AttachmentsPanel(dialog, subject_table, subject_id)
    box.addWidget(panel)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    box.addWidget(close)
    dialog.panel = panel  # type: ignore[attr-defined]  # for the caller and the tests
    dialog.open()
    return dialog
