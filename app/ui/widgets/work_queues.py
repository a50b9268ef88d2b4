"""The work queues (工作队列) as the dashboard and the 救助 page show them, one widget for both.

A button per queue with its count (待审批, 公示到期, 渐退到期, 本月待核查, 县级任务, 迁入待接收, 迁出待办理),
a village filter for a village cadre's own view, and the chosen queue's households; a double-click or
Enter opens the household in the household editor. A household moving in is not held here yet: its
line opens the dialog that registers it, and then its new file. The panel only shows what a page read with
:func:`load_queues` in an op; when the village changes it asks its page to read again.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.queues import (
    APPROVAL,
    MOVING_IN,
    MOVING_OUT,
    PUBLICITY,
    QUEUES,
    TAPER,
    TASKS,
    VISITS,
    QueueItem,
    WorkQueues,
    WorkQueueService,
)
from ..ops import Op

if TYPE_CHECKING:
    from ...services.session import Session

__all__ = ["WorkQueuesPanel", "load_queues", "open_household_editor"]


def load_queues(s: Session, today: date, village_code: str = "") -> WorkQueues:
    """Runs in an op: every work queue, for one village or all."""
    return WorkQueueService(s).queues(today, village_code)


def open_household_editor(session: Session, household_id: str, parent: QWidget) -> QDialog:
    """The same editor as the households page, on this household, closed with its parent."""
    from ..household_editor import HouseholdEditor  # the editor's modules import these widgets

    editor = HouseholdEditor(session, household_id, parent)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.open()
    return editor


class WorkQueuesPanel(QWidget):
    """Queue buttons with counts, a village filter, and the households of the chosen queue."""

    village_changed = Signal(str)  # village code, "" for all: the page reads the queues again
    household_chosen = Signal(str)  # household id, on a double-click or Enter

    def __init__(self, parent: QWidget | None = None, title: bool = True) -> None:
        super().__init__(parent)
        self.queues: WorkQueues | None = None
        self.dialog: Any = None  # the open 迁入 dialog (tests drive it there)
        self.village_filter = QComboBox()
        self.village_filter.setToolTip(self.tr("Show the queues of one village"))
        self.village_filter.addItem(self.tr("All villages"), "")
        self.village_filter.currentIndexChanged.connect(
            lambda _i: self.village_changed.emit(self.village_filter.currentData() or "")
        )
        village = QHBoxLayout()
        village.addWidget(QLabel(self.tr("Village:")))
        village.addWidget(self.village_filter)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.queue_group = QButtonGroup(self)
        self.queue_group.setExclusive(True)
        self.queue_buttons: dict[str, QPushButton] = {}
        for name in QUEUES:
            button = QPushButton()
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, q=name: self.show_queue(q))
            self.queue_group.addButton(button)
            self.queue_buttons[name] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.current_queue = APPROVAL
        self.queue_buttons[APPROVAL].setChecked(True)
        self._label_buttons()

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        if title:  # a heading, the village on its right; the buttons below
            head = QHBoxLayout()
            heading = QLabel(self.tr("Work queues"))
            heading.setStyleSheet("font-weight: bold;")
            head.addWidget(heading)
            head.addStretch(1)
            head.addLayout(village)
            box.addLayout(head)
        else:  # on a tab of its own: the buttons, the village on their right
            buttons.addLayout(village)
        box.addLayout(buttons)

        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip(self.tr("Double-click or press Enter to open the household"))
        header = self.table.horizontalHeader()
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(col, mode)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut).activated.connect(
                self.open_selected
            )
        self._set_headers()

        box.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("No household is waiting in this queue."))
        self.empty.setStyleSheet("color: #777;")
        self.empty.hide()  # until a read says so
        box.addWidget(self.empty)

    def village_code(self) -> str:
        """The village chosen in the filter ("" for all)."""
        return self.village_filter.currentData() or ""

    def queue_names(self) -> dict[str, str]:
        return {
            APPROVAL: self.tr("Awaiting approval"),
            PUBLICITY: self.tr("Publicity ended"),
            TAPER: self.tr("Taper ending"),
            VISITS: self.tr("To visit this month"),
            TASKS: self.tr("County tasks"),
            MOVING_IN: self.tr("Moving in"),
            MOVING_OUT: self.tr("Moving out"),
        }

    def _date_headers(self) -> dict[str, str]:
        """What the date column means in each queue."""
        return {
            APPROVAL: self.tr("Sent for approval"),
            PUBLICITY: self.tr("Publicity ended on"),
            TAPER: self.tr("Last taper month"),
            VISITS: self.tr("Last visit"),
            TASKS: self.tr("Sent on"),
            MOVING_IN: self.tr("Approved on"),
            MOVING_OUT: self.tr("Approved on"),
        }

    def _label_buttons(self) -> None:
        names = self.queue_names()
        for name, button in self.queue_buttons.items():
            label = names.get(name, name)
            button.setText(f"{label}  {self.queues.count(name)}" if self.queues else label)

    def _set_headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Village"),
                self.tr("Head of household"),
                self.tr("Due"),
                self._date_headers().get(self.current_queue, ""),
            ]
        )

    def total(self) -> int:
        """Households waiting in every queue together (a household may be in more than one)."""
        return sum(self.queues.count(q) for q in QUEUES) if self.queues else 0

    def show_queues(self, q: WorkQueues) -> None:
        """Show a fresh read: the counts, the villages offered, and the chosen queue's households."""
        self.queues = q
        self._fill_village_filter(q)
        self._label_buttons()
        self.show_queue(self.current_queue)

    def show_queue(self, name: str) -> None:
        """List the households of one queue (its button stays pressed)."""
        self.current_queue = name
        self.queue_buttons[name].setChecked(True)
        self._set_headers()
        items: list[QueueItem] = self.queues.queues.get(name, []) if self.queues else []
        table = self.table
        table.setRowCount(len(items))
        self.empty.setVisible(self.queues is not None and not items)
        # Only a visit can be missing altogether; an enrolment without the step's date (older data) shows none.
        never = self.tr("never") if name == VISITS else ""
        for row, item in enumerate(items):
            village = QTableWidgetItem(item.village)
            village.setData(Qt.ItemDataRole.UserRole, item.household_id)
            table.setItem(row, 0, village)
            head = QTableWidgetItem(item.head_name)
            head.setData(Qt.ItemDataRole.UserRole, item.handover_id)
            table.setItem(row, 1, head)
            table.setItem(row, 2, QTableWidgetItem(item.due))
            table.setItem(row, 3, QTableWidgetItem(item.since or never))

    def selected_household(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_selected(self) -> None:
        if self.current_queue == MOVING_IN:
            self.open_moving_in()
            return
        hid = self.selected_household()
        if hid:
            self.household_chosen.emit(hid)

    def open_moving_in(self) -> None:
        """Read the chosen hand-over and offer to register the household; then open its new file."""
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        handover_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not handover_id:
            return

        def read(s: Session, _p: Any) -> tuple[str, Any]:
            found = [v for v in s.handovers.incoming() if v.handover.id == handover_id]
            return s.office.code, found[0] if found else None

        Op(self, read).success(self._offer_moving_in).run()

    def _offer_moving_in(self, result: tuple[str, Any]) -> None:
        from ..household_editor.handover import open_accept_dialog

        office_code, view = result
        if view is None:  # registered meanwhile (another PC of this office)
            return
        dlg = open_accept_dialog(self, office_code, view)
        dlg.saved.connect(lambda household: self.household_chosen.emit(household.id))

    def _fill_village_filter(self, q: WorkQueues) -> None:
        combo = self.village_filter
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for code, name in q.villages:
                combo.addItem(name, code)
            combo.setCurrentIndex(max(0, combo.findData(q.village_code)))
        finally:
            combo.blockSignals(False)
