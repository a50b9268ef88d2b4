"""Record one workflow step of an enrolment: its date and a note, which is the written reason when
the domain says the step needs one (a 停保 or a 不予批准 is told to the household in writing).

The plain steps (入户调查, 民主评议, 审核审批, 渐退, back to 在保) use this dialog as is; the 公示 and
the approval add their own fields in subclasses. The step is recorded in a write op; the service
checks every rule again and its refusal is shown in the dialog, which stays open.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from ...domain import months
from ...domain.workflow import Status, needs_written_reason, written_reason_problem
from ...errors import DoudiError, InvalidInput
from ..ops import Op
from ..widgets import WARN_COLOR, DateEdit, FormDialog
from .texts import decision_text, step_intro, step_title

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...domain.entities import Enrolment, Member
    from ...services.enrolments import EnrolmentView
    from ...services.session import Session

translate = QCoreApplication.translate


class StepDialog(FormDialog):
    """One step of ``view`` (an EnrolmentView): the date, the note, and whatever ``extra_rows`` adds."""

    def __init__(
        self, view: EnrolmentView, step: str, members: Sequence[Member], parent: QWidget | None = None
    ) -> None:
        self.view = view
        self.enrolment = view.enrolment
        self.step = step
        self.members = members
        self.reason_required = needs_written_reason(step, self.enrolment.status)
        super().__init__(
            step_title(self.enrolment.status, step),
            parent,
            read=self.read_values,
            write=self.record,
            intro=step_intro(view, members, step),
        )
        self.on = DateEdit(date.today())
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        if self.reason_required:
            self.note.setPlaceholderText(
                translate("EnrolmentsPanel", "Required: the reason, which is told to the household in writing.")
            )
        elif step == Status.SURVEY:
            self.note.setPlaceholderText(
                translate("EnrolmentsPanel", "Who visited (at least two investigators) and what was found.")
            )
        elif step == Status.TAPER:
            self.note.setPlaceholderText(
                translate("EnrolmentsPanel", "Why the household's income is now above the standard.")
            )
        self.add_row(translate("EnrolmentsPanel", "Date"), self.on, field="on")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARN_COLOR}; font-weight: bold;")
        self.warning.hide()
        self.add_row("", self.warning)
        self.fields["warning"] = self.warning
        if step == Status.SURVEY:
            self.warn_if_not_eligible()
        self.extra_rows()
        self.add_row(
            translate("EnrolmentsPanel", "Reason (required)")
            if self.reason_required
            else translate("EnrolmentsPanel", "Note"),
            self.note,
            field="note",
        )

    def warn_if_not_eligible(self) -> None:
        """Before 入户调查: say so when the assessment already finds the household not eligible.

        A warning, not a refusal: the survey may find what the register does not show yet.
        """
        e, month = self.enrolment, months.of(date.today())
        (
            Op(self, lambda s, _p: s.enrolments.decision_for(e.household_id, e.programme, e.member_id, month))
            .success(self._warn)
            .failure(lambda exc: None if isinstance(exc, (DoudiError, ValueError)) else self._reraise(exc))
            .run()
        )

    @staticmethod
    def _reraise(exc: BaseException) -> None:
        raise exc

    def _warn(self, decision) -> None:
        if decision is not None and not decision.eligible:
            self.warning.setText(
                decision_text(self.enrolment.programme, decision)
                + " "
                + translate("EnrolmentsPanel", "Check before the home investigation; you may still record it.")
            )
            self.warning.show()
            self.fit_label(self.warning)

    def extra_rows(self) -> None:
        """Rows a step adds between the date and the note."""

    def fit_label(self, label: QLabel) -> None:
        """Reserve the height a wrapped ``label`` needs at the dialog's width, then let the dialog grow.

        QFormLayout does not ask a wrapped label for its height at a width, so it got one line and
        the rows below overlapped at 1366x768 (the 一事一议 box over 备注, the error line hidden).
        """
        width = max(label.width(), self.minimumWidth() - 40)
        label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)
        self.adjustSize()

    def show_error(self, text: str, field: str = "") -> None:
        super().show_error(text, field)
        self.fit_label(self.error)

    def extra_values(self) -> dict[str, Any]:
        """The step's own arguments for ``advance``, read from its rows (ValueError/InvalidInput refuse)."""
        return {}

    def read_values(self) -> dict[str, Any]:
        note = self.note.toPlainText().strip()
        problem = written_reason_problem(self.step, self.enrolment.status, note)
        if problem:
            raise InvalidInput(problem, field="note")
        return {"on": self.on.value(), "note": note, **self.extra_values()}

    def record(self, s: Session, values: dict[str, Any]) -> Enrolment:
        return s.enrolments.advance(self.enrolment.id, self.step, read_version=self.enrolment.updated_at, **values)
