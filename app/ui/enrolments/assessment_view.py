"""The policy assessment of one household for a chosen month, shown so a reviewer can redo it by hand:
the income step by step, every programme's decision, and the reasons of the selected one.

Nothing here computes policy: the decisions, their reasons and the unconfirmed parameters come
from the programmes service, read in an op whenever the month changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import DoudiError
from ..i18n import QT_TRANSLATE_NOOP
from ..ops import Op
from ..widgets import (
    CENTER,
    OK_COLOR,
    RIGHT,
    WARN_COLOR,
    Col,
    ListTableModel,
    MessageBar,
    MonthEdit,
    error_sentence,
    fit_columns,
    setup_table,
    yuan,
)

if TYPE_CHECKING:
    from ...domain.entities import Member

translate = QCoreApplication.translate

UNCONFIRMED = "未确认"


class AssessmentView(QWidget):
    def __init__(self, household_id: str, message: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household_id = household_id
        self.message = message
        self.members: list[Member] = []
        self.assessment = None
        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("EnrolmentsPanel", "Month:")))
        self.month = MonthEdit()
        bar.addWidget(self.month)
        self.assess_button = QPushButton(translate("EnrolmentsPanel", "Assess"))
        self.assess_button.clicked.connect(self.run)
        self.month.month_changed.connect(lambda _m: self.run())
        bar.addWidget(self.assess_button)
        self.per_capita_label = QLabel()
        bar.addSpacing(16)
        bar.addWidget(self.per_capita_label)
        bar.addStretch(1)
        v.addLayout(bar)
        self.unconfirmed_label = QLabel()
        self.unconfirmed_label.setWordWrap(True)
        self.unconfirmed_label.setStyleSheet(f"color: {WARN_COLOR};")
        self.unconfirmed_label.hide()
        v.addWidget(self.unconfirmed_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QGroupBox(translate("EnrolmentsPanel", "Income, step by step"))
        lv = QVBoxLayout(left)
        self.income_steps = QPlainTextEdit()
        self.income_steps.setReadOnly(True)
        lv.addWidget(self.income_steps)
        split.addWidget(left)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.decision_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Programme"),
                    lambda d: (
                        d.programme
                        + (f"（{self.member_name(d.single_person_member)}）" if d.single_person_member else "")
                    ),
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Result"),
                    lambda d: (
                        translate("EnrolmentsPanel", "Eligible")
                        if d.eligible
                        else translate("EnrolmentsPanel", "Not eligible")
                    ),
                    CENTER,
                    context="EnrolmentsPanel",
                    color=lambda d: OK_COLOR if d.eligible else "#777777",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Class"),
                    lambda d: d.class_code,
                    CENTER,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Persons"),
                    lambda d: d.persons_covered or "",
                    RIGHT,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Amount (yuan)"),
                    lambda d: yuan(d.monthly_amount_fen) if d.eligible else "",
                    RIGHT,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Paid"),
                    lambda d: _payment_text(d.payment),
                    CENTER,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Parameters"),
                    lambda d: UNCONFIRMED if any(UNCONFIRMED in r for r in d.reasons) else "",
                    CENTER,
                    context="EnrolmentsPanel",
                    color=lambda d: WARN_COLOR,
                ),
            ]
        )
        self.decision_table = QTableView()
        self.decision_table.setModel(self.decision_model)
        setup_table(self.decision_table)
        fit_columns(self.decision_table, [170, 70, 50, 45, 90, 60])
        self.decision_table.selectionModel().selectionChanged.connect(lambda *_: self._show_reasons())
        rv.addWidget(self.decision_table, 3)
        rv.addWidget(QLabel(translate("EnrolmentsPanel", "Reasons")))
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        rv.addWidget(self.reasons, 2)
        split.addWidget(right)
        split.setSizes([380, 620])
        v.addWidget(split, 1)

    def run(self) -> None:
        hid, month = self.household_id, self.month.month()
        (
            Op(self, lambda s, _p: (s.income.assess(hid, month), s.policy.policy_book().for_month(month)))
            .success(lambda result: self.show_assessment(*result, month))
            .failure(self._failed)
            .run()
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (DoudiError, ValueError)):
            raise exc
        self.decision_model.set_rows([])
        self.income_steps.setPlainText("")
        self.per_capita_label.setText("")
        self.message.error(error_sentence(exc))

    def show_assessment(self, result, params, month: str) -> None:
        self.assessment = result
        inc = result.income
        self.per_capita_label.setText(
            translate("EnrolmentsPanel", "Per-capita monthly income: %1 yuan (%2 persons counted)")
            .replace("%1", yuan(inc.per_capita_monthly_fen))
            .replace("%2", str(inc.persons))
        )
        steps = [self.named(s) for s in inc.steps]
        self.income_steps.setPlainText("\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
        self.decision_model.set_rows(list(result.decisions))
        unconfirmed = list(params.unconfirmed)
        if unconfirmed:
            self.unconfirmed_label.setText(
                translate(
                    "EnrolmentsPanel",
                    "%1 parameters in force for %2 are marked 未确认 (unconfirmed): the "
                    "figures they give must be checked against the county's documents. "
                    "Reasons that use them are shown in orange.",
                )
                .replace("%1", str(len(unconfirmed)))
                .replace("%2", month)
            )
            self.unconfirmed_label.setToolTip("\n".join(params.source_of(k) + "　" + k for k in unconfirmed))
            self.unconfirmed_label.show()
        else:
            self.unconfirmed_label.hide()
        if result.decisions:
            self.decision_table.selectRow(0)
        self._show_reasons()

    def _show_reasons(self) -> None:
        self.reasons.clear()
        rows = self.decision_table.selectionModel().selectedRows()
        d = self.decision_model.row_at(rows[0].row()) if rows else None
        if d is None:
            return
        for text in d.reasons:
            item = QListWidgetItem(self.named(text))
            if UNCONFIRMED in text:
                item.setForeground(QColor(WARN_COLOR))
                item.setToolTip(
                    translate(
                        "EnrolmentsPanel", "This figure is not confirmed; check it against the county's documents."
                    )
                )
            self.reasons.addItem(item)

    def member_name(self, member_id: str | None) -> str:
        return next((m.name for m in self.members if m.id == member_id), "")

    def named(self, text: str) -> str:
        """The rules write members by their reference; show names (once, not 名（名）)."""
        for m in self.members:
            if m.id and m.id in text:
                text = text.replace(f"{m.name}（{m.id}）", m.name).replace(f"（{m.id}）", f"（{m.name}）")
                text = text.replace(m.id, m.name)
        return text


def _payment_text(payment: str) -> str:
    return {
        "monthly": translate("EnrolmentsPanel", "monthly"),
        "one_off": translate("EnrolmentsPanel", "one-off"),
        "none": "—",
    }.get(payment, payment)
