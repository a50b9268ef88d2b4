"""Record an application (申请): which programme, when, for the whole household or one member
(单人保), with an optional class and note. The service refuses a second open application for
the same programme and person.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ...domain.entities import PROGRAMMES
from ..widgets import DateEdit, FormDialog

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...domain.entities import Enrolment, Member
    from ...services.session import Session

translate = QCoreApplication.translate


class ApplyDialog(FormDialog):
    def __init__(self, household_id: str, members: Sequence[Member], parent: QWidget | None = None) -> None:
        self.household_id = household_id
        super().__init__(
            translate("EnrolmentsPanel", "Apply for programme"), parent, read=self.read_values, write=self.record
        )
        self.programme = QComboBox()
        self.programme.addItems(list(PROGRAMMES))
        self.applied = DateEdit(date.today())
        self.member = QComboBox()
        self.member.addItem(translate("EnrolmentsPanel", "Whole household"), "")
        for m in members:
            self.member.addItem(f"{m.name}（{m.relation}）", m.id)
        self.single = QCheckBox(translate("EnrolmentsPanel", "单人保: enrol this member alone"))
        self.single.setEnabled(False)
        self.member.currentIndexChanged.connect(lambda _i: self._member_changed())
        self.class_code = QLineEdit()
        self.class_code.setPlaceholderText(
            translate("EnrolmentsPanel", "optional; the reviewer can set it on approval")
        )
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.add_row(translate("EnrolmentsPanel", "Programme"), self.programme, field="programme")
        self.add_row(translate("EnrolmentsPanel", "Applied on"), self.applied, field="applied_on")
        self.add_row(translate("EnrolmentsPanel", "For"), self.member, field="member_id")
        self.add_row("", self.single)
        self.add_row(translate("EnrolmentsPanel", "Class"), self.class_code, field="class_code")
        self.add_row(translate("EnrolmentsPanel", "Note"), self.note, field="note")
        self.fields.update(member=self.member, single=self.single)

    def _member_changed(self) -> None:
        # 单人保 is about one member: it cannot be ticked for the whole household.
        one = bool(self.member.currentData())
        self.single.setEnabled(one)
        self.single.setChecked(self.single.isChecked() and one)

    def read_values(self) -> dict[str, Any]:
        return {
            "programme": self.programme.currentText(),
            "applied_on": self.applied.value(),
            "member_id": self.member.currentData() or "",
            "single_person": self.single.isChecked(),
            "class_code": self.class_code.text().strip(),
            "note": self.note.toPlainText().strip(),
        }

    def record(self, s: Session, values: dict[str, Any]) -> Enrolment:
        values = dict(values)
        return s.enrolments.apply(self.household_id, values.pop("programme"), **values)
