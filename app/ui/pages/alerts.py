"""预警 page: open monitoring alerts, followed one by one to a close (docs/domain.md §6).

Run the rules for a month (an :class:`app.ui.ops.Op` with progress), then for each alert:
acknowledge it, follow it with one of the household's visits, close it with a note.
Filters by level (红/橙/黄), village and status (closed alerts stay findable); counts per status at
the top. Several selected alerts are acknowledged, or closed with one note, in one write op: a
village's ten 入户核查逾期 after one round of visits should not take ten dialogs. Every step is a
write op (or a form dialog's write); the list reloads from the op's changes, as after a visit
recorded on the visits page.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...errors import ChangedMeanwhile, DoudiError
from ...services import permissions
from ..household_editor.visits_tab import findings
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import (
    CENTER,
    Col,
    FormDialog,
    ListTableModel,
    error_sentence,
    fit_columns,
    month_header,
    open_dialog,
    setup_table,
    village_combo,
)
from .base import Page

__all__ = ["LEVELS", "STATUS_FILTERS", "STATUS_NAMES", "AlertsPage"]

# level → (name, text colour, background)
LEVELS = {
    3: (QT_TRANSLATE_NOOP("AlertLevel", "Red"), "#ffffff", "#c0392b"),
    2: (QT_TRANSLATE_NOOP("AlertLevel", "Orange"), "#000000", "#f39c12"),
    1: (QT_TRANSLATE_NOOP("AlertLevel", "Yellow"), "#000000", "#f7dc6f"),
}
STATUS_NAMES = {
    "open": QT_TRANSLATE_NOOP("AlertStatus", "Open"),
    "acknowledged": QT_TRANSLATE_NOOP("AlertStatus", "Acknowledged"),
    "followed": QT_TRANSLATE_NOOP("AlertStatus", "Followed by a visit"),
    "closed": QT_TRANSLATE_NOOP("AlertStatus", "Closed"),
}

# The status filter: (service argument, label); "" is every alert not yet closed, the daily work list.
STATUS_FILTERS = (
    ("", QT_TRANSLATE_NOOP("AlertsPage", "Not closed")),
    ("open", STATUS_NAMES["open"]),
    ("acknowledged", STATUS_NAMES["acknowledged"]),
    ("followed", STATUS_NAMES["followed"]),
    ("closed", STATUS_NAMES["closed"]),
    ("all", QT_TRANSLATE_NOOP("AlertsPage", "All, closed included")),
)

# A batch close names this many of its alerts in the dialog; the rest are counted.
_NAMED_IN_BATCH = 6


def level_name(level: int) -> str:
    return QCoreApplication.translate("AlertLevel", LEVELS[level][0]) if level in LEVELS else str(level)


def status_name(status: str) -> str:
    return QCoreApplication.translate("AlertStatus", STATUS_NAMES[status]) if status in STATUS_NAMES else status


class AlertsPage(Page):
    # rows show the household's village and head; following an alert lists its visits
    tables = frozenset({"alerts", "visits", "households"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.rows = []
        self.dialog: FormDialog | None = None
        can_write = session.can(permissions.WRITE_REGISTER)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar, self.month = month_header(self.tr("Monitoring alerts"), self.tr("Month:"))
        self.run_button = QPushButton(self.tr("Run rules for this month"))
        self.run_button.setToolTip(
            self.tr("Check every household under watch; an alert is raised once and stays until it is closed.")
        )
        self.run_button.clicked.connect(self.run_rules)
        bar.addWidget(self.run_button)
        bar.addStretch(1)
        self.counts_label = QLabel()
        bar.addWidget(self.counts_label)
        layout.addLayout(bar)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Level:")))
        self.level_filter = QComboBox()
        self.level_filter.addItem(self.tr("All levels"), 0)
        for lv in (3, 2, 1):
            self.level_filter.addItem(level_name(lv), lv)
        self.level_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filters.addWidget(self.level_filter)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Village:")))
        self.village_filter = QComboBox()
        self.village_filter.setMinimumContentsLength(10)
        # the office's villages from the division data (no register read needed)
        village_combo(self.village_filter, session.office.code, self.tr("All villages"))
        self.village_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filters.addWidget(self.village_filter)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Status:")))
        self.status_filter = QComboBox()
        for value, label in STATUS_FILTERS:
            context = "AlertStatus" if value in STATUS_NAMES else "AlertsPage"
            self.status_filter.addItem(QCoreApplication.translate(context, label), value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filters.addWidget(self.status_filter)
        filters.addStretch(1)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.clicked.connect(self.acknowledge)
        self.follow_button = QPushButton(self.tr("Follow with a visit…"))
        self.follow_button.clicked.connect(self.open_follow_dialog)
        self.close_button = QPushButton(self.tr("Close with a note…"))
        self.close_button.clicked.connect(self.open_close_dialog)
        self.action_buttons = (self.ack_button, self.follow_button, self.close_button)
        for b in self.action_buttons:
            filters.addWidget(b)
        layout.addLayout(filters)
        layout.addWidget(self.message)

        self.model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("AlertsPage", "Level"),
                    lambda r: level_name(r.alert.level),
                    CENTER,
                    context="AlertsPage",
                    color=lambda r: LEVELS.get(r.alert.level, ("", None, None))[1],
                    background=lambda r: LEVELS.get(r.alert.level, ("", None, None))[2],
                ),
                Col(QT_TRANSLATE_NOOP("AlertsPage", "Village"), lambda r: r.village, context="AlertsPage"),
                Col(QT_TRANSLATE_NOOP("AlertsPage", "Head"), lambda r: r.head_name, context="AlertsPage"),
                Col(QT_TRANSLATE_NOOP("AlertsPage", "Rule"), lambda r: r.alert.rule, context="AlertsPage"),
                Col(
                    QT_TRANSLATE_NOOP("AlertsPage", "Raised"),
                    lambda r: r.alert.raised_on or "",
                    CENTER,
                    context="AlertsPage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("AlertsPage", "Status"),
                    lambda r: status_name(r.alert.status),
                    CENTER,
                    context="AlertsPage",
                    color=lambda r: "#b03a2e" if r.alert.status == "open" else None,
                ),
                Col(QT_TRANSLATE_NOOP("AlertsPage", "Message"), lambda r: r.alert.message, context="AlertsPage"),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        # Ctrl/Shift-click picks several alerts for one acknowledge or close.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        fit_columns(self.table, [50, 90, 80, 150, 95, 110])
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.table.doubleClicked.connect(lambda _i: self.open_close_dialog())
        layout.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(40)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detail)

        if not can_write:
            for b in (self.run_button, *self.action_buttons):
                b.setEnabled(False)
                b.setToolTip(self.tr("Your role may not work on alerts."))
        self._can_write = can_write
        self._selected_changed()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        level = self.level_filter.currentData() or 0
        village = self.village_filter.currentData() or ""
        status = self.status_filter.currentData() or ""
        keep = [r.alert.id for r in self.selected_rows()]
        (
            self.read(lambda s, progress: (s.monitoring.alerts(level, village, status), s.monitoring.counts()))
            .success(lambda result: self._loaded(result[0], result[1], keep))
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )

    def _loaded(self, rows, counts: dict, keep: list[str] | None = None) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        parts = [f"{status_name(s)} {counts.get(s, 0)}" for s in ("open", "acknowledged", "followed", "closed")]
        self.counts_label.setText("　".join(parts))
        kept = [i for i, r in enumerate(rows) if r.alert.id in set(keep or ())]
        if kept:
            self.select_alerts([rows[i].alert.id for i in kept])
        elif rows:
            self.table.selectRow(0)
        self._selected_changed()

    def selected_rows(self) -> list:
        """The selected alerts in table order."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.row_at(i) for i in rows]

    def selected(self):
        """The one selected alert; None when none or several are selected."""
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_alert(self, alert_id: str) -> None:
        self.select_alerts([alert_id])

    def select_alerts(self, alert_ids: list[str]) -> None:
        sm = self.table.selectionModel()
        sm.clearSelection()
        wanted = set(alert_ids)
        for i, r in enumerate(self.rows):
            if r.alert.id in wanted:
                sm.select(
                    self.model.index(i, 0),
                    sm.SelectionFlag.Select | sm.SelectionFlag.Rows,
                )
        self._selected_changed()

    def _selected_changed(self) -> None:
        picked = self.selected_rows()
        if not picked:
            self.detail.setText(
                self.tr("No alert selected.")
                if self.rows
                else self.tr("No open alerts. Run the rules for this month to check every household.")
            )
            for b in self.action_buttons:
                b.setEnabled(False)
            return
        if len(picked) > 1:
            self.detail.setText(
                self.tr("%1 alerts selected: acknowledge them, or close them with one note.").replace(
                    "%1", str(len(picked))
                )
            )
        else:
            r = picked[0]
            a = r.alert
            text = f"【{level_name(a.level)}】{r.village} {r.head_name} · {a.rule}：{a.message}"
            if a.status == "closed":
                text += "\n" + self.tr("Closed on %1: %2").replace("%1", str(a.closed_on or "")).replace(
                    "%2", a.close_note
                )
            self.detail.setText(text)
        if self._can_write:
            not_closed = [r for r in picked if r.alert.status != "closed"]
            # Acknowledging applies to open alerts only; a mixed pick is refused rather than half done.
            self.ack_button.setEnabled(bool(picked) and all(r.alert.status == "open" for r in picked))
            self.follow_button.setEnabled(len(picked) == 1 and bool(not_closed))
            self.close_button.setEnabled(len(not_closed) == len(picked))

    # ------------------------------------------------------------------ actions

    def run_rules(self) -> None:
        month = self.month.month()
        self.message.clear_message()
        self.run_button.setEnabled(False)

        def work(s, progress):
            return s.monitoring.run(
                month,
                progress=lambda done, total: progress.update(
                    done,
                    total,
                    QCoreApplication.translate("AlertsPage", "Checked %1 of %2 households…")
                    .replace("%1", str(done))
                    .replace("%2", str(total)),
                ),
            )

        def done(n: int) -> None:
            self.run_button.setEnabled(self._can_write)
            self.message.info(self.tr("Rules run for %1: %2 new alerts.").replace("%1", month).replace("%2", str(n)))

        def failed(exc: BaseException) -> None:
            self.run_button.setEnabled(self._can_write)
            self.message.error(error_sentence(exc))

        def cancelled() -> None:
            self.run_button.setEnabled(self._can_write)
            self.message.error(self.tr("Cancelled; no alerts were raised."))

        (
            self.write(work)
            .with_progress(self.tr("Running the monitoring rules for %1…").replace("%1", month))
            .success(done)
            .failure(failed)
            .on_cancelled(cancelled)
            .run()
        )

    def _step(self, work, text: str) -> None:
        """One step on the selected alert, in a write op; the list reloads from its changes."""
        self.message.clear_message()

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, DoudiError):
                raise exc
            self.message.error(error_sentence(exc))
            if isinstance(exc, ChangedMeanwhile):
                self.refresh()  # show the alert as it is now; the next step states that version

        self.write(lambda s, _p: work(s)).success(lambda _a: self.message.info(text)).failure(refused).run()

    def version_of(self, alert_id: str) -> str | None:
        """The ``updated_at`` of the alert as this page last loaded it (the version a step states)."""
        return next((r.alert.updated_at for r in self.rows if r.alert.id == alert_id), None)

    def acknowledge(self) -> None:
        picked = self.selected_rows()
        if not picked:
            return
        if len(picked) == 1:
            r = picked[0]
            alert_id, version = r.alert.id, r.alert.updated_at
            self._step(
                lambda s: s.monitoring.acknowledge(alert_id, read_version=version),
                self.tr("Alert acknowledged: %1 %2.").replace("%1", r.head_name).replace("%2", r.alert.rule),
            )
            return
        # Each alert states the version shown; one op, one transaction: all acknowledged or none.
        versions = [(r.alert.id, r.alert.updated_at) for r in picked]
        self._step(
            lambda s: s.monitoring.acknowledge_many(versions),
            self.tr("%1 alerts acknowledged.").replace("%1", str(len(versions))),
        )

    def open_follow_dialog(self) -> FormDialog | None:
        """Read the household's visits in an op, then offer them; returns the dialog once open."""
        r = self.selected()
        if r is None:
            return None
        household_id = r.alert.household_id
        (
            self.read(lambda s, _p: s.visits.for_household(household_id))
            .success(lambda visits: self._open_follow_dialog(r, visits))
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )
        return self.dialog

    def _open_follow_dialog(self, r, visits) -> FormDialog | None:
        if r.alert.id != (self.selected().alert.id if self.selected() else None):
            return None  # the clerk moved on while the visits were read
        listing = QListWidget()
        for v in visits:
            concerns = "；".join(findings(v))
            text = f"{v.visit_date}　{v.visitors}　" + self.tr("income: %1").replace("%1", v.income_change)
            if concerns:
                text += "　" + self.tr("concerns: %1").replace("%1", concerns)
            if v.notes:
                text += "　" + v.notes
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            listing.addItem(item)
        if visits:
            listing.setCurrentRow(0)
        listing.setMinimumHeight(160)
        no_visit = self.tr(
            "This household has no visit yet: record the visit first (入户核查), then follow the alert with it."
        )
        alert_id = r.alert.id

        def read():
            item = listing.currentItem()
            if item is None:
                raise ValueError(no_visit)
            # The version as the page shows it now (after a refusal the page has reloaded it).
            return item.data(Qt.ItemDataRole.UserRole), item.text().split("　")[0], self.version_of(alert_id)

        def write(s, value):
            visit_id, visit_label, version = value
            return s.monitoring.follow(alert_id, visit_id, read_version=version), visit_label

        def saved(result) -> None:
            self.message.info(self.tr("Alert followed with the visit of %1.").replace("%1", result[1]))

        dlg = _AlertDialog(
            self.refresh,
            self.tr("Follow the alert with a visit"),
            self,
            read=read,
            write=write,
            intro=f"{r.village} {r.head_name} · {r.alert.rule}：{r.alert.message}",
        )
        dlg.add_row(self.tr("Visit"), listing, field="follow_visit_id")
        if not visits:
            dlg.show_error(no_visit)
        dlg.saved.connect(saved)
        return open_dialog(self, dlg)

    def open_close_dialog(self) -> FormDialog | None:
        picked = self.selected_rows()
        if not picked or not self._can_write or any(r.alert.status == "closed" for r in picked):
            return None
        note = QPlainTextEdit()
        note.setPlaceholderText(self.tr("What was found and what was done, e.g. 已入户核实，已纳入低保申请"))
        note.setFixedHeight(90)
        if len(picked) > 1:
            return self._open_close_many_dialog(picked, note)
        r = picked[0]

        alert_id, today = r.alert.id, date.today()
        dlg = _AlertDialog(
            self.refresh,
            self.tr("Close the alert"),
            self,
            read=lambda: (note.toPlainText(), self.version_of(alert_id)),
            write=lambda s, value: s.monitoring.close(alert_id, value[0], on=today, read_version=value[1]),
            intro=f"{r.village} {r.head_name} · {r.alert.rule}：{r.alert.message}",
        )
        dlg.add_row(self.tr("Result"), note, field="close_note")
        dlg.saved.connect(
            lambda _a: self.message.info(
                self.tr("Alert closed: %1 %2.").replace("%1", r.head_name).replace("%2", r.alert.rule)
            )
        )
        return open_dialog(self, dlg)

    def _open_close_many_dialog(self, picked, note: QPlainTextEdit) -> FormDialog | None:
        ids, today = [r.alert.id for r in picked], date.today()
        listing = "；".join(f"{r.head_name} {r.alert.rule}" for r in picked[:_NAMED_IN_BATCH])
        if len(picked) > _NAMED_IN_BATCH:
            listing += "…"
        dlg = _AlertDialog(
            self.refresh,
            self.tr("Close %1 alerts").replace("%1", str(len(ids))),
            self,
            # the versions as the page shows them now: after a refusal it has reloaded them
            read=lambda: (note.toPlainText(), [(i, self.version_of(i)) for i in ids]),
            write=lambda s, value: s.monitoring.close_many(value[1], value[0], on=today),
            intro=self.tr("One note closes all %1 selected alerts: %2")
            .replace("%1", str(len(ids)))
            .replace("%2", listing),
        )
        dlg.add_row(self.tr("Result"), note, field="close_note")
        dlg.saved.connect(lambda _a: self.message.info(self.tr("%1 alerts closed.").replace("%1", str(len(ids)))))
        return open_dialog(self, dlg)


class _AlertDialog(FormDialog):
    """A step's form: on "changed meanwhile" the page reloads, the text stays, and OK tries the new version."""

    def __init__(self, reload, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reload = reload

    def _refused(self, exc: BaseException) -> None:
        super()._refused(exc)
        if isinstance(exc, ChangedMeanwhile):
            self._reload()
