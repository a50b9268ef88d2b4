"""Undo the latest step of an enrolment, recorded by mistake: the reviewer's correction.

The reason is required and goes into the audit log with the undo; the service decides whether the
step may still be undone (not the application itself, not once a month it paid is locked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...errors import InvalidInput
from ..widgets import FormDialog

if TYPE_CHECKING:
    from ...domain.entities import Enrolment
    from ...services.enrolments import EnrolmentView
    from ...services.session import Session

translate = QCoreApplication.translate


class UndoStepDialog(FormDialog):
    def __init__(self, view: EnrolmentView, parent: QWidget | None = None) -> None:
        self.enrolment = view.enrolment
        last = view.steps[-1].step if view.steps else ""
        super().__init__(
            translate("EnrolmentsPanel", "Undo the last step"),
            parent,
            read=self.read_values,
            write=self.record,
            intro=translate(
                "EnrolmentsPanel",
                "%1: undo “%2”, recorded by mistake. The enrolment returns to the step before it; "
                "the undo and its reason are kept in the change log.",
            )
            .replace("%1", self.enrolment.programme)
            .replace("%2", last),
        )
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(70)
        self.reason.setPlaceholderText(translate("EnrolmentsPanel", "Required: what was recorded wrongly."))
        self.add_row(translate("EnrolmentsPanel", "Reason (required)"), self.reason, field="reason")

    def read_values(self) -> dict[str, Any]:
        reason = self.reason.toPlainText().strip()
        if not reason:
            raise InvalidInput(translate("EnrolmentsPanel", "Write why the step is undone."), field="reason")
        return {"reason": reason}

    def record(self, s: Session, values: dict[str, Any]) -> Enrolment:
        return s.enrolments.undo_last_step(self.enrolment.id, values["reason"], read_version=self.enrolment.updated_at)
