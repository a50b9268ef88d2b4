"""One household's assistance: the policy assessment, its income items, and its enrolments.

Three tabs:

* 救助办理 — the household's enrolments with their step history (who, when, note) and a
  button for each step the workflow allows next; the dialog asks exactly what that step
  needs (公示 dates with the 7-day rule, the 在保 amount prefilled from the assessment with
  a 一事一议 reason that becomes required when the amount differs, the written reason of a
  停保 or 不予批准). Buttons for steps the signed-in role may not take are disabled with a
  tooltip; the service still decides, and its refusal sentence is shown as is.
* 收入项目 — the income items (kind, subtype, member, amount in 元, months) saved together.
* 政策测算 — every programme's decision for a chosen month with its reasons, and the
  income steps so a reviewer can redo the sum by hand; unconfirmed parameters are marked.

Nothing here computes policy: the numbers and reasons come from ``session.programmes``.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import DoudiError
from ..domain.entities import INCOME_KINDS, PROGRAMMES, IncomeRecord
from ..domain.policy import months
from ..services import permissions
from ..services.programmes import APPROVER_STEPS, NEXT_STEPS, PUBLICITY_DAYS
from .widgets import (
    open_dialog,
    CENTER,
    ERROR_COLOR,
    OK_COLOR,
    RIGHT,
    WARN_COLOR,
    Col,
    DateEdit,
    FormDialog,
    ListTableModel,
    MessageBar,
    MonthEdit,
    YuanEdit,
    error_sentence,
    fit_columns,
    setup_table,
    table_item,
    yuan,
)

__all__ = ["EnrolmentsPanel"]

DEDUCTION_KIND = "刚性支出"
UNCONFIRMED = "未确认"


class EnrolmentsPanel(QWidget):
    """The 救助 tab of one household."""

    changed = Signal()          # an enrolment or the income items were written

    def __init__(self, session, household_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.views = []
        self.dialog: FormDialog | None = None
        self._members: list = []
        self._staff_names: dict[str, str] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = MessageBar()
        layout.addWidget(self.message)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_enrolments_tab(), self.tr("Enrolments"))
        self.tabs.addTab(self._build_income_tab(), self.tr("Income items"))
        self.tabs.addTab(self._build_assessment_tab(), self.tr("Policy assessment"))
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build_enrolments_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.apply_button = QPushButton(self.tr("Apply for programme…"))
        self.apply_button.clicked.connect(self.open_apply_dialog)
        if not self.session.can(permissions.RECORD_ENROLMENT):
            self.apply_button.setEnabled(False)
            self.apply_button.setToolTip(self.tr("Your role may not record applications."))
        bar.addWidget(self.apply_button)
        bar.addStretch(1)
        v.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.enrolment_model = ListTableModel([
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Programme"), lambda ev: ev.enrolment.programme, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Covers"), lambda ev: self._covers_text(ev), context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Class"), lambda ev: ev.enrolment.class_code, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Status"), lambda ev: ev.enrolment.status, CENTER, context="EnrolmentsPanel",
                color=lambda ev: _status_color(ev.enrolment.status)),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Monthly (yuan)"), lambda ev: yuan(ev.enrolment.monthly_amount_fen)
                if ev.enrolment.monthly_amount_fen or ev.enrolment.status in ("在保", "渐退") else "",
                RIGHT, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Persons"), lambda ev: ev.enrolment.persons_covered or "", RIGHT, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Paid from"), lambda ev: ev.enrolment.start_month or "", CENTER, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Applied on"), lambda ev: ev.enrolment.applied_on or "", CENTER, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Note"), lambda ev: self._enrolment_note(ev), context="EnrolmentsPanel"),
        ])
        self.enrolment_table = QTableView()
        self.enrolment_table.setModel(self.enrolment_model)
        setup_table(self.enrolment_table)
        fit_columns(self.enrolment_table, [150, 110, 70, 80, 110, 50, 80, 100])
        self.enrolment_table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        split.addWidget(self.enrolment_table)

        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        self.steps_title = QLabel(self.tr("Steps"))
        lv.addWidget(self.steps_title)
        self.steps_table = QTableWidget(0, 4)
        self.steps_table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Date"), self.tr("By"), self.tr("Note")])
        setup_table(self.steps_table)
        fit_columns(self.steps_table, [90, 100, 110])
        lv.addWidget(self.steps_table)
        row = QHBoxLayout()
        self.next_label = QLabel(self.tr("Next step:"))
        row.addWidget(self.next_label)
        self.step_buttons_box = QHBoxLayout()
        row.addLayout(self.step_buttons_box)
        row.addStretch(1)
        lv.addLayout(row)
        self.step_buttons: dict[str, QPushButton] = {}
        split.addWidget(lower)
        split.setSizes([220, 260])
        v.addWidget(split)
        return page

    def _build_income_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        hint = QLabel(self.tr("Amounts are the total in yuan over the months given (1–12). "
                              "Record unavoidable medical or disability costs as 刚性支出; "
                              "the rules decide what is counted or excluded."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        v.addWidget(hint)
        self.income_table = QTableWidget(0, 6)
        self.income_table.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Subtype"), self.tr("Member"), self.tr("Amount (yuan)"), self.tr("Months"),
            self.tr("Note")])
        self.income_table.horizontalHeader().setStretchLastSection(True)
        self.income_table.verticalHeader().setDefaultSectionSize(30)
        fit_columns(self.income_table, [120, 150, 120, 120, 70])
        v.addWidget(self.income_table)
        bar = QHBoxLayout()
        self.add_income_button = QPushButton(self.tr("Add item"))
        self.add_income_button.clicked.connect(lambda: self.add_income_row())
        self.remove_income_button = QPushButton(self.tr("Remove item"))
        self.remove_income_button.clicked.connect(self.remove_income_row)
        self.save_income_button = QPushButton(self.tr("Save income items"))
        self.save_income_button.clicked.connect(self.save_income)
        self.revert_income_button = QPushButton(self.tr("Undo changes"))
        self.revert_income_button.clicked.connect(self._load_income)
        for b in (self.add_income_button, self.remove_income_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.revert_income_button)
        bar.addWidget(self.save_income_button)
        if not self.session.can(permissions.WRITE_REGISTER):
            for b in (self.add_income_button, self.remove_income_button, self.save_income_button):
                b.setEnabled(False)
                b.setToolTip(self.tr("Your role may not change the register."))
        v.addLayout(bar)
        return page

    def _build_assessment_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month:")))
        self.assess_month = MonthEdit()
        bar.addWidget(self.assess_month)
        self.assess_button = QPushButton(self.tr("Assess"))
        self.assess_button.clicked.connect(self.run_assessment)
        self.assess_month.month_changed.connect(lambda _m: self.run_assessment())
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
        left = QGroupBox(self.tr("Income, step by step"))
        lv = QVBoxLayout(left)
        self.income_steps = QPlainTextEdit()
        self.income_steps.setReadOnly(True)
        lv.addWidget(self.income_steps)
        split.addWidget(left)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.decision_model = ListTableModel([
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Programme"), lambda d: d.programme + (f"（{self._member_name(d.single_person_member)}）"
                                                       if d.single_person_member else ""),
                context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Result"), lambda d: self.tr("Eligible") if d.eligible else self.tr("Not eligible"), CENTER,
                context="EnrolmentsPanel", color=lambda d: OK_COLOR if d.eligible else "#777777"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Class"), lambda d: d.class_code, CENTER, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Persons"), lambda d: d.persons_covered or "", RIGHT, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Amount (yuan)"), lambda d: yuan(d.monthly_amount_fen) if d.eligible else "", RIGHT,
                context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Paid"), lambda d: self._payment_text(d.payment), CENTER, context="EnrolmentsPanel"),
            Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Parameters"), lambda d: UNCONFIRMED if any(UNCONFIRMED in r for r in d.reasons) else "", CENTER,
                context="EnrolmentsPanel", color=lambda d: WARN_COLOR),
        ])
        self.decision_table = QTableView()
        self.decision_table.setModel(self.decision_model)
        setup_table(self.decision_table)
        fit_columns(self.decision_table, [170, 70, 50, 45, 90, 60])
        self.decision_table.selectionModel().selectionChanged.connect(lambda *_: self._show_reasons())
        rv.addWidget(self.decision_table, 3)
        rv.addWidget(QLabel(self.tr("Reasons")))
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        rv.addWidget(self.reasons, 2)
        split.addWidget(right)
        split.setSizes([380, 620])
        v.addWidget(split, 1)
        return page

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.message.clear_message()
        try:
            self._members = self.session.households.members(self.household_id)
        except DoudiError as exc:
            self.message.error(error_sentence(exc))
            return
        self._load_enrolments()
        self._load_income()
        self.run_assessment()

    def _load_enrolments(self, select_id: str | None = None) -> None:
        current = select_id or (self.selected().enrolment.id if self.selected() else None)
        self.views = self.session.programmes.enrolments(self.household_id)
        # Steps record the user name; the clerk reads the person's name.
        self._staff_names = {u.username: u.display_name or u.username for u in self.session.users.list()}
        self.enrolment_model.set_rows(self.views)
        row = next((i for i, ev in enumerate(self.views) if ev.enrolment.id == current), None)
        if row is None and self.views:
            row = len(self.views) - 1
        if row is not None:
            self.enrolment_table.selectRow(row)
        self._show_selected()

    def selected(self):
        rows = self.enrolment_table.selectionModel().selectedRows() if hasattr(self, "enrolment_table") else []
        return self.enrolment_model.row_at(rows[0].row()) if rows else None

    def select_enrolment(self, enrolment_id: str) -> None:
        row = next((i for i, ev in enumerate(self.views) if ev.enrolment.id == enrolment_id), None)
        if row is not None:
            self.enrolment_table.selectRow(row)

    def _show_selected(self) -> None:
        ev = self.selected()
        self.steps_table.setRowCount(0)
        for b in self.step_buttons.values():
            self.step_buttons_box.removeWidget(b)
            b.hide()
            b.setParent(None)
            b.deleteLater()
        self.step_buttons = {}
        if ev is None:
            self.steps_title.setText(self.tr("Steps"))
            self.next_label.setText(self.tr("No enrolment yet. Use “Apply for programme…”."))
            return
        e = ev.enrolment
        self.steps_title.setText(self.tr("Steps of %1").replace("%1", f"{e.programme}（{self._covers_text(ev)}）"))
        for s in ev.steps:
            r = self.steps_table.rowCount()
            self.steps_table.insertRow(r)
            self.steps_table.setItem(r, 0, table_item(s.step, CENTER, _status_color(s.step)))
            self.steps_table.setItem(r, 1, table_item(s.done_on.isoformat() if s.done_on else "", CENTER))
            self.steps_table.setItem(r, 2, table_item(self._staff_names.get(s.done_by, s.done_by)))
            self.steps_table.setItem(r, 3, table_item(s.note))
        nxt = NEXT_STEPS.get(e.status, ())
        self.next_label.setText(self.tr("Next step:") if nxt else self.tr("This enrolment is finished (%1).")
                                .replace("%1", e.status))
        for step in nxt:
            b = QPushButton(self._step_button_text(e.status, step))
            b.setObjectName(f"step-{step}")
            needed = permissions.APPROVE_ENROLMENT if step in APPROVER_STEPS else permissions.RECORD_ENROLMENT
            if not self.session.can(needed):
                b.setEnabled(False)
                b.setToolTip(self.tr("Only a reviewer may record “%1”.").replace("%1", step)
                             if step in APPROVER_STEPS else self.tr("Your role may not record “%1”.").replace("%1", step))
            else:
                b.setToolTip(self.tr("Record the step “%1”.").replace("%1", step))
            b.clicked.connect(lambda _=False, s=step: self.open_step_dialog(s))
            self.step_buttons_box.addWidget(b)
            self.step_buttons[step] = b

    def _load_income(self) -> None:
        self.income_table.setRowCount(0)
        for item in self.session.programmes.income_items(self.household_id):
            self.add_income_row(item)

    # ------------------------------------------------------------------ assessment

    def run_assessment(self) -> None:
        month = self.assess_month.month()
        try:
            result = self.session.programmes.assess(self.household_id, month)
            params = self.session.programmes.policy_book().for_month(month)
        except (DoudiError, ValueError) as exc:
            self.decision_model.set_rows([])
            self.income_steps.setPlainText("")
            self.per_capita_label.setText("")
            self.message.error(error_sentence(exc))
            return
        self.assessment = result
        inc = result.income
        self.per_capita_label.setText(self.tr("Per-capita monthly income: %1 yuan (%2 persons counted)")
                                      .replace("%1", yuan(inc.per_capita_monthly_fen))
                                      .replace("%2", str(inc.persons)))
        steps = [self._named(s) for s in inc.steps]
        self.income_steps.setPlainText("\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
        self.decision_model.set_rows(list(result.decisions))
        unconfirmed = list(params.unconfirmed)
        if unconfirmed:
            self.unconfirmed_label.setText(
                self.tr("%1 parameters in force for %2 are marked 未确认 (unconfirmed): the figures they give must "
                        "be checked against the county's documents. Reasons that use them are shown in orange.")
                .replace("%1", str(len(unconfirmed))).replace("%2", month))
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
            item = QListWidgetItem(self._named(text))
            if UNCONFIRMED in text:
                item.setForeground(QColor(WARN_COLOR))
                item.setToolTip(self.tr("This figure is not confirmed; check it against the county's documents."))
            self.reasons.addItem(item)

    def _named(self, text: str) -> str:
        """The rules write members by their reference; show names (once, not 名（名）)."""
        for m in self._members:
            if m.id and m.id in text:
                text = text.replace(f"{m.name}（{m.id}）", m.name).replace(f"（{m.id}）", f"（{m.name}）")
                text = text.replace(m.id, m.name)
        return text

    def decision_for(self, programme: str, member_id: str, month: str):
        """The assessment's decision a reviewer starts from (the one the service will compare with)."""
        result = self.session.programmes.assess(self.household_id, month)
        candidates = [d for d in result.decisions if d.programme == programme]
        if member_id:
            personal = [d for d in candidates
                        if member_id in (d.covered_refs or ()) or d.single_person_member == member_id]
            candidates = personal or candidates
        eligible = [d for d in candidates if d.eligible]
        return (eligible or candidates or [None])[0]

    # ------------------------------------------------------------------ income

    def add_income_row(self, item: IncomeRecord | None = None) -> int:
        r = self.income_table.rowCount()
        self.income_table.insertRow(r)
        kind = QComboBox()
        kind.addItems(list(INCOME_KINDS) + [DEDUCTION_KIND])
        if item is not None:
            kind.setCurrentText(item.kind)
        self.income_table.setCellWidget(r, 0, kind)
        subtype = QLineEdit(item.subtype if item else "")
        subtype.setPlaceholderText(self.tr("e.g. 务工, 种植"))
        self.income_table.setCellWidget(r, 1, subtype)
        member = QComboBox()
        member.addItem(self.tr("Whole household"), "")
        for m in self._members:
            member.addItem(m.name, m.id)
        if item is not None and item.member_id:
            idx = member.findData(item.member_id)
            member.setCurrentIndex(max(idx, 0))
        self.income_table.setCellWidget(r, 2, member)
        amount = YuanEdit()
        if item is not None:
            amount.set_fen(item.amount_fen)
        self.income_table.setCellWidget(r, 3, amount)
        months_box = QSpinBox()
        months_box.setRange(1, 12)
        months_box.setValue(item.months if item else 12)
        months_box.setSuffix(self.tr(" mo."))
        self.income_table.setCellWidget(r, 4, months_box)
        note = QLineEdit(item.note if item else "")
        self.income_table.setCellWidget(r, 5, note)
        # The id travels with the row so the service can keep an item's history.
        kind.setProperty("income_id", item.id if item else "")
        if item is None:
            kind.setFocus()
        return r

    def remove_income_row(self) -> None:
        r = self.income_table.currentRow()
        if r < 0:
            r = self.income_table.rowCount() - 1
        if r >= 0:
            self.income_table.removeRow(r)

    def income_records(self) -> list[IncomeRecord]:
        out = []
        for r in range(self.income_table.rowCount()):
            kind = self.income_table.cellWidget(r, 0)
            amount = self.income_table.cellWidget(r, 3)
            try:
                fen = amount.fen()
            except ValueError as exc:
                raise ValueError(self.tr("Item %1: %2").replace("%1", str(r + 1)).replace("%2", str(exc))) from None
            out.append(IncomeRecord(
                id=kind.property("income_id") or "", household_id=self.household_id,
                kind=kind.currentText(), subtype=self.income_table.cellWidget(r, 1).text().strip(),
                member_id=self.income_table.cellWidget(r, 2).currentData() or "", amount_fen=fen,
                months=self.income_table.cellWidget(r, 4).value(),
                note=self.income_table.cellWidget(r, 5).text().strip()))
        return out

    def save_income(self) -> bool:
        try:
            self.session.programmes.set_income_items(self.household_id, self.income_records())
        except (DoudiError, ValueError) as exc:
            self.message.error(error_sentence(exc))
            return False
        self.message.info(self.tr("Income items saved; the assessment below is updated."))
        self._load_income()
        self.run_assessment()
        self.changed.emit()
        return True

    # ------------------------------------------------------------------ dialogs

    def open_apply_dialog(self) -> FormDialog:
        programme = QComboBox()
        programme.addItems(list(PROGRAMMES))
        applied = DateEdit(date.today())
        member = QComboBox()
        member.addItem(self.tr("Whole household"), "")
        for m in self._members:
            member.addItem(f"{m.name}（{m.relation}）", m.id)
        single = QCheckBox(self.tr("单人保: enrol this member alone"))
        single.setEnabled(False)
        member.currentIndexChanged.connect(lambda _i: (single.setEnabled(bool(member.currentData())),
                                                       single.setChecked(single.isChecked() and
                                                                         bool(member.currentData()))))
        class_code = QLineEdit()
        class_code.setPlaceholderText(self.tr("optional; the reviewer can set it on approval"))
        note = QPlainTextEdit()
        note.setFixedHeight(60)

        def submit():
            e = self.session.programmes.apply(
                self.household_id, programme.currentText(), applied_on=applied.value(),
                member_id=member.currentData() or "", single_person=single.isChecked(),
                class_code=class_code.text().strip(), note=note.toPlainText().strip())
            self._after_write(e.id, self.tr("Application for %1 recorded.").replace("%1", e.programme))
            return e

        dlg = FormDialog(self.tr("Apply for programme"), submit, self)
        dlg.add_row(self.tr("Programme"), programme)
        dlg.add_row(self.tr("Applied on"), applied)
        dlg.add_row(self.tr("For"), member)
        dlg.add_row("", single)
        dlg.add_row(self.tr("Class"), class_code)
        dlg.add_row(self.tr("Note"), note)
        dlg.fields = {"programme": programme, "applied_on": applied, "member": member, "single": single,
                      "class_code": class_code, "note": note}
        return open_dialog(self, dlg)

    def open_step_dialog(self, step: str) -> FormDialog | None:
        ev = self.selected()
        if ev is None:
            return None
        e = ev.enrolment
        today = date.today()
        on = DateEdit(today)
        note = QPlainTextEdit()
        note.setFixedHeight(70)
        fields: dict = {"on": on, "note": note}
        intro = self.tr("%1 (%2): record “%3”.").replace("%1", e.programme).replace("%2", self._covers_text(ev)) \
            .replace("%3", step)
        extra = {}

        if step == "公示":
            start = DateEdit(today)
            end = DateEdit(today + timedelta(days=PUBLICITY_DAYS - 1))
            rule = QLabel()

            def update_rule():
                days = (end.value() - start.value()).days + 1
                ok = days >= PUBLICITY_DAYS
                rule.setText(self.tr("%1 days; the notice must stay up at least %2 days (S1 第十九条).")
                             .replace("%1", str(days)).replace("%2", str(PUBLICITY_DAYS)))
                rule.setStyleSheet(f"color: {OK_COLOR if ok else ERROR_COLOR};")
            start.dateChanged.connect(lambda _d: update_rule())
            end.dateChanged.connect(lambda _d: update_rule())
            update_rule()
            fields.update(publicity_from=start, publicity_to=end, rule=rule)

            def values():
                return {"publicity_from": start.value(), "publicity_to": end.value()}
            extra["values"] = values
        elif step == "在保" and e.status == "审核审批":
            start_month = MonthEdit(months.add(months.of(today), 1))
            amount = YuanEdit()
            class_code = QLineEdit()
            computed_label = QLabel()
            computed_label.setWordWrap(True)
            computed_label.setMinimumWidth(480)
            reason = QPlainTextEdit()
            reason.setFixedHeight(70)
            reason.setPlaceholderText(self.tr("Required when the amount differs from the assessment: "
                                              "the 一事一议 decision (who decided, when, why)."))
            reason_label = QLabel(self.tr("一事一议 reason"))
            state = {"computed": None}

            def prefill():
                try:
                    d = self.decision_for(e.programme, e.member_id, start_month.month())
                except (DoudiError, ValueError) as exc:
                    computed_label.setText(error_sentence(exc))
                    return
                if d is not None and d.eligible:
                    state["computed"] = d.monthly_amount_fen
                    amount.set_fen(d.monthly_amount_fen)
                    class_code.setText(d.class_code or e.class_code)
                    computed_label.setText(self.tr("Assessment for %1: %2 yuan a month, %3 persons, class %4.")
                                           .replace("%1", start_month.month())
                                           .replace("%2", yuan(d.monthly_amount_fen))
                                           .replace("%3", str(d.persons_covered)).replace("%4", d.class_code or "—"))
                    computed_label.setStyleSheet("")
                else:
                    state["computed"] = None
                    amount.clear()
                    why = "；".join(d.reasons[-2:]) if d is not None else ""
                    computed_label.setText(self.tr("The assessment finds the household not eligible for %1 (%2). "
                                                   "Approval is possible only case by case (一事一议): enter the "
                                                   "amount and the reason.").replace("%1", e.programme)
                                           .replace("%2", why))
                    computed_label.setStyleSheet(f"color: {WARN_COLOR};")
                update_reason()

            def differs() -> bool:
                try:
                    typed = amount.fen()
                except ValueError:
                    typed = None
                return state["computed"] is None or typed != state["computed"]

            def update_reason():
                need = differs()
                reason_label.setText(self.tr("一事一议 reason (required)") if need else self.tr("一事一议 reason"))
                reason_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if need else "")
                reason.setEnabled(True)

            amount.textChanged.connect(lambda _t: update_reason())
            start_month.month_changed.connect(lambda _m: prefill())
            fields.update(start_month=start_month, amount=amount, class_code=class_code, reason=reason,
                          computed=computed_label, reason_label=reason_label)
            extra["prefill"] = prefill

            def values():
                text = reason.toPlainText().strip()
                if differs() and not text:
                    raise ValueError(self.tr("The amount differs from the assessment: write the 一事一议 reason."))
                fen = amount.fen()
                return {"monthly_amount_fen": fen, "class_code": class_code.text().strip(),
                        "start_month": start_month.month(), "case_by_case_reason": text}
            extra["values"] = values
        elif step in ("停保", "不予批准"):
            note.setPlaceholderText(self.tr("Required: the reason, which is told to the household in writing."))
        elif step == "入户调查":
            note.setPlaceholderText(self.tr("Who visited (at least two investigators) and what was found."))
        elif step == "渐退":
            note.setPlaceholderText(self.tr("Why the household's income is now above the standard."))

        def submit():
            kwargs = extra["values"]() if "values" in extra else {}
            text = note.toPlainText().strip()
            if step in ("停保", "不予批准") and not text:
                raise ValueError(self.tr("“%1” needs a written reason (it is told to the household).")
                                 .replace("%1", step))
            result = self.session.programmes.advance(e.id, step, on=on.value(), note=text, **kwargs)
            self._after_write(e.id, self.tr("“%1” recorded for %2.").replace("%1", step).replace("%2", e.programme))
            return result

        dlg = FormDialog(self._step_button_text(e.status, step), submit, self, intro=intro)
        dlg.add_row(self.tr("Date"), on)
        if step == "公示":
            dlg.add_row(self.tr("Notice from"), fields["publicity_from"])
            dlg.add_row(self.tr("Notice until"), fields["publicity_to"])
            dlg.add_row("", fields["rule"])
        if "start_month" in fields:
            dlg.add_row(self.tr("Paid from"), fields["start_month"])
            dlg.add_row("", fields["computed"])
            dlg.add_row(self.tr("Monthly amount (yuan)"), fields["amount"])
            dlg.add_row(self.tr("Class"), fields["class_code"])
            dlg.form.addRow(fields["reason_label"], fields["reason"])
        note_label = self.tr("Reason (required)") if step in ("停保", "不予批准") else self.tr("Note")
        dlg.add_row(note_label, note)
        dlg.fields = fields
        if "prefill" in extra:
            extra["prefill"]()
        return open_dialog(self, dlg)


    def _after_write(self, enrolment_id: str, text: str) -> None:
        self._load_enrolments(enrolment_id)
        self.run_assessment()
        self.message.info(text)
        self.changed.emit()

    # ------------------------------------------------------------------ texts

    def _member_name(self, member_id: str | None) -> str:
        return next((m.name for m in self._members if m.id == member_id), "")

    def _covers_text(self, ev) -> str:
        e = ev.enrolment
        if e.member_id:
            name = ev.member_name or self._member_name(e.member_id)
            return f"{name} · 单人保" if e.single_person else name
        return self.tr("Whole household")

    def _enrolment_note(self, ev) -> str:
        e = ev.enrolment
        bits = []
        if e.publicity_from and e.publicity_to and e.status in ("公示", "审核审批"):
            bits.append(self.tr("notice %1 – %2").replace("%1", e.publicity_from.isoformat())
                        .replace("%2", e.publicity_to.isoformat()))
        if e.grace_until:
            bits.append(self.tr("taper until %1").replace("%1", e.grace_until))
        if e.end_month:
            bits.append(self.tr("last paid %1").replace("%1", e.end_month))
        if e.case_by_case_reason:
            bits.append(f"一事一议：{e.case_by_case_reason}")
        return "；".join(bits)

    def _payment_text(self, payment: str) -> str:
        return {"monthly": self.tr("monthly"), "one_off": self.tr("one-off"), "none": "—"}.get(payment, payment)

    def _step_button_text(self, status: str, step: str) -> str:
        if step == "在保" and status == "渐退":
            return self.tr("Back to 在保…")
        if step == "在保":
            return self.tr("Approve (在保)…")
        return f"{step}…"


def _status_color(status: str) -> str | None:
    return {"在保": OK_COLOR, "渐退": WARN_COLOR, "停保": "#777777", "不予批准": ERROR_COLOR}.get(status)
