"""月结 page: the monthly close by the 25th (泾民发〔2021〕33号).

The checklist (visits, alerts, comparison, roster), the 动态管理增减名单 of the month,
比对… (to the 比对 page, where this month's lists are compared), and the close itself
(reviewers only; an incomplete checklist needs a written reason). A closed month shows the figures frozen at the close.

Reads and writes go through the one door; a write refreshes the page through its
:class:`OpChanges` (see ``tables``), never by hand. The 25th comes from app.domain.deadline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.deadline import deadline_for
from ...domain.policy import months
from ...services import permissions
from ...services.monthly_close import ChangeList, ChangeRow, ChecklistItem
from ...services.reports import ReportRequest
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import (
    CENTER,
    ERROR_COLOR,
    OK_COLOR,
    RIGHT,
    WARN_COLOR,
    Col,
    FormDialog,
    ListTableModel,
    error_sentence,
    fit_columns,
    month_header,
    open_dialog,
    setup_table,
    table_item,
    yuan,
)
from .base import Page

__all__ = ["MonthlyClosePage"]

#: From this many days before the 25th the countdown turns amber (a week's work is left).
WARN_DAYS = 5


def month_deadline(month: str) -> date:
    """The close deadline of *month* (its 25th): the domain's deadline as seen from the month's first day."""
    return deadline_for(months.first_day(month))


def load_month(s, month: str) -> dict:
    """Runs in a read op: a closed month as frozen at the close, an open one as it stands."""
    closed = s.monthly_close.closed(month)
    if closed is not None:
        checklist = [ChecklistItem(**i) for i in json.loads(closed.checklist_json or "[]")]
        changes = ChangeList([ChangeRow(**c) for c in json.loads(closed.changes_json or "[]")])
    else:
        checklist = s.monthly_close.checklist(month)
        changes = s.monthly_close.change_list(month)
    return {
        "month": month,
        "closed": closed,
        "checklist": checklist,
        "changes": changes.rows,
        "changes_missing": changes.not_generated,
        "deadline": month_deadline(month),
    }


class MonthlyClosePage(Page):
    # What the checklist and the 增减名单 are made of: visits, alerts, the roster, the enrolments
    # behind it and the households it names; the close itself; and the comparisons with their
    # findings (a disposition recorded on the 比对 page ticks the 数据比对 item here).
    tables = frozenset(
        {
            "month_closes",
            "payments",
            "enrolments",
            "enrolment_steps",
            "households",
            "visits",
            "alerts",
            "comparisons",
            "comparison_findings",
        }
    )

    def __init__(self, session, parent=None, today: Callable[[], date] = date.today):
        super().__init__(session, parent)
        self.today = today
        self.data: dict | None = None
        self.dialog: FormDialog | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        # A month is closed once it has begun, never ahead of time (the service refuses it too):
        # the picker stops at the current month and opens on it.
        current = months.of(self.today())
        bar, self.month = month_header(self.tr("Monthly close"), self.tr("Month:"), latest=current)
        self.month.set_month(current)
        self.month.month_changed.connect(lambda _m: self._month_changed())
        bar.addSpacing(12)
        self.countdown = QLabel()
        bar.addWidget(self.countdown)
        bar.addStretch(1)
        # The 数据比对 item is ticked by the comparisons recorded on the 比对 page, not by a typed note.
        self.comparison_button = QPushButton(self.tr("Compare lists…"))
        self.comparison_button.setToolTip(self.tr("Compare the departments' lists with the register (Comparison page)"))
        self.comparison_button.clicked.connect(self.open_comparison_page)
        self.close_button = QPushButton(self.tr("Close month…"))
        self.close_button.clicked.connect(self.open_close_dialog)
        bar.addWidget(self.comparison_button)
        bar.addWidget(self.close_button)
        self._add_report_buttons(bar)
        layout.addLayout(bar)
        # Why 月结… cannot be pressed yet, said on the page and not only in a tooltip.
        self.close_blocked = QLabel()
        self.close_blocked.setWordWrap(True)
        self.close_blocked.setStyleSheet(f"color: {WARN_COLOR};")
        self.close_blocked.hide()
        layout.addWidget(self.close_blocked)
        layout.addWidget(self.message)
        if not session.can(permissions.WRITE_REGISTER):
            self.comparison_button.setEnabled(False)
            self.comparison_button.setToolTip(self.tr("Your role may not compare lists."))
        self._can_close = session.can(permissions.APPROVE_ENROLMENT)
        # Until the month is loaded nobody knows whether its roster is locked.
        self.close_button.setEnabled(False)
        if not self._can_close:
            self.close_button.setToolTip(self.tr("Only a reviewer (审核人) may close the month."))

        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        check_box = QGroupBox(self.tr("Checklist"))
        cv = QVBoxLayout(check_box)
        self.checklist = QTableWidget(0, 3)
        self.checklist.setHorizontalHeaderLabels(["", self.tr("Item"), self.tr("Detail")])
        setup_table(self.checklist)
        fit_columns(self.checklist, [32, 110])
        self.checklist.verticalHeader().hide()
        self.checklist.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.checklist.setFixedHeight(4 * 26 + self.checklist.horizontalHeader().sizeHint().height() + 4)
        cv.addWidget(self.checklist)
        cv.addStretch(1)  # at the top when the frozen figures beside it are taller
        th.addWidget(check_box, 3)

        self.frozen_box = QGroupBox(self.tr("Frozen figures"))
        fv = QVBoxLayout(self.frozen_box)
        self.frozen_label = QLabel()
        self.frozen_label.setWordWrap(True)
        fv.addWidget(self.frozen_label)
        self.frozen_table = QTableWidget(0, 4)
        self.frozen_table.setHorizontalHeaderLabels(
            [self.tr("Programme"), self.tr("Households"), self.tr("Persons"), self.tr("Amount (yuan)")]
        )
        setup_table(self.frozen_table, stretch=0)
        self.frozen_table.verticalHeader().hide()
        # Frozen figures are few and must be read whole: no scroll bars, the table as tall and the
        # number columns as wide as their contents (the programme name takes what is left).
        for c in (1, 2, 3):
            self.frozen_table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.frozen_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen_table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        fv.addWidget(self.frozen_table)
        th.addWidget(self.frozen_box, 2)
        layout.addWidget(top)

        changes_box = QGroupBox(self.tr("动态管理增减名单 (additions and removals)"))
        chv = QVBoxLayout(changes_box)
        self.changes_summary = QLabel()
        chv.addWidget(self.changes_summary)
        self.changes_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Change"),
                    lambda c: c.change,
                    CENTER,
                    context="MonthlyClosePage",
                    color=lambda c: _change_color(c.change),
                ),
                Col(QT_TRANSLATE_NOOP("MonthlyClosePage", "Village"), lambda c: c.village, context="MonthlyClosePage"),
                Col(QT_TRANSLATE_NOOP("MonthlyClosePage", "Head"), lambda c: c.head_name, context="MonthlyClosePage"),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Programme"),
                    lambda c: c.programme,
                    context="MonthlyClosePage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Persons before"),
                    lambda c: c.persons_before,
                    RIGHT,
                    context="MonthlyClosePage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Persons after"),
                    lambda c: c.persons_after,
                    RIGHT,
                    context="MonthlyClosePage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Yuan before"),
                    lambda c: yuan(c.amount_before_fen),
                    RIGHT,
                    context="MonthlyClosePage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Yuan after"),
                    lambda c: yuan(c.amount_after_fen),
                    RIGHT,
                    context="MonthlyClosePage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("MonthlyClosePage", "Effective"),
                    lambda c: c.month,
                    CENTER,
                    context="MonthlyClosePage",
                ),
                Col(QT_TRANSLATE_NOOP("MonthlyClosePage", "Reason"), lambda c: c.reason, context="MonthlyClosePage"),
            ]
        )
        self.changes_table = QTableView()
        self.changes_table.setModel(self.changes_model)
        setup_table(self.changes_table)
        fit_columns(self.changes_table, [60, 90, 80, 140, 80, 80, 115, 115, 75])
        chv.addWidget(self.changes_table)
        layout.addWidget(changes_box, 1)

    # ------------------------------------------------------------------ loading

    def _month_changed(self) -> None:
        self.message.clear_message()  # what was said about the month before is not about this one
        self.request_refresh()

    def refresh(self) -> None:
        month = self.month.month()
        (
            self.read(lambda s, _progress: load_month(s, month))
            .success(self._loaded)
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )

    def _loaded(self, data: dict) -> None:
        if data["month"] != self.month.month():
            return
        self.data = data
        closed = data["closed"]
        self._show_countdown(data["deadline"], closed)
        self._show_checklist(data["checklist"])
        self.changes_model.set_rows(data["changes"])
        counts: dict[str, int] = {}
        for c in data["changes"]:
            counts[c.change] = counts.get(c.change, 0) + 1
        if data["changes_missing"]:
            # The service's sentence: with no roster there is nothing to compare, not "everyone stopped".
            self.changes_summary.setText(data["changes_missing"])
        elif counts:
            self.changes_summary.setText("　".join(f"{k} {v}" for k, v in sorted(counts.items())))
        else:
            self.changes_summary.setText(self.tr("No additions or removals against the previous month's roster."))
        self.changes_table.setVisible(not data["changes_missing"])
        self.frozen_box.setVisible(closed is not None)
        if closed is not None:
            self._show_frozen(closed)
        self._show_close_state(data)
        if self.session.can(permissions.WRITE_REGISTER):
            self.comparison_button.setEnabled(closed is None)

    def close_refusal(self) -> str:
        """Why this month cannot be closed now, or "" when it can (the service decides anyway)."""
        if not self.data:
            return self.tr("Loading the month…")
        if self.data["closed"] is not None:
            return self.tr("This month is closed.")
        if not self._can_close:
            return self.tr("Only a reviewer (审核人) may close the month.")
        return self._roster_refusal(self.data)

    def _roster_refusal(self, data: dict) -> str:
        if data["closed"] is None and any(i.key == "roster" and not i.done for i in data["checklist"]):
            return self.tr(
                "The roster of %1 is not approved and locked yet: a reviewer locks it on the "
                "Assistance payments page before the month can be closed."
            ).replace("%1", data["month"])
        return ""

    def _show_close_state(self, data: dict) -> None:
        refusal = self.close_refusal()
        self.close_button.setEnabled(not refusal)
        self.close_button.setToolTip(refusal or self.tr("Close the month and freeze its figures."))
        # The unlocked roster is also said on the page, to every role: it is the month's blocker.
        roster = self._roster_refusal(data)
        self.close_blocked.setText(roster)
        self.close_blocked.setVisible(bool(roster))

    def _show_countdown(self, deadline: date, closed) -> None:
        if closed is not None:
            text = self.tr("Closed on %1").replace("%1", closed.closed_on.isoformat() if closed.closed_on else "")
            color = OK_COLOR
        else:
            days = (deadline - self.today()).days
            if days > 0:
                text = self.tr("%1 days left until the 25th (%2)").replace("%1", str(days))
                color = WARN_COLOR if days <= WARN_DAYS else "#333333"
            elif days == 0:
                text = self.tr("Due today (%2)")
                color = ERROR_COLOR
            else:
                text = self.tr("%1 days past the 25th (%2)").replace("%1", str(-days))
                color = ERROR_COLOR
            text = text.replace("%2", deadline.isoformat())
        self.countdown.setText(text)
        self.countdown.setStyleSheet(f"color: {color}; font-weight: bold;")

    def _show_checklist(self, items: list[ChecklistItem]) -> None:
        t = self.checklist
        t.setRowCount(0)
        for i in items:
            r = t.rowCount()
            t.insertRow(r)
            mark = table_item("✓" if i.done else "✗", CENTER, OK_COLOR if i.done else ERROR_COLOR)
            f = mark.font()
            f.setBold(True)
            mark.setFont(f)
            t.setItem(r, 0, mark)
            t.setItem(r, 1, table_item(i.label))
            t.setItem(r, 2, table_item(i.detail))

    def _show_frozen(self, closed) -> None:
        figures = json.loads(closed.figures_json or "{}")
        visits = figures.get("visits", {})
        text = (
            self.tr("Closed on %1 by the reviewer. Visits: %2 of %3.")
            .replace("%1", closed.closed_on.isoformat() if closed.closed_on else "")
            .replace("%2", str(visits.get("done", "—")))
            .replace("%3", str(visits.get("due", "—")))
        )
        if closed.note:
            text += "\n" + self.tr("Reason given: %1").replace("%1", closed.note)
        self.frozen_label.setText(text)
        t = self.frozen_table
        t.setRowCount(0)
        grand = {"households": 0, "persons": 0, "amount_fen": 0}
        for programme, v in sorted(figures.get("totals", {}).items()):
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, table_item(programme))
            for c, key in enumerate(grand, start=1):
                value = v.get(key, 0)
                grand[key] += value
                t.setItem(r, c, table_item(yuan(value) if key == "amount_fen" else str(value), RIGHT))
        # The total row sums each column (a household paid under two programmes counts twice, as
        # on the 救助 page's totals), in bold so it is not read as one more programme.
        r = t.rowCount()
        t.insertRow(r)
        cells = [
            table_item(self.tr("Total")),
            table_item(str(grand["households"]), RIGHT),
            table_item(str(grand["persons"]), RIGHT),
            table_item(yuan(grand["amount_fen"]), RIGHT),
        ]
        for c, item in enumerate(cells):
            f = item.font()
            f.setBold(True)
            item.setFont(f)
            t.setItem(r, c, item)
        # Whole, never scrolled: as tall as the header and every row.
        t.setFixedHeight(t.horizontalHeader().height() + t.rowCount() * t.verticalHeader().defaultSectionSize() + 4)

    def checklist_incomplete(self) -> list[str]:
        if not self.data:
            return []
        return [i.label for i in self.data["checklist"] if not i.done]

    # ------------------------------------------------------------------ reports

    def _add_report_buttons(self, bar: QHBoxLayout) -> None:
        # The 增减名单 as the paper the county receives by the 25th, on the 报表 page.
        self.print_button = QPushButton(self.tr("Print additions and removals…"))
        self.print_button.setToolTip(self.tr("Preview and print this month's 增减名单 (Reports page)"))
        self.print_button.clicked.connect(lambda _checked=False: self.open_report("print"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save this month's 增减名单 as PDF or Excel (Reports page)"))
        self.export_button.clicked.connect(lambda _checked=False: self.open_report("save"))
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)

    def open_report(self, then: str = "") -> bool:
        """The month's 增减名单 on the main window's 报表 page; False when there is no such window."""
        opener = getattr(self.window(), "open_report", None)
        if not callable(opener):
            return False
        opener(ReportRequest(name="changes", month=self.month.month()), then)
        return True

    # ------------------------------------------------------------------ actions
    # The dialogs' writes report what they changed; on_changes reloads the page from that.

    def open_comparison_page(self) -> QWidget | None:
        """Show the 比对 page, where this month's lists are compared and their findings handled."""
        window = self.window()
        show = getattr(window, "show_page_key", None)
        return show("comparison") if callable(show) else None

    def open_close_dialog(self) -> FormDialog | None:
        if self.close_refusal():
            # The button is disabled for the same reason; asking for a reason first and refusing
            # afterwards is what this replaces.
            self.message.error(self.close_refusal())
            return None
        month = self.month.month()
        missing = self.checklist_incomplete()
        note = QPlainTextEdit()
        note.setFixedHeight(90)
        if missing:
            intro = self.tr(
                "Not done yet: %1. The month can still be closed with a written reason, kept with the "
                "frozen figures. The roster must be approved in any case."
            ).replace("%1", "、".join(missing))
            note.setPlaceholderText(self.tr("Required: why the month is closed with items not done."))
            label = self.tr("Reason (required)")
        else:
            intro = self.tr(
                "Every item of the checklist is done. Closing freezes the month's figures; later "
                "corrections go into the next month."
            )
            label = self.tr("Note")
        on = self.today()
        dlg = FormDialog(
            self.tr("Close %1").replace("%1", month),
            self,
            read=note.toPlainText,
            write=lambda s, text, progress: s.monthly_close.close(month, note=text, on=on, progress=progress),
            progress_label=self.tr("Closing %1: freezing its figures…").replace("%1", month),
            intro=intro,
        )
        dlg.add_row(label, note, field="note")
        dlg.saved.connect(
            lambda _r: self.message.info(self.tr("%1 closed; its figures are frozen.").replace("%1", month))
        )
        return open_dialog(self, dlg)


def _change_color(change: str) -> str | None:
    if change in ("新增", "增发", "户内增人"):
        return OK_COLOR
    if change in ("停保", "减发", "户内减人"):
        return ERROR_COLOR
    return None
