"""Record an application (申请): which programme, when, for the whole household or one member
(单人保), with an optional class and note. The service refuses a second open application for
the same programme and person.

The programme's assessment for the household is shown while the clerk fills it in (read in an op
whenever the programme, the member or the month changes), so a household that is clearly not
eligible is seen at the start, not only at the approval. The classes offered are the policy
book's for the month applied in.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QWidget

from ...domain import months
from ...domain.entities import PROGRAMMES
from ...errors import DoudiError
from ..ops import Op
from ..widgets import OK_COLOR, WARN_COLOR, DateEdit, FormDialog, error_sentence
from .texts import decision_text

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
        self.class_code = QComboBox()
        self.class_code.setToolTip(translate("EnrolmentsPanel", "Optional: the reviewer can set it on approval."))
        self.assessment = QLabel()
        self.assessment.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.add_row(translate("EnrolmentsPanel", "Programme"), self.programme, field="programme")
        self.add_row(translate("EnrolmentsPanel", "Applied on"), self.applied, field="applied_on")
        self.add_row(translate("EnrolmentsPanel", "For"), self.member, field="member_id")
        self.add_row("", self.single)
        self.add_row(translate("EnrolmentsPanel", "Class"), self.class_code, field="class_code")
        self.add_row(translate("EnrolmentsPanel", "Assessment"), self.assessment)
        self.add_row(translate("EnrolmentsPanel", "Note"), self.note, field="note")
        self.fields.update(member=self.member, single=self.single, assessment=self.assessment)
        self.programme.currentIndexChanged.connect(lambda _i: self.reassess())
        self.member.currentIndexChanged.connect(lambda _i: self.reassess())
        self.applied.dateChanged.connect(lambda _d: self.reassess())
        self.reassess()

    def reassess(self) -> None:
        hid, programme = self.household_id, self.programme.currentText()
        member, month = self.member.currentData() or "", months.of(self.applied.value() or date.today())
        (
            Op(
                self,
                lambda s, _p: (
                    s.enrolments.class_codes(month),
                    s.enrolments.decision_for(hid, programme, member, month),
                ),
            )
            .success(lambda got: self._show(got[0], got[1]))
            .failure(self._failed)
            .run()
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (DoudiError, ValueError)):
            raise exc
        self.assessment.setText(error_sentence(exc))
        self.assessment.setStyleSheet(f"color: {WARN_COLOR};")

    def _show(self, codes: list[str], decision) -> None:
        current = self.class_code.currentData() or ""
        self.class_code.clear()
        self.class_code.addItem(translate("EnrolmentsPanel", "(set on approval)"), "")
        for code in codes:
            self.class_code.addItem(code, code)
        self.class_code.setCurrentIndex(max(0, self.class_code.findData(current)))
        self.assessment.setText(decision_text(self.programme.currentText(), decision))
        eligible = decision is not None and decision.eligible
        self.assessment.setStyleSheet(f"color: {OK_COLOR if eligible else WARN_COLOR};")

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
            "class_code": self.class_code.currentData() or "",
            "note": self.note.toPlainText().strip(),
        }

    def record(self, s: Session, values: dict[str, Any]) -> Enrolment:
        values = dict(values)
        return s.enrolments.apply(self.household_id, values.pop("programme"), **values)
