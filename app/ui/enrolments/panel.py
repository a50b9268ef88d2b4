"""One household's assistance: its enrolments, its income items, and its policy assessment.

Three tabs:

* 救助办理 — the household's enrolments with their step history (who, when, note) and a button for
  each step the workflow (``app.domain.workflow``) allows next; each step has its own dialog
  (apply, 公示, approval, the other steps). Buttons for steps the signed-in role may not take are
  disabled with a tooltip; the service still decides, and its refusal sentence is shown as is.
* 收入项目 — the income items, saved together (``income_table``).
* 政策测算 — every programme's decision for a chosen month with its reasons (``assessment_view``).

Everything is read in ops and every step is a write op. The panel is not refreshed by the dialogs:
it listens to the changes of every write op and reloads when a table it shows was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.workflow import IN_FORCE, Status, is_approval, needs_approver, next_steps
from ...errors import DoudiError
from ...services import permissions
from .. import ops
from ..attachments import AttachmentsPanel
from ..i18n import QT_TRANSLATE_NOOP
from ..ops import Op, OpChanges
from ..pages.base import Page
from ..widgets import (
    CENTER,
    RIGHT,
    Col,
    FormDialog,
    ListTableModel,
    error_sentence,
    fit_columns,
    open_dialog,
    setup_table,
    table_item,
    yuan,
)
from .apply_dialog import ApplyDialog
from .approve_dialog import ApproveDialog
from .assessment_view import AssessmentView
from .income_table import IncomeTable
from .publicity_dialog import PublicityDialog
from .step_dialog import StepDialog
from .texts import covers_text, status_color, step_button_text
from .undo_dialog import UndoStepDialog

if TYPE_CHECKING:
    from ...domain.entities import IncomeRecord, Member
    from ...services.enrolments import EnrolmentView
    from ...services.session import Session
    from ..ops import Progress

# Tables whose change reloads the income items (an enrolment step leaves unsaved income rows alone).
INCOME_TABLES = ("income_items", "members")


class EnrolmentsPanel(Page):
    """The 救助 tab of one household."""

    tables = frozenset({"households", "members", "enrolments", "enrolment_steps", "income_items", "policy_periods"})

    def __init__(self, session: Session, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.household_id = household_id
        self.views: list[EnrolmentView] = []
        self.dialog: FormDialog | None = None
        self._members: list[Member] = []
        self._staff_names: dict[str, str] = {}
        self._select_after: str | None = None
        self._reload_income = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        # Below the tabs: a confirmation appearing above them would push them down just as the
        # clerk reaches for the next one.
        layout.addWidget(self.message)
        self.income = IncomeTable(session, household_id, self.message)
        self.assessment = AssessmentView(household_id, self.message)
        self.tabs.addTab(self._build_enrolments_tab(), self.tr("Enrolments"))
        self.tabs.addTab(self.income, self.tr("Income items"))
        self.tabs.addTab(self.assessment, self.tr("Policy assessment"))
        # Not a page of the main window: it hears of writes (its own dialogs' included) directly.
        ops.changes().changed.connect(self.on_changes)

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
        self.enrolment_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Programme"),
                    lambda ev: ev.enrolment.programme,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Covers"),
                    lambda ev: covers_text(ev, self._members),
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Class"),
                    lambda ev: ev.enrolment.class_code,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Status"),
                    lambda ev: ev.enrolment.status,
                    CENTER,
                    context="EnrolmentsPanel",
                    color=lambda ev: status_color(ev.enrolment.status),
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Monthly (yuan)"),
                    lambda ev: (
                        yuan(ev.enrolment.monthly_amount_fen)
                        if ev.enrolment.monthly_amount_fen or ev.enrolment.status in IN_FORCE
                        else ""
                    ),
                    RIGHT,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Persons"),
                    lambda ev: ev.enrolment.persons_covered or "",
                    RIGHT,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Paid from"),
                    lambda ev: ev.enrolment.start_month or "",
                    CENTER,
                    context="EnrolmentsPanel",
                ),
                Col(
                    QT_TRANSLATE_NOOP("EnrolmentsPanel", "Applied on"),
                    lambda ev: ev.enrolment.applied_on or "",
                    CENTER,
                    context="EnrolmentsPanel",
                ),
                Col(QT_TRANSLATE_NOOP("EnrolmentsPanel", "Note"), self._enrolment_note, context="EnrolmentsPanel"),
            ]
        )
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
        self.steps_table.itemSelectionChanged.connect(self._step_selected)
        # The papers of the selected step (证明材料 of the application, the survey's photos …).
        self.step_attachments = AttachmentsPanel(self, "enrolment_steps", "")
        steps_split = QSplitter(Qt.Orientation.Horizontal)
        steps_split.addWidget(self.steps_table)
        steps_split.addWidget(self.step_attachments)
        steps_split.setSizes([620, 380])
        lv.addWidget(steps_split)
        row = QHBoxLayout()
        self.next_label = QLabel(self.tr("Next step:"))
        row.addWidget(self.next_label)
        self.step_buttons_box = QHBoxLayout()
        row.addLayout(self.step_buttons_box)
        row.addStretch(1)
        self.undo_button = QPushButton(self.tr("Undo last step…"))
        self.undo_button.clicked.connect(self.open_undo_dialog)
        self.undo_button.hide()
        row.addWidget(self.undo_button)
        lv.addLayout(row)
        self.step_buttons: dict[str, QPushButton] = {}
        split.addWidget(lower)
        split.setSizes([220, 260])
        v.addWidget(split)
        return page

    # ------------------------------------------------------------------ loading

    def on_changes(self, changes: OpChanges) -> None:
        if changes.touches(*INCOME_TABLES):
            self._reload_income = True
        super().on_changes(changes)

    def refresh(self) -> None:
        hid = self.household_id
        with_income = self._reload_income

        def work(
            s: Session, _p: Progress
        ) -> tuple[list[Member], list[EnrolmentView], dict[str, str], tuple[list[IncomeRecord], str] | None]:
            # Steps record the user name; the clerk reads the person's name.
            staff = {u.username: u.display_name or u.username for u in s.users.list()}
            items = (s.income.income_items(hid), s.income.income_version(hid)) if with_income else None
            return s.households.members(hid), s.enrolments.enrolments(hid), staff, items

        self.read(work).success(self._loaded).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc
        self.message.error(error_sentence(exc))

    def _loaded(
        self, result: tuple[list[Member], list[EnrolmentView], dict[str, str], tuple[list[IncomeRecord], str] | None]
    ) -> None:
        members, views, staff, items = result
        self._members = members
        self._staff_names = staff
        self.assessment.members = members
        if items is not None:
            self._reload_income = False
            self.income.show_items(items[0], members, items[1])
        self._show_enrolments(views)
        self.assessment.run()

    def _show_enrolments(self, views: list[EnrolmentView]) -> None:
        shown = self.selected()
        current = self._select_after or (shown.enrolment.id if shown else None)
        self._select_after = None
        self.views = views
        self.enrolment_model.set_rows(views)
        row = next((i for i, ev in enumerate(views) if ev.enrolment.id == current), None)
        if row is None and views:
            row = len(views) - 1
        if row is not None:
            self.enrolment_table.selectRow(row)
        self._show_selected()

    def selected(self) -> EnrolmentView | None:
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
        # Only a step after the application can be undone, and only by a reviewer.
        self.undo_button.setVisible(
            ev is not None and len(ev.steps) > 1 and self.session.can(permissions.APPROVE_ENROLMENT)
        )
        if ev is None:
            self.steps_title.setText(self.tr("Steps"))
            self.next_label.setText(
                self.tr("No enrolment yet. Use “Apply for programme…”.")
                if not self.views
                else self.tr("Select an enrolment to see its steps.")
            )
            return
        e = ev.enrolment
        covers = covers_text(ev, self._members)
        self.steps_title.setText(self.tr("Steps of %1").replace("%1", f"{e.programme}（{covers}）"))
        self._step_ids = [s.id for s in ev.steps]
        for s in ev.steps:
            r = self.steps_table.rowCount()
            self.steps_table.insertRow(r)
            self.steps_table.setItem(r, 0, table_item(s.step, CENTER, status_color(s.step)))
            self.steps_table.setItem(r, 1, table_item(s.done_on.isoformat() if s.done_on else "", CENTER))
            self.steps_table.setItem(r, 2, table_item(self._staff_names.get(s.done_by, s.done_by)))
            self.steps_table.setItem(r, 3, table_item(s.note))
        if ev.steps:  # the latest step's papers, until another step is picked
            self.steps_table.selectRow(len(ev.steps) - 1)
        nxt = next_steps(e.status)
        self.next_label.setText(
            self.tr("Next step:") if nxt else self.tr("This enrolment is finished (%1).").replace("%1", e.status)
        )
        for step in nxt:
            b = QPushButton(step_button_text(e.status, step))
            b.setObjectName(f"step-{step}")
            approver = needs_approver(step)
            needed = permissions.APPROVE_ENROLMENT if approver else permissions.RECORD_ENROLMENT
            if not self.session.can(needed):
                b.setEnabled(False)
                b.setToolTip(
                    self.tr("Only a reviewer may record “%1”.").replace("%1", step)
                    if approver
                    else self.tr("Your role may not record “%1”.").replace("%1", step)
                )
            else:
                b.setToolTip(self.tr("Record the step “%1”.").replace("%1", step))
            b.clicked.connect(lambda _=False, s=step: self.open_step_dialog(s))
            self.step_buttons_box.addWidget(b)
            self.step_buttons[str(step)] = b

    # ------------------------------------------------------------------ income (kept for callers)

    def _step_selected(self) -> None:
        rows = self.steps_table.selectionModel().selectedRows()
        ids = getattr(self, "_step_ids", [])
        if rows and rows[0].row() < len(ids):
            self.step_attachments.set_subject("enrolment_steps", ids[rows[0].row()])

    def save_income(self) -> Op[Any] | None:
        return self.income.save()

    # ------------------------------------------------------------------ dialogs

    def open_apply_dialog(self) -> FormDialog:
        dlg = ApplyDialog(self.household_id, self._members, self)
        dlg.saved.connect(
            lambda e: self._written(e, self.tr("Application for %1 recorded.").replace("%1", e.programme))
        )
        return open_dialog(self, dlg)

    def open_step_dialog(self, step: str) -> FormDialog | None:
        ev = self.selected()
        if ev is None:
            return None
        status = ev.enrolment.status
        kind = (
            PublicityDialog if step == Status.PUBLICITY else ApproveDialog if is_approval(step, status) else StepDialog
        )
        dlg = kind(ev, step, self._members, self)
        programme = ev.enrolment.programme
        dlg.saved.connect(
            lambda e: self._written(e, self.tr("“%1” recorded for %2.").replace("%1", step).replace("%2", programme))
        )
        return open_dialog(self, dlg)

    def open_undo_dialog(self) -> FormDialog | None:
        ev = self.selected()
        if ev is None or not ev.steps:
            return None
        dlg = UndoStepDialog(ev, self)
        step = ev.steps[-1].step
        dlg.saved.connect(lambda e: self._written(e, self.tr("“%1” undone.").replace("%1", step)))
        return open_dialog(self, dlg)

    def _written(self, enrolment, text: str) -> None:
        # The op's changes reload the panel right after this; keep the written enrolment selected.
        self._select_after = enrolment.id
        self.message.info(text)

    # ------------------------------------------------------------------ texts

    def _enrolment_note(self, ev) -> str:
        e = ev.enrolment
        bits = []
        if e.publicity_from and e.publicity_to and e.status in (Status.PUBLICITY, Status.APPROVAL):
            bits.append(
                self.tr("notice %1 – %2")
                .replace("%1", e.publicity_from.isoformat())
                .replace("%2", e.publicity_to.isoformat())
            )
        if e.grace_until:
            bits.append(self.tr("taper until %1").replace("%1", e.grace_until))
        if e.end_month:
            bits.append(self.tr("last paid %1").replace("%1", e.end_month))
        if e.case_by_case_reason:
            bits.append(f"一事一议：{e.case_by_case_reason}")
        return "；".join(bits)
