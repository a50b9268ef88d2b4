"""Adding a policy period: the effective date, the document that sets it, and one or more figures.

Reading the widgets (the figures staged, the one being edited) happens on the GUI thread, so a
badly typed amount is shown at once; the period is then stored by a write op
(``add_policy_period``), whose refusal (no document number, a figure out of range) stays in the
dialog as its one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from ....domain.policy.params import Params
from ....errors import InvalidInput
from ...widgets import WARN_COLOR, DateEdit, FormDialog
from .figures_table import TITLES, entry_text, figure_name, format_value, source_text
from .value_editor import _ValueEditor

__all__ = ["AddPeriodDialog", "NewPeriod"]


@dataclass(frozen=True)
class NewPeriod:
    """What the dialog read: the arguments of ``add_policy_period``."""

    effective_from: date
    values: dict[str, dict]
    source: str
    note: str
    unconfirmed: bool


class AddPeriodDialog(FormDialog):
    """A new period: effective date, document number, note, confirmed; one or more figures."""

    def __init__(self, params: Params | None, parent: QWidget | None = None):
        self.params = params
        self.staged: dict[str, dict] = {}
        self.period: NewPeriod | None = None  # what OK read last
        super().__init__(
            self.tr("Add a policy period"),
            parent,
            read=self.read_period,
            write=lambda s, p: s.policy.add_policy_period(
                p.effective_from, p.values, p.source, note=p.note, unconfirmed=p.unconfirmed
            ),
            intro=self.tr(
                "Enter the figures a document sets and the date they take effect. "
                "Figures not listed here keep their earlier values."
            ),
        )
        self.setMinimumWidth(640)
        self.effective = DateEdit(date(date.today().year + 1, 1, 1))
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("Document number, e.g. 宁民发〔2023〕12号"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(54)
        self.confirmed = QCheckBox(self.tr("Confirmed (the figures are taken from the document above)"))
        self.confirmed.setChecked(True)
        self.add_row(self.tr("Effective from:"), self.effective, field="effective_from")
        self.add_row(self.tr("Source (document number):"), self.source, field="source")
        self.add_row(self.tr("Note:"), self.note, field="note")
        self.add_row("", self.confirmed)

        self.figure = QComboBox()
        self.figure.setMaxVisibleItems(20)
        for key in TITLES:
            self.figure.addItem(figure_name(key), key)
        self.figure.currentIndexChanged.connect(lambda _i: self._figure_changed())
        self.add_row(self.tr("Figure:"), self.figure)
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.add_row(self.tr("Now:"), self.current_label)
        self.editors = QStackedWidget()
        self.add_row(self.tr("New value:"), self.editors, field="values")
        stage_row = QHBoxLayout()
        self.stage_button = QPushButton(self.tr("Add this figure to the period"))
        self.stage_button.clicked.connect(self.stage_current)
        self.unstage_button = QPushButton(self.tr("Remove from the period"))
        self.unstage_button.clicked.connect(self.unstage_selected)
        stage_row.addWidget(self.stage_button)
        stage_row.addWidget(self.unstage_button)
        stage_row.addStretch(1)
        holder = QWidget()
        holder.setLayout(stage_row)
        stage_row.setContentsMargins(0, 0, 0, 0)
        self.add_row("", holder)
        self.staged_list = QListWidget()
        self.staged_list.setFixedHeight(72)
        self.add_row(self.tr("In this period:"), self.staged_list)
        hint = QLabel(self.tr("OK saves the listed figures, and the figure shown above if you changed it."))
        hint.setWordWrap(True)
        self.add_row("", hint)
        self._editor: _ValueEditor | None = None
        self._figure_changed()

    # the figure being edited
    def select_figure(self, key: str) -> _ValueEditor:
        self.figure.setCurrentIndex(self.figure.findData(key))
        assert self._editor is not None
        return self._editor

    @property
    def editor(self) -> _ValueEditor | None:
        return self._editor

    def _figure_changed(self) -> None:
        key = self.figure.currentData()
        item = self.params.items.get(key) if self.params is not None else None
        current = item.value if item is not None else None
        if item is None:
            self.current_label.setText(self.tr("not set"))
            self.current_label.setStyleSheet("")
        else:
            rural = self.params.rural_standard_monthly_fen if self.params is not None else None
            text = f"{format_value(key, current, rural)}（{source_text(item.source)}，{item.effective_from}）"
            self.current_label.setText(text)
            self.current_label.setStyleSheet(f"color: {WARN_COLOR};" if item.unconfirmed else "")
        if self._editor is not None:
            self.editors.removeWidget(self._editor)
            self._editor.deleteLater()
        codes = tuple(c.code for c in self.params.classes) if self.params is not None else ()
        self._editor = _ValueEditor(key, current, codes)
        self.editors.addWidget(self._editor)
        self.editors.setCurrentWidget(self._editor)

    def stage_current(self) -> bool:
        assert self._editor is not None
        try:
            entry = self._editor.entry()
        except ValueError as exc:
            self.show_error(str(exc), "values")
            return False
        self.error.hide()
        self.mark("")
        self.staged[self._editor.key] = entry
        self._show_staged()
        return True

    def unstage_selected(self) -> None:
        item = self.staged_list.currentItem()
        if item is not None:
            self.staged.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self._show_staged()

    def _show_staged(self) -> None:
        self.staged_list.clear()
        for key, entry in self.staged.items():
            raw: Any = entry.get("yuan", entry.get("value"))
            text = entry_text(raw)
            if "yuan" in entry and raw is not None:
                text += " " + QCoreApplication.translate("PolicyFigures", "yuan")
            li = QListWidgetItem(f"{figure_name(key)}：{text}")
            li.setData(Qt.ItemDataRole.UserRole, key)
            self.staged_list.addItem(li)

    def values(self) -> dict[str, dict]:
        """The ``values`` dict for the service: each figure with its source and confirmation."""
        staged = dict(self.staged)
        ed = self._editor
        assert ed is not None
        if not staged:
            staged[ed.key] = ed.entry()
        elif ed.key not in staged and ed.changed():
            staged[ed.key] = ed.entry()  # edited but not added to the list: keep it rather than drop it
        source = self.source.text().strip()
        unconfirmed = not self.confirmed.isChecked()
        return {key: {**entry, "source": source, "unconfirmed": unconfirmed} for key, entry in staged.items()}

    def read_period(self) -> NewPeriod:
        """The period as typed (GUI thread); a ValueError names what is badly typed."""
        try:
            values = self.values()
        except ValueError as exc:
            raise InvalidInput(str(exc), field="values") from None
        self.period = NewPeriod(
            self.effective.value(),
            values,
            self.source.text().strip(),
            self.note.toPlainText().strip(),
            not self.confirmed.isChecked(),
        )
        return self.period
