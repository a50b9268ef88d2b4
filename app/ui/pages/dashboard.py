"""工作台: the numbers a clerk looks at first, loaded off the GUI thread.

Everything shown comes from :class:`app.services.dashboard.DashboardService`, read in an op;
this page only lays it out. The 25th is the domain's (:mod:`app.domain.deadline`, through the
service, knowing whether this month is closed), so the card and the status bar cannot disagree. Every write
changes the unsent count, so any write op's changes reload the page while it is shown.
The work queues (:mod:`app.services.queues`) are read in the same op and shown by the panel the
救助 page shares (:mod:`app.ui.widgets.work_queues`); a queue's household opens in the household
editor on a double-click or Enter, as on the households page.
The 12-month chart is painted with QPainter (no QtCharts in PySide6-Essentials).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import SYNCABLE_TYPES
from ...services.dashboard import DashboardSummary, MonthVisits
from ...services.queues import WorkQueues
from ..fonts import follow_text_size
from ..widgets.work_queues import WorkQueuesPanel, load_queues, open_household_editor
from .base import Page

__all__ = ["DashboardPage", "VisitChart", "load_queues", "load_summary"]

DONE_COLOR = QColor("#2e86c1")
URGENT_DAYS = 3  # the deadline card turns red this close to the 25th (as the status bar does)
DUE_COLOR = QColor("#d6eaf8")


# Every write appends to the change log, and the unsent count shows it: any table is ours.
ALL_TABLES = frozenset(t.TABLE for t in SYNCABLE_TYPES) | {"packages", "channels"}


def load_summary(s, month: str | None = None, today: date | None = None) -> DashboardSummary:
    """Runs in an op, on the session it hands over. The service asks the domain for the 25th
    (app.domain.deadline), knowing whether this month is closed, as the status bar does."""
    return s.dashboard.summary(month, today)


class VisitChart(QWidget):
    """Twelve months of visits: a pale bar for due, a solid bar for done."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.series: list[MonthVisits] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_series(self, series: list[MonthVisits]) -> None:
        self.series = list(series)
        tips = [
            self.tr("%1: %2 of %3 visited").replace("%1", s.month).replace("%2", str(s.done)).replace("%3", str(s.due))
            for s in self.series
        ]
        self.setToolTip("\n".join(tips))
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(8, 46, -8, -22)  # legend, then room for the % labels
        fm = p.fontMetrics()
        # Legend.
        x = rect.left()
        for color, text in ((DONE_COLOR, self.tr("Visited")), (DUE_COLOR, self.tr("Due (under watch today)"))):
            p.fillRect(QRectF(x, 6, 12, 12), color)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(x + 16, 2, 300, 20), Qt.AlignmentFlag.AlignVCenter, text)
            x += 16 + fm.horizontalAdvance(text) + 18
        if not self.series:
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("No data yet"))
            return
        top = max(1, *(s.due for s in self.series), *(s.done for s in self.series))
        n = len(self.series)
        slot = rect.width() / n
        bar = max(4.0, slot * 0.6)
        p.setPen(QPen(QColor("#bbbbbb")))
        p.drawLine(rect.bottomLeft(), rect.bottomRight())
        for i, s in enumerate(self.series):
            cx = rect.left() + slot * i + slot / 2
            due_h = rect.height() * s.due / top
            done_h = rect.height() * s.done / top
            p.fillRect(QRectF(cx - bar / 2, rect.bottom() - due_h, bar, due_h), DUE_COLOR)
            p.fillRect(QRectF(cx - bar / 2, rect.bottom() - done_h, bar, done_h), DONE_COLOR)
            p.setPen(self.palette().text().color())
            label = s.month[5:] if i and s.month[5:] != "01" else s.month[2:].replace("-", "/")
            p.drawText(QRectF(cx - slot / 2, rect.bottom() + 2, slot, 18), Qt.AlignmentFlag.AlignCenter, label)
            if s.due:
                pct = f"{round(100 * s.done / s.due)}%"
                if fm.horizontalAdvance(pct) <= slot:
                    p.drawText(
                        QRectF(cx - slot / 2, rect.bottom() - max(due_h, done_h) - 18, slot, 16),
                        Qt.AlignmentFlag.AlignCenter,
                        pct,
                    )
        p.end()


class _Card(QFrame):
    """A figure with a caption, and an optional line or bar under it."""

    def __init__(self, caption: str, parent=None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.box = layout  # a card may add a widget below its detail line
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #555;")
        self.value = QLabel("—")
        follow_text_size(self.value, 1.9, bold=True)
        self.detail = QLabel("")
        self.detail.setStyleSheet("color: #555;")
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, value: str, detail: str = "", color: str = "") -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {color};" if color else "")
        self.detail.setText(detail)


class DashboardPage(Page):
    """Counts, this month's visits, the 25th, a chart and a table by village."""

    tables = ALL_TABLES

    def __init__(self, session, parent=None, today: Callable[[], date] = date.today):
        super().__init__(session, parent)
        self.today = today
        self.summary: DashboardSummary | None = None
        self.queues: WorkQueues | None = None
        self.editor: QDialog | None = None  # the household editor opened from a queue, while open
        self._loading = False
        self._reload_pending = False
        self.setStyleSheet("#Card { background: palette(base); border: 1px solid #d5d8dc; border-radius: 6px; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        self._build_head(layout)
        self._build_cards(layout)
        self._build_middle(layout)
        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        self._build_villages(bottom)
        self._build_queues(bottom)
        layout.addLayout(bottom, 4)

    def _build_head(self, layout: QVBoxLayout) -> None:
        """Title, month and the refresh button, then the message line."""
        head = QHBoxLayout()
        self.title = QLabel(self.tr("Dashboard"))
        follow_text_size(self.title, 1.4, bold=True)
        head.addWidget(self.title)
        self.month_label = QLabel()
        self.month_label.setStyleSheet("color: #555;")
        head.addWidget(self.month_label)
        head.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Load the numbers again (F5)"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        layout.addWidget(self.message)
        self.backup_warning = QLabel()
        self.backup_warning.setWordWrap(True)
        self.backup_warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.backup_warning.hide()
        layout.addWidget(self.backup_warning)
        self.register_hint = QLabel(
            self.tr(
                "This PC joined its office and has no households yet: the register arrives with the first "
                "PC's next package (Data exchange page)."
            )
        )
        self.register_hint.setWordWrap(True)
        self.register_hint.setStyleSheet("color: #1f618d;")
        self.register_hint.hide()
        layout.addWidget(self.register_hint)

    def _build_cards(self, layout: QVBoxLayout) -> None:
        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.households_card = _Card(self.tr("Households in the register"))
        self.visits_card = _Card(self.tr("Visits this month"))
        self.visits_bar = QProgressBar()
        self.visits_bar.setTextVisible(True)
        self.visits_bar.setFixedHeight(16)
        self.visits_card.box.addWidget(self.visits_bar)
        self.overdue_card = _Card(self.tr("Overdue visits"))
        self.deadline_card = _Card(self.tr("Monthly close (the 25th)"))
        self.unsent_card = _Card(self.tr("Changes not yet sent"))
        for card, stretch in (
            (self.households_card, 1),
            (self.visits_card, 2),
            (self.overdue_card, 1),
            (self.deadline_card, 1),
            (self.unsent_card, 1),
        ):
            cards.addWidget(card, stretch)
        layout.addLayout(cards)

    def _build_middle(self, layout: QVBoxLayout) -> None:
        """Households by category beside the 12-month visit chart."""
        middle = QHBoxLayout()
        middle.setSpacing(10)
        cat_box = QVBoxLayout()
        cat_title = QLabel(self.tr("Households by category"))
        cat_title.setStyleSheet("font-weight: bold;")
        cat_box.addWidget(cat_title)
        self.categories = QGridLayout()
        self.categories.setHorizontalSpacing(16)
        self.categories.setVerticalSpacing(4)
        cat_box.addLayout(self.categories)
        cat_box.addStretch(1)
        cat_frame = QFrame()
        cat_frame.setObjectName("Card")
        cat_frame.setLayout(cat_box)
        cat_frame.setFixedWidth(300)
        middle.addWidget(cat_frame)

        chart_box = QVBoxLayout()
        chart_title = QLabel(self.tr("Visits in the last 12 months"))
        chart_title.setStyleSheet("font-weight: bold;")
        chart_box.addWidget(chart_title)
        self.chart = VisitChart()
        chart_box.addWidget(self.chart, 1)
        chart_frame = QFrame()
        chart_frame.setObjectName("Card")
        chart_frame.setLayout(chart_box)
        middle.addWidget(chart_frame, 1)
        layout.addLayout(middle, 3)

    def _build_villages(self, layout: QHBoxLayout) -> None:
        self.villages = QTableWidget(0, 5)
        self.villages.setHorizontalHeaderLabels(
            [
                self.tr("Village"),
                self.tr("Households"),
                self.tr("Under watch"),
                self.tr("Visited this month"),
                self.tr("Done (%)"),
            ]
        )
        self.villages.verticalHeader().hide()
        self.villages.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.villages.verticalHeader().setDefaultSectionSize(24)
        self.villages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.villages.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.villages.setAlternatingRowColors(True)
        header = self.villages.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # division-code order until a click
        self.villages.setSortingEnabled(True)
        village_title = QLabel(self.tr("By village"))
        village_title.setStyleSheet("font-weight: bold;")
        box = QVBoxLayout()
        box.addWidget(village_title)
        box.addWidget(self.villages, 1)
        layout.addLayout(box, 2)

    def _build_queues(self, layout: QHBoxLayout) -> None:
        """工作队列, shared with the 救助 page: a button per queue with its count, its households below."""
        self.work_queues = WorkQueuesPanel(self)
        self.work_queues.village_changed.connect(self._village_changed)
        # Through a lambda: connected to a bound method, the editor (deleted on close) crashed
        # PySide 6 after a double-click had opened it.
        self.work_queues.household_chosen.connect(lambda hid: self._open_chosen(hid))  # noqa: PLW0108
        layout.addWidget(self.work_queues, 3)

    def _open_chosen(self, household_id: str) -> None:
        self.open_household(household_id)

    def open_household(self, household_id: str) -> QDialog:
        """The same editor as the households page, on this household."""
        editor = open_household_editor(self.session, household_id, self)
        editor.finished.connect(lambda _r: setattr(self, "editor", None))
        self.editor = editor
        return editor

    def _village_changed(self, _code: str) -> None:
        if self.summary is not None:  # the first load fills the list; later choices load again
            self.refresh()

    # --- loading ------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:  # one load at a time; a write meanwhile loads once more
            self._reload_pending = True
            return
        self._loading = True
        self._reload_pending = False
        self.refresh_button.setEnabled(False)
        today = self.today()
        village = self.work_queues.village_code()
        (
            self.read(lambda s, progress: (load_summary(s, today=today), load_queues(s, today, village)))
            .success(self._loaded)
            .failure(self._failed)
            .run()
        )

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        from ..errors import show_exception

        show_exception(exc, self)

    def _loaded(self, result: tuple[DashboardSummary, WorkQueues]) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if self._reload_pending:
            self.refresh()
            return
        summary, queues = result
        self.show_summary(summary)
        self.queues = queues
        self.work_queues.show_queues(queues)

    def show_summary(self, s: DashboardSummary) -> None:
        self.summary = s
        self.month_label.setText(self.tr("Month %1").replace("%1", s.month))
        self.households_card.set(str(s.households), self.tr("%1 under monthly watch").replace("%1", str(s.under_watch)))
        left = s.visits_due - s.visits_done
        self.visits_card.set(
            f"{s.visits_done} / {s.visits_due}",
            self.tr("%1 still to visit").replace("%1", str(left)) if left else self.tr("All visited"),
        )
        self.visits_bar.setRange(0, max(1, s.visits_due))
        self.visits_bar.setValue(min(s.visits_done, max(1, s.visits_due)))
        self.visits_bar.setFormat("%p%")
        self.overdue_card.set(
            str(s.overdue), self.tr("not visited last month or this month"), "#b00020" if s.overdue else ""
        )
        self.deadline_card.set(
            self.days_text(s.days_left),
            s.deadline.isoformat() if s.deadline else "",
            "#b00020" if s.days_left <= URGENT_DAYS else "",
        )
        self.unsent_card.set(str(s.unsent_changes), self.tr("go in the next package to the county"))
        self.show_backup_warning(s)
        self.register_hint.setVisible(s.awaiting_register)
        self._fill_categories(s)
        self.chart.set_series(s.series)
        self._fill_villages(s)

    def show_backup_warning(self, s: DashboardSummary) -> None:
        """More than 7 days without a backup: the register is one disk failure from lost."""
        self.backup_warning.setVisible(s.backup_stale)
        if not s.backup_stale:
            return
        if s.last_backup is None:
            text = self.tr("This office has never been backed up on this PC. Back it up in Settings (Back up now).")
        else:
            text = self.tr("The last backup is from %1, more than 7 days ago. Back up in Settings (Back up now).")
            text = text.replace("%1", s.last_backup.strftime("%Y-%m-%d"))
        self.backup_warning.setText(text)

    def days_text(self, days: int) -> str:
        if days < 0:
            return self.tr("Overdue by %1 days").replace("%1", str(-days))
        if days == 0:
            return self.tr("Today")
        return self.tr("%1 days").replace("%1", str(days))

    def _fill_categories(self, s: DashboardSummary) -> None:
        while self.categories.count():
            item = self.categories.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row, (name, count) in enumerate(s.categories):
            name_label = QLabel(name)
            count_label = QLabel(str(count))
            count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            col = (row % 2) * 2
            self.categories.addWidget(name_label, row // 2, col)
            self.categories.addWidget(count_label, row // 2, col + 1)

    def _fill_villages(self, s: DashboardSummary) -> None:
        table = self.villages
        table.setSortingEnabled(False)
        table.setRowCount(len(s.villages))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, v in enumerate(s.villages):
            name = QTableWidgetItem(v.name)
            name.setData(Qt.ItemDataRole.UserRole, v.code)
            table.setItem(row, 0, name)
            pct = round(100 * v.visited / v.under_watch) if v.under_watch else 100
            for col, value in ((1, v.households), (2, v.under_watch), (3, v.visited), (4, pct)):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)  # numbers, so sorting is numeric
                item.setTextAlignment(right)
                table.setItem(row, col, item)
        table.setSortingEnabled(True)
