"""The household's income items, edited as one table and saved together (the assessment counts them).

Each row is a kind, a subtype, the member it belongs to (or the whole household), the total amount
in 元 over the months given, and a note. Amounts are read on the GUI thread (a bad one is named by
its row at once); the items are then saved in one write op, Save disabled while it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import INCOME_KINDS, IncomeRecord
from ...errors import ChangedMeanwhile, DoudiError, InvalidInput
from ...services import permissions
from ..ops import Op
from ..widgets import MessageBar, YuanEdit, error_sentence, fit_columns

if TYPE_CHECKING:
    from ...domain.entities import Member
    from ...services.session import Session

translate = QCoreApplication.translate
W = TypeVar("W", bound=QWidget)

DEDUCTION_KIND = "刚性支出"


class IncomeTable(QWidget):
    def __init__(self, session: Session, household_id: str, message: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_version: str | None = None
        self.session = session
        self.household_id = household_id
        self.message = message
        self.members: list[Member] = []
        self.saving = False
        v = QVBoxLayout(self)
        hint = QLabel(
            translate(
                "EnrolmentsPanel",
                "Amounts are the total in yuan over the months given (1–12). "
                "Record unavoidable medical or disability costs as 刚性支出; "
                "the rules decide what is counted or excluded.",
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        v.addWidget(hint)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                translate("EnrolmentsPanel", "Kind"),
                translate("EnrolmentsPanel", "Subtype"),
                translate("EnrolmentsPanel", "Member"),
                translate("EnrolmentsPanel", "Amount (yuan)"),
                translate("EnrolmentsPanel", "Months"),
                translate("EnrolmentsPanel", "Note"),
            ]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(30)
        fit_columns(self.table, [120, 150, 120, 120, 70])
        v.addWidget(self.table)
        bar = QHBoxLayout()
        self.add_button = QPushButton(translate("EnrolmentsPanel", "Add item"))
        self.add_button.clicked.connect(lambda: self.add_row(None))
        self.remove_button = QPushButton(translate("EnrolmentsPanel", "Remove item"))
        self.remove_button.clicked.connect(self.remove_row)
        self.save_button = QPushButton(translate("EnrolmentsPanel", "Save income items"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(translate("EnrolmentsPanel", "Undo changes"))
        self.revert_button.clicked.connect(self.reload)
        for b in (self.add_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        self.can_write = session.can(permissions.WRITE_REGISTER)
        if not self.can_write:
            for b in (self.add_button, self.remove_button, self.save_button):
                b.setEnabled(False)
                b.setToolTip(translate("EnrolmentsPanel", "Your role may not change the register."))
        v.addLayout(bar)

    # --- loading

    def show_items(self, items: list[IncomeRecord], members: list[Member], version: str | None = None) -> None:
        """Show *items*; *version* is the list's version as read (``income_version``), stated on save."""
        self.members = members
        self.read_version = version
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)

    def reload(self) -> None:
        hid = self.household_id
        (
            Op(self, lambda s, _p: (s.income.income_items(hid), s.income.income_version(hid)))
            .success(lambda result: self.show_items(result[0], self.members, result[1]))
            .failure(self._refused)
            .run()
        )

    # --- rows

    def add_row(self, item: IncomeRecord | None = None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        kind = QComboBox()
        kind.addItems([*INCOME_KINDS, DEDUCTION_KIND])
        if item is not None:
            kind.setCurrentText(item.kind)
        self.table.setCellWidget(r, 0, kind)
        subtype = QLineEdit(item.subtype if item else "")
        subtype.setPlaceholderText(translate("EnrolmentsPanel", "e.g. 务工, 种植"))
        self.table.setCellWidget(r, 1, subtype)
        member = QComboBox()
        member.addItem(translate("EnrolmentsPanel", "Whole household"), "")
        for m in self.members:
            member.addItem(m.name, m.id)
        if item is not None and item.member_id:
            member.setCurrentIndex(max(member.findData(item.member_id), 0))
        self.table.setCellWidget(r, 2, member)
        amount = YuanEdit()
        if item is not None:
            amount.set_fen(item.amount_fen)
        self.table.setCellWidget(r, 3, amount)
        months_box = QSpinBox()
        months_box.setRange(1, 12)
        months_box.setValue(item.months if item else 12)
        months_box.setSuffix(translate("EnrolmentsPanel", " mo."))
        self.table.setCellWidget(r, 4, months_box)
        self.table.setCellWidget(r, 5, QLineEdit(item.note if item else ""))
        # The id travels with the row so the service can keep an item's history.
        kind.setProperty("income_id", item.id if item else "")
        kind.setProperty("income_version", item.updated_at if item else "")
        if item is None:
            kind.setFocus()
        return r

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            r = self.table.rowCount() - 1
        if r >= 0:
            self.table.removeRow(r)

    # --- saving

    def _cell(self, row: int, col: int, kind: type[W]) -> W:
        widget = self.table.cellWidget(row, col)
        assert isinstance(widget, kind)
        return widget

    def records(self) -> list[IncomeRecord]:
        """The rows as items, read on the GUI thread; a bad amount is refused naming its row."""
        out = []
        for r in range(self.table.rowCount()):
            kind = self._cell(r, 0, QComboBox)
            try:
                fen = self._cell(r, 3, YuanEdit).fen()
            except ValueError as exc:
                raise InvalidInput(
                    translate("EnrolmentsPanel", "Item %1: %2").replace("%1", str(r + 1)).replace("%2", str(exc)),
                    field="amount_fen",
                    item=r,
                ) from None
            out.append(
                IncomeRecord(
                    id=kind.property("income_id") or "",
                    updated_at=kind.property("income_version") or "",
                    household_id=self.household_id,
                    kind=kind.currentText(),
                    subtype=self._cell(r, 1, QLineEdit).text().strip(),
                    member_id=self._cell(r, 2, QComboBox).currentData() or "",
                    amount_fen=fen,
                    months=self._cell(r, 4, QSpinBox).value(),
                    note=self._cell(r, 5, QLineEdit).text().strip(),
                )
            )
        return out

    def save(self) -> Op[Any] | None:
        """Read the rows, then write them in a write op (None when refused before writing)."""
        if self.saving or not self.can_write:
            return None
        try:
            items = self.records()
        except InvalidInput as exc:
            self._refused(exc)
            return None
        self._set_saving(True)
        hid, version = self.household_id, self.read_version
        return (
            Op(self, lambda s, _p: s.income.set_income_items(hid, items, read_version=version), write=True)
            .success(self._saved)
            .failure(self._refused)
            .run()
        )

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        self.save_button.setEnabled(self.can_write and not on)

    def _saved(self, _result: Any) -> None:
        self._set_saving(False)
        # The panel reloads the items and the assessment from the op's changes.
        self.message.info(translate("EnrolmentsPanel", "Income items saved; the assessment below is updated."))

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if not isinstance(exc, (DoudiError, ValueError)):
            raise exc
        self.message.error(error_sentence(exc))
        if isinstance(exc, ChangedMeanwhile):
            self.reload()  # the list as it is stored now; the sentence says why the edit was not saved
            return
        row = getattr(exc, "item", None)
        if row is not None and 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, 3 if getattr(exc, "field", "") == "amount_fen" else 0)
