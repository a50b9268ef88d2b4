"""A form dialog in two halves: reading the widgets, then the write through the one door.

    dlg = FormDialog(self.tr("Close the alert"), self,
                     read=lambda: note.toPlainText(),                      # GUI thread
                     write=lambda s, text: s.monitoring.close(alert_id, text, on=today))  # writer thread
    dlg.add_row(self.tr("Result"), note, field="note")
    dlg.saved.connect(...)    # or read dlg.result_value after it is accepted

On OK, ``read()`` runs on the GUI thread: a ``ValueError`` or a :class:`DoudiError` there is shown
at once, and its ``field`` (when it has one) is marked. Then ``write(s, value)`` runs as a write op
on the writer thread; OK stays disabled while it runs. A refusal shows its one sentence and marks
its field, keeping everything typed; success closes the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...errors import ChangedMeanwhile, DoudiError
from .. import ops
from ..ops import Op
from .messages import error_sentence
from .palette import ERROR_COLOR

BAD_FIELD_STYLE = f"border: 1px solid {ERROR_COLOR};"


class FormDialog(QDialog):
    saved = Signal(object)  # the write's result, after it committed

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        read: Callable[[], Any] | None = None,
        write: Callable[..., Any] | None = None,
        intro: str = "",
        progress_label: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.read = read or (lambda: None)
        self.write = write
        # A long write (a county's month close) runs behind a progress dialog with this label, and
        # is then handed the op's progress as a third argument: write(s, value, progress).
        self.progress_label = progress_label
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self.writing = False
        self._marked: QWidget | None = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(self.form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(QCoreApplication.translate("AssistWidgets", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("AssistWidgets", "Cancel")
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)

    def add_row(self, label: str, widget: QWidget, field: str = "") -> QWidget:
        """Add *widget* under *label* (no label: spanning the whole width); *field* names the entity
        field it edits, so an error about that field marks it."""
        if label:
            self.form.addRow(label, widget)
        else:
            self.form.addRow(widget)
        if field:
            self.fields[field] = widget
        return widget

    def show_error(self, text: str, field: str = "") -> None:
        self.error.setText(text)
        self.error.show()
        self.mark(field)

    def mark(self, field: str) -> None:
        """Outline the widget of *field* in red and put the cursor there (clears the previous mark)."""
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None
        widget = self.fields.get(field) if field else None
        if widget is not None:
            widget.setStyleSheet(BAD_FIELD_STYLE)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self._marked = widget

    def showEvent(self, event) -> None:
        # Tab in a note box moves on to the next field (and so to OK) instead of typing a tab.
        for box in self.findChildren(QPlainTextEdit):
            box.setTabChangesFocus(True)
        super().showEvent(event)

    def _refused(self, exc: BaseException) -> None:
        self.show_error(error_sentence(exc), getattr(exc, "field", "") or "")
        if isinstance(exc, ChangedMeanwhile):
            # Someone else saved first: what every page shows may be old, so they reload; what
            # was typed here stays in the dialog.
            ops.changes().changed.emit(ops.OpChanges.seen_elsewhere())

    def accept(self) -> None:
        if self.writing:
            return
        try:
            value = self.read()
        except (DoudiError, ValueError) as exc:
            self._refused(exc)
            return
        if self.write is None:
            self._done(value)
            return
        write = self.write
        self.writing = True
        self.ok_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.writing = False
            self.ok_button.setEnabled(True)
            if not isinstance(exc, DoudiError):
                raise exc
            self._refused(exc)

        def succeeded(result: Any) -> None:
            self.writing = False
            self.ok_button.setEnabled(True)
            self._done(result)

        if self.progress_label:
            op = Op(self, lambda s, progress: write(s, value, progress), write=True)
            op.with_progress(self.progress_label, cancellable=False)
        else:
            op = Op(self, lambda s, _progress: write(s, value), write=True)
        op.success(succeeded).failure(failed).run()

    def _done(self, result: Any) -> None:
        self.result_value = result
        self.saved.emit(result)
        super().accept()


def open_dialog(owner: Any, dlg: FormDialog) -> FormDialog:
    """Open ``dlg`` window-modal and keep it as ``owner.dialog`` while it is open (tests drive it there)."""
    owner.dialog = dlg
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.finished.connect(lambda _r: setattr(owner, "dialog", None))
    dlg.open()
    return dlg
