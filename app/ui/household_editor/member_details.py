"""The selected member's other facts, beside the members grid.

With every field a column, the grid scrolled sideways on a 1366-pixel screen and the clerk lost the
name while ticking insurance. The grid keeps what tells the members apart (name, ID number,
relation, age, labour ability, health); disability, schooling, self-care, 留守, insurance, work,
death and notes are edited here for the member selected in the grid. The pane writes through the
same model, so saving, the unsaved-changes check and a refusal's mark work as for a grid cell.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..widgets import DateEdit
from ..widgets.palette import ERROR_BACKGROUND
from .members_model import MEMBER_COLUMNS, MembersModel

Index = QModelIndex | QPersistentModelIndex


class MemberDetails(QGroupBox):
    """Edits the fields of one member row that the grid does not show."""

    def __init__(self, model: MembersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.row: int | None = None
        self._filling = False
        kinds = {c.field: c for c in MEMBER_COLUMNS}

        def combo(field: str) -> QComboBox:
            box = QComboBox()
            for v in kinds[field].choices:
                box.addItem(v or QCoreApplication.translate("HouseholdEditor", "(none)"), v)
            box.currentIndexChanged.connect(lambda _i, f=field, b=box: self._write(f, b.currentData()))
            return box

        def check(field: str, text: str) -> QCheckBox:
            box = QCheckBox(text)
            box.toggled.connect(lambda on, f=field: self._write(f, on))
            return box

        def line(field: str) -> QLineEdit:
            edit = QLineEdit()
            edit.textChanged.connect(lambda text, f=field: self._write(f, text))
            return edit

        self.disability_type = combo("disability_type")
        self.disability_grade = QSpinBox()
        self.disability_grade.setRange(0, 4)
        self.disability_grade.setSpecialValueText(QCoreApplication.translate("HouseholdEditor", "none"))
        self.disability_grade.valueChanged.connect(lambda v: self._write("disability_grade", v))
        self.disability_cert = line("disability_cert")
        self.disability_cert.setPlaceholderText(self.tr("Certificate number"))
        self.schooling = combo("schooling")
        self.self_care = combo("self_care")
        self.left_behind = combo("left_behind")
        self.medical_insurance = check("medical_insurance", self.tr("Medical insurance"))
        self.pension_insurance = check("pension_insurance", self.tr("Pension insurance"))
        self.employed = check("employed", self.tr("Employed"))
        self.deceased = QCheckBox(self.tr("Died on"))
        self.deceased_on = DateEdit(maximum=date.today())
        self.deceased.toggled.connect(self._deceased_toggled)
        self.deceased_on.dateChanged.connect(lambda _d: self._write_death())
        self.notes = line("notes")
        # The widget of each field, where a refusal naming the field puts the cursor.
        self.widgets: dict[str, QWidget] = {
            "disability_type": self.disability_type,
            "disability_grade": self.disability_grade,
            "disability_cert": self.disability_cert,
            "schooling": self.schooling,
            "self_care": self.self_care,
            "left_behind": self.left_behind,
            "medical_insurance": self.medical_insurance,
            "pension_insurance": self.pension_insurance,
            "employed": self.employed,
            "deceased_on": self.deceased_on,
            "notes": self.notes,
        }

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        disability = QHBoxLayout()
        disability.addWidget(self.disability_type, 1)
        disability.addSpacing(6)
        disability.addWidget(QLabel(self.tr("Grade")))
        disability.addWidget(self.disability_grade, 1)
        rows: list[tuple[str, Any]] = [
            (self.tr("Disability"), disability),
            (self.tr("Certificate"), self.disability_cert),
            (self.tr("Schooling"), self.schooling),
            (self.tr("Self-care"), self.self_care),
            (self.tr("Left behind"), self.left_behind),
            (self.tr("Insurance"), _row(self.medical_insurance, self.pension_insurance)),
            (self.tr("Work"), _row(self.employed)),
            (self.tr("Death"), _row(self.deceased, self.deceased_on)),
            (self.tr("Notes"), self.notes),
        ]
        for r, (label, field) in enumerate(rows):
            grid.addWidget(QLabel(label), r, 0)
            if isinstance(field, QWidget):
                grid.addWidget(field, r, 1)
            else:
                grid.addLayout(field, r, 1)
        # The member's own papers (残疾证, 病历): a saved member only, since a paper needs its row.
        self.papers_button = QPushButton(self.tr("Papers…"))
        self.papers_button.setAutoDefault(False)
        self.papers_button.clicked.connect(lambda _checked=False: self.open_papers())
        grid.addWidget(self.papers_button, len(rows), 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(rows) + 1, 1)
        self.papers: QDialog | None = None

        model.dataChanged.connect(self._model_changed)
        model.modelReset.connect(lambda: self.show_row(0 if model.rowCount() else None))
        model.rowsRemoved.connect(lambda *_: self.show_row(min(self.row or 0, model.rowCount() - 1)))
        self.show_row(None)

    # --- showing -------------------------------------------------------------

    def show_row(self, row: int | None) -> None:
        """Show member *row* (None, or a row that is gone: nothing to edit)."""
        if row is None or not 0 <= row < self.model.rowCount():
            row = None
        self.row = row
        self.setEnabled(row is not None)
        self._filling = True
        try:
            self._fill()
        finally:
            self._filling = False

    def open_papers(self) -> QDialog | None:
        """The selected member's attachments, in a dialog of their own."""
        from ..attachments import open_attachments

        if self.row is None or not self.model.members[self.row].id:
            return None
        m = self.model.members[self.row]
        self.papers = open_attachments(self, "members", m.id, self.tr("Papers of %1").replace("%1", m.name))
        return self.papers

    def _fill(self) -> None:
        row = self.row
        if row is None:
            self.setTitle(self.tr("Member details"))
            return
        m = self.model.members[row]
        saved = bool(m.id)
        self.papers_button.setEnabled(saved)
        self.papers_button.setToolTip("" if saved else self.tr("Save the household first, then attach papers."))
        self.setTitle(
            self.tr("Details of member %1: %2")
            .replace("%1", str(row + 1))
            .replace("%2", m.name or self.tr("no name yet"))
        )
        for field in ("disability_type", "schooling", "self_care", "left_behind"):
            box = self.widgets[field]
            assert isinstance(box, QComboBox)
            box.setCurrentIndex(max(0, box.findData(getattr(m, field))))
        self.disability_grade.setValue(int(m.disability_grade or 0))
        for field in ("disability_cert", "notes"):
            edit = self.widgets[field]
            assert isinstance(edit, QLineEdit)
            if edit.text() != getattr(m, field):  # keep the cursor where the clerk is typing
                edit.setText(getattr(m, field))
        for field in ("medical_insurance", "pension_insurance", "employed"):
            box = self.widgets[field]
            assert isinstance(box, QCheckBox)
            box.setChecked(bool(getattr(m, field)))
        self.deceased.setChecked(m.deceased_on is not None)
        self.deceased_on.setEnabled(m.deceased_on is not None)
        if m.deceased_on is not None:
            self.deceased_on.set_value(m.deceased_on)
        self._show_mark()

    def _show_mark(self) -> None:
        """The field a refusal named, in the refusal's colour (as a grid cell is)."""
        bad = self.model.bad_field if self.row is not None and self.row == self.model.bad_row else None
        for field, widget in self.widgets.items():
            widget.setStyleSheet(f"background: {ERROR_BACKGROUND};" if field == bad else "")

    def focus_field(self, field: str) -> bool:
        """Put the cursor on *field* if it is edited here (after a refusal named it)."""
        widget = self.widgets.get(field)
        if widget is None:
            return False
        widget.setFocus()
        return True

    def _model_changed(self, top: Index, bottom: Index, *_roles: Any) -> None:
        if self.row is not None and top.row() <= self.row <= bottom.row() and not self._filling:
            self.show_row(self.row)

    # --- writing -------------------------------------------------------------

    def _write(self, field: str, value: Any) -> None:
        if self._filling or self.row is None:
            return
        col = self.model.column_of(field)
        assert col is not None  # every field here is a column of the model
        role = Qt.ItemDataRole.CheckStateRole if isinstance(value, bool) else Qt.ItemDataRole.EditRole
        if isinstance(value, bool):
            value = (Qt.CheckState.Checked if value else Qt.CheckState.Unchecked).value
        self.model.setData(self.model.index(self.row, col), value, role)

    def _deceased_toggled(self, on: bool) -> None:
        self.deceased_on.setEnabled(on)
        self._write_death()

    def _write_death(self) -> None:
        self._write("deceased_on", self.deceased_on.value() if self.deceased.isChecked() else None)


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row
