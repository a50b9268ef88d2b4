"""The mapping step: which column of the clerk's file holds which field.

The service finds the header under the title rows and guesses each field's column by its synonyms;
here a person sees that guess, with the title found and a few sample rows, and corrects it.
Fields the service was unsure of are highlighted, required ones carry a star. Choosing another
sheet asks the service again (a read op), so the widget never reads the file itself. The same
widget is the 比对 page's mapping dialog and the 导入台账 wizard's second step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.idnumber import mask
from ..ops import Op
from ..widgets import ERROR_STYLE, error_sentence, setup_table, table_item

if TYPE_CHECKING:
    from ...services.session import Session

__all__ = ["MappingDialog", "MappingWidget", "column_letter", "field_labels"]

_ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")
UNSURE_STYLE = "QComboBox { background: #fcf3cf; }"
SAMPLE_ROWS = 5

# The loader of another sheet's layout: runs in a read op, handed the sheet's name.
Loader = Callable[["Session", str], Any]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how WPS and Excel name the column a clerk looks for."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def field_labels(view: Any, labels: dict[str, str] | None = None) -> dict[str, str]:
    """Every field the dialog shows, with its Chinese name: the source's own fields first, then any
    the service mapped, required or doubted that the source did not name (named by their first
    synonym, the word most ledgers use)."""
    from ...domain import sheet_layout

    # the sheets helper's table of synonyms may not be there yet
    synonyms_of: dict[str, tuple[str, ...]] = getattr(sheet_layout, "FIELD_SYNONYMS", {})
    shown = dict(labels or {})
    for f in (*view.required, *view.mapping, *view.unsure):
        if f not in shown:
            synonyms = synonyms_of.get(f, ())
            shown[f] = synonyms[0] if synonyms else f
    return shown


class MappingWidget(QWidget):
    """Sheet picker, title found, one column chooser per field, and the first rows of data."""

    sheet_loaded = Signal(object)  # the new layout view, after another sheet was chosen
    failed = Signal(str)  # a refusal while reading another sheet, its one sentence

    def __init__(
        self,
        view: Any,
        labels: dict[str, str] | None = None,
        load: Loader | None = None,
        parent=None,
        *,
        full_ids: bool = False,
    ):
        super().__init__(parent)
        self.load = load
        self.full_ids = full_ids
        self.labels_given = labels
        self.view: Any = None
        self.combos: dict[str, QComboBox] = {}

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Sheet:")))
        self.sheet = QComboBox()
        self.sheet.setMinimumContentsLength(12)
        self.sheet.activated.connect(lambda _i: self._sheet_chosen())
        top.addWidget(self.sheet)
        top.addSpacing(16)
        self.title = QLabel()
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)

        self.fields_box = QGroupBox(self.tr("Columns (* required; highlighted: please check)"))
        self.grid = QGridLayout(self.fields_box)
        self.grid.setHorizontalSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields_box)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.sample = QTableWidget()
        setup_table(self.sample)
        self.sample.setMaximumHeight(170)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(self.tr("First rows of data:")))
        layout.addWidget(self.sample)
        layout.addWidget(self.error)
        self.set_view(view)

    # --- showing a layout ---------------------------------------------------------------

    def set_view(self, view: Any) -> None:
        self.view = view
        self.sheet.clear()
        self.sheet.addItems(list(view.sheets) or [view.sheet])
        self.sheet.setCurrentText(view.sheet)
        self.sheet.setEnabled(len(view.sheets) > 1 and self.load is not None)
        rows = ", ".join(str(r + 1) for r in view.header_rows)
        title = view.title or self.tr("(no title)")
        self.title.setText(self.tr("Title: %1 · header in row %2").replace("%1", title).replace("%2", rows or "?"))
        self.title.setToolTip(view.title)
        self._fill_fields(view)
        self._fill_sample(view)
        self.error.hide()

    def _fill_fields(self, view: Any) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = {}
        headers = [f"{column_letter(i)} · {h}" if h else column_letter(i) for i, h in enumerate(view.headers)]
        labels = field_labels(view, self.labels_given)
        per_row = 2  # two fields a row: a source with twenty fields still fits 768 pixels
        for n, (fld, label) in enumerate(labels.items()):
            combo = QComboBox()
            combo.addItem(self.tr("(not in this file)"), -1)
            for i, text in enumerate(headers):
                combo.addItem(text, i)
            combo.setCurrentIndex(max(0, combo.findData(view.mapping.get(fld, -1))))
            combo.setMinimumContentsLength(14)
            if fld in view.unsure:
                combo.setStyleSheet(UNSURE_STYLE)
                combo.setToolTip(self.tr("Guessed from a similar header: please check"))
            combo.currentIndexChanged.connect(lambda _i, c=combo: c.setStyleSheet(""))
            star = " *" if fld in view.required else ""
            name = QLabel(label + star)
            name.setBuddy(combo)
            row, col = divmod(n, per_row)
            self.grid.addWidget(name, row, col * 2)
            self.grid.addWidget(combo, row, col * 2 + 1)
            self.combos[fld] = combo
        for c in range(per_row):
            self.grid.setColumnStretch(c * 2 + 1, 1)
        self.grid.setRowStretch(self.grid.rowCount(), 1)  # the fields stay together at the top

    def _fill_sample(self, view: Any) -> None:
        rows = list(view.sample)[:SAMPLE_ROWS]
        width = max([len(view.headers), *(len(r) for r in rows)])
        self.sample.clear()
        self.sample.setColumnCount(width)
        self.sample.setRowCount(len(rows))
        self.sample.setHorizontalHeaderLabels(
            [
                f"{column_letter(i)} {view.headers[i]}" if i < len(view.headers) else column_letter(i)
                for i in range(width)
            ]
        )
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.sample.setItem(r, c, table_item(self._shown("" if value is None else str(value))))
        self.sample.resizeColumnsToContents()

    def _shown(self, text: str) -> str:
        """A sample cell as this role may see it: ID numbers masked as on the register (a
        disability certificate number carries one too)."""
        if self.full_ids:
            return text
        return _ID_LIKE.sub(lambda m: mask(m.group(0)), text)

    # --- reading it back ----------------------------------------------------------------

    def sheet_name(self) -> str:
        return self.view.sheet

    def mapping(self) -> dict[str, int]:
        return {
            f: c.currentData() for f, c in self.combos.items() if c.currentData() is not None and c.currentData() >= 0
        }

    def missing(self) -> list[str]:
        """The required fields left without a column, by their names."""
        labels = field_labels(self.view, self.labels_given)
        chosen = self.mapping()
        return [labels.get(f, f) for f in self.view.required if f not in chosen]

    def check(self) -> bool:
        """Show what is missing; True when every required field has its column."""
        missing = self.missing()
        if missing:
            self.show_error(self.tr("Choose the column of: %1").replace("%1", "、".join(missing)))
            return False
        self.error.hide()
        return True

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # --- another sheet ------------------------------------------------------------------

    def _sheet_chosen(self) -> None:
        name = self.sheet.currentText()
        if self.load is None or name == self.view.sheet:
            return
        load = self.load
        self.sheet.setEnabled(False)
        (Op(self, lambda s, _p: load(s, name)).success(self._sheet_loaded).failure(self._sheet_failed).run())

    def _sheet_loaded(self, view: Any) -> None:
        self.set_view(view)
        self.sheet_loaded.emit(view)

    def _sheet_failed(self, exc: BaseException) -> None:
        self.sheet.setEnabled(True)
        self.sheet.setCurrentText(self.view.sheet)
        self.show_error(error_sentence(exc))
        self.failed.emit(error_sentence(exc))


class MappingDialog(QDialog):
    """The 比对 page's mapping step as a dialog: OK only when every required field has a column."""

    def __init__(
        self,
        view: Any,
        labels: dict[str, str] | None = None,
        load: Loader | None = None,
        parent=None,
        *,
        full_ids: bool = False,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Columns of %1").replace("%1", view.file_name))
        self.widget = MappingWidget(view, labels, load, self, full_ids=full_ids)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Compare"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("AssistWidgets", "Cancel")
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.widget, 1)
        layout.addWidget(buttons)
        self.resize(880, 620)

    def accept(self) -> None:
        if self.widget.check():
            super().accept()

    def mapping(self) -> dict[str, int]:
        return self.widget.mapping()

    def sheet_name(self) -> str:
        return self.widget.sheet_name()
