"""Record the 公示: the notice's first and last day, with the domain's 7-day rule shown as they are
picked (green when it holds, red with the count when it does not), and OK refused until it holds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from ...domain.workflow import PUBLICITY_DAYS, publicity_days, publicity_end, publicity_problem
from ...errors import InvalidInput
from ..widgets import ERROR_COLOR, OK_COLOR, DateEdit
from .step_dialog import StepDialog

translate = QCoreApplication.translate


class PublicityDialog(StepDialog):
    def extra_rows(self) -> None:
        today = date.today()
        self.publicity_from = DateEdit(today)
        self.publicity_to = DateEdit(publicity_end(today))
        self.rule = QLabel()
        self.add_row(translate("EnrolmentsPanel", "Notice from"), self.publicity_from, field="publicity_from")
        self.add_row(translate("EnrolmentsPanel", "Notice until"), self.publicity_to, field="publicity_to")
        self.add_row("", self.rule)
        self.fields["rule"] = self.rule
        self.publicity_from.dateChanged.connect(lambda _d: self.update_rule())
        self.publicity_to.dateChanged.connect(lambda _d: self.update_rule())
        self.update_rule()

    def update_rule(self) -> None:
        start, end = self.publicity_from.value(), self.publicity_to.value()
        ok = publicity_problem(start, end) is None
        self.rule.setText(
            translate("EnrolmentsPanel", "%1 days; the notice must stay up at least %2 days (S1 第十九条).")
            .replace("%1", str(publicity_days(start, end)))
            .replace("%2", str(PUBLICITY_DAYS))
        )
        self.rule.setStyleSheet(f"color: {OK_COLOR if ok else ERROR_COLOR};")

    def extra_values(self) -> dict[str, Any]:
        start, end = self.publicity_from.value(), self.publicity_to.value()
        problem = publicity_problem(start, end)
        if problem:
            raise InvalidInput(problem, field="publicity_to")
        return {"publicity_from": start, "publicity_to": end}
