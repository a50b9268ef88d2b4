"""Approve an application (在保 out of 审核审批): from which month it is paid, the monthly amount and
class, prefilled from the policy assessment for that month.

An amount the assessment does not give needs a 一事一议 reason (who decided, when, why); the domain
says when (``needs_case_by_case_reason``), the label turns red as soon as it does, and OK is
refused without it. The assessment is read in an op whenever the first month changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit

from ...domain.workflow import needs_case_by_case_reason, payment_start_month
from ...errors import DoudiError, InvalidInput
from ..ops import Op
from ..widgets import ERROR_COLOR, WARN_COLOR, MonthEdit, YuanEdit, error_sentence, yuan
from .step_dialog import StepDialog

translate = QCoreApplication.translate


class ApproveDialog(StepDialog):
    def extra_rows(self) -> None:
        self.computed: int | None = None
        self.start_month = MonthEdit(payment_start_month(date.today()))
        self.amount = YuanEdit()
        self.class_code = QComboBox()  # the classes of the policy book in force in the first month
        self.computed_label = QLabel()
        self.computed_label.setWordWrap(True)
        self.computed_label.setMinimumWidth(480)
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(70)
        self.reason.setPlaceholderText(
            translate(
                "EnrolmentsPanel",
                "Required when the amount differs from the assessment: the 一事一议 decision (who decided, when, why).",
            )
        )
        self.reason_label = QLabel(translate("EnrolmentsPanel", "一事一议 reason"))
        self.add_row(translate("EnrolmentsPanel", "Paid from"), self.start_month, field="start_month")
        self.add_row("", self.computed_label)
        self.add_row(translate("EnrolmentsPanel", "Monthly amount (yuan)"), self.amount, field="monthly_amount_fen")
        self.add_row(translate("EnrolmentsPanel", "Class"), self.class_code, field="class_code")
        self.form.addRow(self.reason_label, self.reason)
        self.fields.update(
            start_month=self.start_month,
            amount=self.amount,
            class_code=self.class_code,
            reason=self.reason,
            case_by_case_reason=self.reason,
            computed=self.computed_label,
            reason_label=self.reason_label,
        )
        self.amount.textChanged.connect(lambda _t: self.update_reason())
        self.start_month.month_changed.connect(lambda _m: self.prefill())
        self.prefill()

    # --- the assessment this approval starts from

    def prefill(self) -> None:
        e, month = self.enrolment, self.start_month.month()
        (
            Op(
                self,
                lambda s, _p: (
                    s.enrolments.class_codes(month),
                    s.enrolments.decision_for(e.household_id, e.programme, e.member_id, month),
                ),
            )
            .success(lambda got: self._show_decision(got[1], month, got[0]))
            .failure(self._assessment_failed)
            .run()
        )

    def _assessment_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (DoudiError, ValueError)):
            raise exc
        self.computed_label.setText(error_sentence(exc))

    def _show_decision(self, d, month: str, codes: list[str] | None = None) -> None:
        e = self.enrolment
        if codes is not None:
            current = self.class_code.currentText() or e.class_code
            self.class_code.clear()
            self.class_code.addItems(codes)
            self.class_code.setCurrentText(current)
        if d is not None and d.eligible:
            self.computed = d.monthly_amount_fen
            self.amount.set_fen(d.monthly_amount_fen)
            self.class_code.setCurrentText(d.class_code or e.class_code)
            self.computed_label.setText(
                translate("EnrolmentsPanel", "Assessment for %1: %2 yuan a month, %3 persons, class %4.")
                .replace("%1", month)
                .replace("%2", yuan(d.monthly_amount_fen))
                .replace("%3", str(d.persons_covered))
                .replace("%4", d.class_code or "—")
            )
            self.computed_label.setStyleSheet("")
        else:
            self.computed = None
            self.amount.clear()
            why = "；".join(d.reasons[-2:]) if d is not None else ""
            self.computed_label.setText(
                translate(
                    "EnrolmentsPanel",
                    "The assessment finds the household not eligible for %1 (%2). "
                    "Approval is possible only case by case (一事一议): enter the "
                    "amount and the reason.",
                )
                .replace("%1", e.programme)
                .replace("%2", why)
            )
            self.computed_label.setStyleSheet(f"color: {WARN_COLOR};")
        self.fit_label(self.computed_label)
        self.update_reason()

    # --- the 一事一议 reason

    def _typed_fen(self) -> int | None:
        try:
            return self.amount.fen()
        except ValueError:
            return None

    def reason_needed(self) -> bool:
        return needs_case_by_case_reason(self._typed_fen(), self.computed)

    def update_reason(self) -> None:
        need = self.reason_needed()
        self.reason_label.setText(
            translate("EnrolmentsPanel", "一事一议 reason (required)")
            if need
            else translate("EnrolmentsPanel", "一事一议 reason")
        )
        self.reason_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if need else "")

    def extra_values(self) -> dict[str, Any]:
        text = self.reason.toPlainText().strip()
        if self.reason_needed() and not text:
            raise InvalidInput(
                translate("EnrolmentsPanel", "The amount differs from the assessment: write the 一事一议 reason."),
                field="case_by_case_reason",
            )
        return {
            "monthly_amount_fen": self.amount.fen(),
            "class_code": self.class_code.currentText(),
            "start_month": self.start_month.month(),
            "case_by_case_reason": text,
        }
