"""救助 page: the month's payment roster (发放名册) with totals, and the 备案 register.

The roster is built, rebuilt and locked by ``s.payments``; this page only shows it. Every
read and write goes through the one door (:class:`app.ui.ops.Op`), so a 6 000-household
township keeps a responsive window, and a write refreshes the page through its
:class:`OpChanges` (the page shows the tables in ``tables``), never by hand. Approving
(审核锁定) is for reviewers; the button is disabled with a tooltip for other roles, and the
service decides anyway.

The work queues (待审批, 公示到期, 渐退到期, 本月待核查) are shown here as on the dashboard, with the
same panel (:mod:`app.ui.widgets.work_queues`): the roster's month does not change them, they are
read for today; a queue's household opens in the household editor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import PROGRAMMES
from ...resource_files import divisions
from ...services import permissions
from ...services.reports import ReportRequest
from ..i18n import QT_TRANSLATE_NOOP
from ..ops import OpChanges
from ..widgets import (
    CENTER,
    OK_COLOR,
    RIGHT,
    WARN_COLOR,
    Col,
    FormDialog,
    ListTableModel,
    YuanEdit,
    error_sentence,
    fit_columns,
    month_header,
    open_dialog,
    setup_table,
    table_item,
    yuan,
)
from ..widgets.work_queues import WorkQueuesPanel, load_queues, open_household_editor
from .base import Page

__all__ = ["KIND_NAMES", "ProgrammesPage"]

KIND_NAMES = {
    "regular": QT_TRANSLATE_NOOP("PaymentKind", "Regular"),
    "holiday": QT_TRANSLATE_NOOP("PaymentKind", "Holiday"),
    "correction": QT_TRANSLATE_NOOP("PaymentKind", "Correction"),
}


def kind_name(kind: str) -> str:
    return QCoreApplication.translate("PaymentKind", str(KIND_NAMES[kind])) if kind in KIND_NAMES else kind


def lock_name(locked: bool) -> str:
    return (
        QCoreApplication.translate("PaymentKind", "Locked")
        if locked
        else QCoreApplication.translate("PaymentKind", "Draft")
    )


def load_month(s, month: str) -> dict:
    """Runs in a read op: the roster, the totals, the approval state of one month, and the 备案 register."""
    return {
        "month": month,
        "rows": s.payments.roster(month),
        "totals": s.payments.totals(month),
        "closed": s.monthly_close.closed(month) is not None,
        "filing": s.enrolments.filing_register(),
    }


def village_name(code: str) -> str:
    """The short village name from the bundled division list (the code itself if it is not there)."""
    found = divisions().get(code) if code else None
    return found.short_name if found is not None else code


class ProgrammesPage(Page):
    # The roster lines, the enrolments they come from, the households and persons they name,
    # and whether the month is closed.
    tables = frozenset({"payments", "enrolments", "households", "members", "month_closes"})
    # What the work queues show besides: a step sent for approval, a visit recorded.
    queue_tables = frozenset({"enrolments", "enrolment_steps", "households", "visits"})

    def __init__(self, session, parent=None, today: Callable[[], date] = date.today):
        super().__init__(session, parent)
        self.today = today
        self.editor: QDialog | None = None  # the household editor opened from a queue, while open
        self._queues_loading = False
        self.rows: list = []
        self.totals: dict = {}
        self.dialog: FormDialog | None = None
        self._busy = False
        self.closed = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar, self.month = month_header(self.tr("Assistance payments"), self.tr("Month:"))
        self.month.month_changed.connect(lambda _m: self._month_changed())
        self.state_label = QLabel()
        bar.addWidget(self.state_label)
        bar.addStretch(1)
        self.build_button = QPushButton(self.tr("Build roster"))
        self.build_button.setToolTip(
            self.tr(
                "Compute this month's lines from the enrolments in force. A draft is "
                "replaced; a locked month gets correction lines."
            )
        )
        self.build_button.clicked.connect(self.build)
        self.approve_button = QPushButton(self.tr("Approve && lock"))
        self.approve_button.clicked.connect(self.approve)
        self.holiday_button = QPushButton(self.tr("Holiday subsidy…"))
        self.holiday_button.clicked.connect(self.open_holiday_dialog)
        for b in (self.build_button, self.holiday_button, self.approve_button):
            bar.addWidget(b)
        self._add_report_buttons(bar)
        layout.addLayout(bar)
        layout.addWidget(self.message)

        if not session.can(permissions.RECORD_ENROLMENT):
            for b in (self.build_button, self.holiday_button):
                b.setEnabled(False)
                b.setToolTip(self.tr("Your role may not build rosters."))
        self._can_approve = session.can(permissions.APPROVE_ENROLMENT)
        if not self._can_approve:
            self.approve_button.setEnabled(False)
            self.approve_button.setToolTip(self.tr("Only a reviewer (审核人) may approve and lock the roster."))

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        # --- roster tab
        roster = QWidget()
        rv = QVBoxLayout(roster)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("ProgrammesPage", "Village"), lambda r: r.village, context="ProgrammesPage"),
                Col(QT_TRANSLATE_NOOP("ProgrammesPage", "Head"), lambda r: r.head_name, context="ProgrammesPage"),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Person"),
                    lambda r: r.member_name or self.tr("whole household"),
                    context="ProgrammesPage",
                    color=lambda r: None if r.member_name else "#777777",
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Programme"),
                    lambda r: r.payment.programme,
                    context="ProgrammesPage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Class"),
                    lambda r: r.payment.class_code,
                    CENTER,
                    context="ProgrammesPage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Persons"),
                    lambda r: r.payment.persons,
                    RIGHT,
                    context="ProgrammesPage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Amount (yuan)"),
                    lambda r: yuan(r.payment.amount_fen),
                    RIGHT,
                    context="ProgrammesPage",
                    color=lambda r: "#b03a2e" if r.payment.amount_fen < 0 else None,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Type"),
                    lambda r: kind_name(r.payment.kind),
                    CENTER,
                    context="ProgrammesPage",
                    color=lambda r: None if r.payment.kind == "regular" else WARN_COLOR,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "State"),
                    lambda r: lock_name(r.payment.locked),
                    CENTER,
                    context="ProgrammesPage",
                    color=lambda r: OK_COLOR if r.payment.locked else None,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ProgrammesPage", "Note"),
                    lambda r: "、".join([*r.payment.flags, r.payment.note] if r.payment.note else r.payment.flags),
                    context="ProgrammesPage",
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        fit_columns(self.table, [90, 80, 90, 150, 60, 50, 100, 70, 60])
        split.addWidget(self.table)

        totals_box = QWidget()
        tv = QVBoxLayout(totals_box)
        tv.setContentsMargins(0, 4, 0, 0)
        self.totals_title = QLabel(self.tr("Totals by programme"))
        tv.addWidget(self.totals_title)
        self.totals_table = QTableWidget(0, 4)
        self.totals_table.setHorizontalHeaderLabels(
            [self.tr("Programme"), self.tr("Households"), self.tr("Persons"), self.tr("Amount (yuan)")]
        )
        setup_table(self.totals_table)
        fit_columns(self.totals_table, [200, 90, 90])
        tv.addWidget(self.totals_table)
        split.addWidget(totals_box)
        split.setSizes([430, 170])
        rv.addWidget(split)
        self.tabs.addTab(roster, self.tr("Payment roster"))

        # --- filing register tab
        filing = QWidget()
        fv = QVBoxLayout(filing)
        note = QLabel(
            self.tr(
                "Households of close relatives of village officials or case workers (S1 第十一条). "
                "Each is registered separately and must be home-visited before approval."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        fv.addWidget(note)
        self.filing_table = QTableWidget(0, 4)
        self.filing_table.setHorizontalHeaderLabels(
            [self.tr("Village"), self.tr("Head"), self.tr("Relationship on file"), self.tr("Enrolments")]
        )
        setup_table(self.filing_table)
        fit_columns(self.filing_table, [100, 90, 320])
        fv.addWidget(self.filing_table)
        self.filing_empty = QLabel(
            self.tr(
                "No household is on file as a relative of an official. Mark it in the "
                "household editor (近亲属备案) when an applicant declares one."
            )
        )
        self.filing_empty.setStyleSheet("color: #777;")
        self.filing_empty.hide()
        fv.addWidget(self.filing_empty)
        self.tabs.addTab(filing, self.tr("备案 register"))
        self._build_queues_tab()

    def _build_queues_tab(self) -> None:
        """The dashboard's work queues, for this page's reviewers and clerks."""
        self.work_queues = WorkQueuesPanel(self, title=False)
        self.work_queues.village_changed.connect(lambda _code: self.refresh_queues())
        # Through a lambda, as on the dashboard: connected to a bound method, the editor (deleted on
        # close) crashed PySide 6 after a double-click had opened it.
        self.work_queues.household_chosen.connect(lambda hid: self._open_chosen(hid))  # noqa: PLW0108
        self.queues_tab = QWidget()
        qv = QVBoxLayout(self.queues_tab)
        qv.addWidget(self.work_queues)
        self.tabs.addTab(self.queues_tab, self.tr("Work queues"))

    # ------------------------------------------------------------------ loading

    def _month_changed(self) -> None:
        self.request_refresh()

    def refresh(self) -> None:
        month = self.month.month()
        self._set_busy(True)
        (self.read(lambda s, _progress: load_month(s, month)).success(self._loaded).failure(self._failed).run())
        self.refresh_queues()

    def on_changes(self, changes: OpChanges) -> None:
        # A visit or a workflow step moves only the queues: the roster is not read again for it.
        if changes.touches(*self.tables):
            self.request_refresh()
        elif changes.touches(*self.queue_tables):
            if self.isVisible():
                self.refresh_queues()
            else:
                self.stale = True

    def refresh_queues(self) -> None:
        """Read the work queues for today, for the village chosen in the panel (or all)."""
        if self._queues_loading:
            return
        self._queues_loading = True
        today, village = self.today(), self.work_queues.village_code()
        (
            self.read(lambda s, _progress: load_queues(s, today, village))
            .success(self._queues_loaded)
            .failure(self._queues_failed)
            .run()
        )

    def _queues_loaded(self, queues) -> None:
        self._queues_loading = False
        self.work_queues.show_queues(queues)
        index = self.tabs.indexOf(self.queues_tab)
        self.tabs.setTabText(index, self.tr("Work queues (%1)").replace("%1", str(self.work_queues.total())))

    def _queues_failed(self, exc: BaseException) -> None:
        self._queues_loading = False
        self.message.error(error_sentence(exc))

    def _open_chosen(self, household_id: str) -> None:
        self.open_household(household_id)

    def open_household(self, household_id: str) -> QDialog:
        """The household of a queue row, in the same editor as the households page."""
        editor = open_household_editor(self.session, household_id, self)
        editor.finished.connect(lambda _r: setattr(self, "editor", None))
        self.editor = editor
        return editor

    def _loaded(self, data: dict) -> None:
        self._set_busy(False)
        if data["month"] != self.month.month():
            return
        self.rows = data["rows"]
        self.totals = data["totals"]
        self.closed = data["closed"]
        self.model.set_rows(self.rows)
        self._show_totals()
        self._show_state()
        self._show_filing(data["filing"])

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.error(error_sentence(exc))

    def _show_totals(self) -> None:
        t = self.totals_table
        t.setRowCount(0)
        grand = {"households": 0, "persons": 0, "amount_fen": 0}
        for programme in sorted(self.totals, key=lambda p: (PROGRAMMES.index(p) if p in PROGRAMMES else 99, p)):
            v = self.totals[programme]
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, table_item(programme))
            t.setItem(r, 1, table_item(str(v["households"]), RIGHT))
            t.setItem(r, 2, table_item(str(v["persons"]), RIGHT))
            t.setItem(r, 3, table_item(yuan(v["amount_fen"]), RIGHT))
            for k in grand:
                grand[k] += v[k]
        if self.totals:
            r = t.rowCount()
            t.insertRow(r)
            bold = [
                table_item(self.tr("Total")),
                table_item("", RIGHT),
                table_item("", RIGHT),
                table_item(yuan(grand["amount_fen"]), RIGHT),
            ]
            for c, item in enumerate(bold):
                f = item.font()
                f.setBold(True)
                item.setFont(f)
                t.setItem(r, c, item)
        self.totals_title.setText(
            self.tr("Totals by programme — %1 lines, %2 yuan (households and persons count regular lines)")
            .replace("%1", str(len(self.rows)))
            .replace("%2", yuan(grand["amount_fen"]))
        )

    def total_fen(self) -> int:
        return sum(v["amount_fen"] for v in self.totals.values())

    def _show_state(self) -> None:
        if getattr(self, "closed", False):
            text, color = self.tr("Month closed: figures frozen"), OK_COLOR
        elif not self.rows:
            text, color = self.tr("No roster yet"), "#777777"
        elif all(r.payment.locked for r in self.rows):
            text, color = self.tr("Approved and locked"), OK_COLOR
        elif any(r.payment.locked for r in self.rows):
            text, color = self.tr("Locked, with new draft lines to approve"), WARN_COLOR
        else:
            text, color = self.tr("Draft: not yet approved"), WARN_COLOR
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        drafts = any(not r.payment.locked for r in self.rows)
        if self._can_approve:
            self.approve_button.setEnabled(drafts and not self._busy and not self.closed)
            self.approve_button.setToolTip(
                self.tr("Lock every draft line of this month.")
                if drafts
                else self.tr("There are no draft lines to approve.")
            )

    def _show_filing(self, register) -> None:
        t = self.filing_table
        t.setRowCount(0)
        for h, enrolments in register:
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, table_item(village_name(h.village_code)))
            t.setItem(r, 1, table_item(h.head_name))
            t.setItem(r, 2, table_item(h.official_relative_note))
            t.setItem(r, 3, table_item("；".join(f"{e.programme} {e.status}" for e in enrolments) or self.tr("none")))
        self.filing_empty.setVisible(not register)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.month.setEnabled(not busy)
        if self.session.can(permissions.RECORD_ENROLMENT):
            self.build_button.setEnabled(not busy)
            self.holiday_button.setEnabled(not busy)
        if busy:
            self.approve_button.setEnabled(False)

    # ------------------------------------------------------------------ reports

    def _add_report_buttons(self, bar: QHBoxLayout) -> None:
        # The month's roster as a paper, on the 报表 page: the bank's 资金发放花名册 once the roster is
        # locked (it prints from the locked roster only), the 保障对象花名册 before.
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setToolTip(self.tr("Preview and print this month's roster (Reports page)"))
        self.print_button.clicked.connect(lambda _checked=False: self.open_report("print"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save this month's roster as PDF or Excel (Reports page)"))
        self.export_button.clicked.connect(lambda _checked=False: self.open_report("save"))
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)

    def report_request(self) -> ReportRequest:
        """The bank's payment roster once the roster is locked (approved or the month closed), else the roster."""
        locked = self.closed or (bool(self.rows) and all(r.payment.locked for r in self.rows))
        return ReportRequest(name="payment-roster" if locked else "roster", month=self.month.month())

    def open_report(self, then: str = "") -> bool:
        """The month's roster on the main window's 报表 page; False when there is no such window."""
        opener = getattr(self.window(), "open_report", None)
        if not callable(opener):
            return False
        opener(self.report_request(), then)
        return True

    # ------------------------------------------------------------------ actions
    # A write reports the tables it changed; the main window hands that to on_changes, which
    # reloads this page. So the success callbacks below only confirm.

    def build(self) -> None:
        month = self.month.month()
        self.message.clear_message()
        self._set_busy(True)
        (
            self.write(lambda s, progress: s.payments.build(month, progress))
            .with_progress(self.tr("Building the roster for %1…").replace("%1", month), cancellable=False)
            .success(self._built)
            .failure(self._refused)
            .run()
        )

    def _built(self, summary: dict) -> None:
        self._set_busy(False)
        if summary.get("corrections"):
            text = self.tr("The roster of %1 is locked: %2 correction lines added (%3 yuan).")
        elif summary.get("before_lines"):
            # A rebuilt draft: say what the rebuild changed, or a clerk cannot tell a fix from a slip.
            text = (
                self.tr("Roster of %1 rebuilt: %4 → %5 persons, %6 → %3 yuan (%7). A reviewer approves and locks it.")
                .replace("%4", str(summary["before_persons"]))
                .replace("%5", str(summary["persons"]))
                .replace("%6", yuan(summary["before_fen"]))
                .replace("%7", _signed_change(summary["total_fen"] - summary["before_fen"], self.tr("unchanged")))
            )
        else:
            text = self.tr("Roster of %1 built: %2 lines, %3 yuan. A reviewer approves and locks it.")
        self.message.info(
            text.replace("%1", summary["month"])
            .replace("%2", str(summary["lines"]))
            .replace("%3", yuan(summary["total_fen"]))
        )

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.error(error_sentence(exc))
        self._show_state()

    def draft_total(self) -> tuple[int, int]:
        """(lines, fen) of the draft lines a lock would freeze."""
        drafts = [r.payment for r in self.rows if not r.payment.locked]
        return len(drafts), sum(p.amount_fen for p in drafts)

    def confirm_approve(self, month: str) -> bool:
        """审核锁定 cannot be undone (later changes only add correction lines), so ask first."""
        lines, fen = self.draft_total()
        answer = QMessageBox.question(
            self,
            self.tr("Approve and lock the roster"),
            self.tr(
                "Approve and lock the roster of %1: %2 lines, %3 yuan?\n\n"
                "This cannot be undone: later changes to this month only add correction lines."
            )
            .replace("%1", month)
            .replace("%2", str(lines))
            .replace("%3", yuan(fen)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def approve(self) -> None:
        month = self.month.month()
        self.message.clear_message()
        if not self.confirm_approve(month):
            return
        self._set_busy(True)
        (
            self.write(lambda s, progress: s.payments.approve(month, progress))
            .with_progress(self.tr("Approving and locking the roster of %1…").replace("%1", month), cancellable=False)
            .success(lambda n: self._approved(month, n))
            .failure(self._refused)
            .run()
        )

    def _approved(self, month: str, n: int) -> None:
        self._set_busy(False)
        self.message.info(self.tr("%1 lines of %2 approved and locked.").replace("%1", str(n)).replace("%2", month))
        self._show_state()

    def open_holiday_dialog(self) -> FormDialog:
        month = self.month.month()
        name = QLineEdit()
        name.setPlaceholderText(self.tr("e.g. 春节一次性生活补贴"))
        amount = YuanEdit()
        boxes = {}
        programmes = QWidget()
        grid = QHBoxLayout(programmes)
        grid.setContentsMargins(0, 0, 0, 0)
        for p in ("低保", "特困", "孤儿基本生活费", "高龄补贴"):
            box = QCheckBox(p)
            box.setChecked(p in ("低保", "特困"))
            boxes[p] = box
            grid.addWidget(box)
        grid.addStretch(1)

        def read() -> tuple[str, int, tuple[str, ...]]:
            chosen = tuple(p for p, b in boxes.items() if b.isChecked())
            if not chosen:
                raise ValueError(self.tr("Choose at least one programme."))
            return name.text(), amount.fen(), chosen

        def added(n: int) -> None:
            self.message.info(self.tr("%1 holiday lines added to %2.").replace("%1", str(n)).replace("%2", month))

        dlg = FormDialog(
            self.tr("Holiday subsidy for %1").replace("%1", month),
            self,
            read=read,
            write=lambda s, value: s.payments.add_holiday(month, *value),
            intro=self.tr(
                "A one-off amount per person covered, for every household paid under the chosen programmes this month."
            ),
        )
        # Field names are add_holiday's parameters, so a refusal naming one marks its widget.
        dlg.add_row(self.tr("Name"), name, field="name")
        dlg.add_row(self.tr("Yuan per person"), amount, field="per_person_fen")
        dlg.add_row(self.tr("Programmes"), programmes, field="programmes")
        dlg.saved.connect(added)
        return open_dialog(self, dlg)


def _signed_change(fen: int, unchanged: str) -> str:
    """+12.00 / -12.00, or *unchanged*: the sign is what the clerk looks for."""
    if fen == 0:
        return unchanged
    return ("+" if fen > 0 else "") + yuan(fen)
