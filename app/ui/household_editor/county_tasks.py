"""The county's tasks about this household, at the top of its file (county mode, docs/county.md).

At a township: each open task in one line, with 答复… to say what was done (a reply the township
owns, sent back in its next package). At the county: the tasks sent and their replies, and 下发任务…
to send a new one. Hidden when there is nothing to show and nothing to send.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...services import permissions
from ..ops import Op, OpChanges
from ..widgets import DateEdit, FormDialog, open_dialog

if TYPE_CHECKING:
    from ...services.county_work import OpenTask
    from ...services.session import Session

TABLES = ("county_tasks", "task_replies")


class CountyTasksBar(QWidget):
    def __init__(self, session: Session, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.county = session.office.kind == "county"
        self.tasks: list[OpenTask] = []
        self.dialog: FormDialog | None = None
        self.setStyleSheet("CountyTasksBar { background: #fef5e7; border-radius: 4px; }")
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(8, 4, 8, 4)
        self.send_button = QPushButton(self.tr("Send a task to the township…"))
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(lambda _checked=False: self.open_send_dialog())
        self.send_button.setVisible(self.county and session.can(permissions.COUNTY_DECIDE))
        self.hide()

    def refresh(self) -> None:
        hid = self.household_id
        Op(self, lambda s, _p: s.county_work.tasks_of_household(hid)).success(self._show).run()

    def on_changes(self, changes: OpChanges) -> None:
        if changes.touches(*TABLES):
            self.refresh()

    def _show(self, tasks: list[OpenTask]) -> None:
        self.tasks = tasks
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.send_button:
                widget.deleteLater()
        shown = [t for t in tasks if self.county or t.reply is None]
        for t in shown:
            self.rows.addWidget(self._line(t))
        if self.send_button.isVisible() or (self.county and self.session.can(permissions.COUNTY_DECIDE)):
            self.rows.addWidget(self.send_button)
        self.setVisible(bool(shown) or self.county)

    def _line(self, t: OpenTask) -> QWidget:
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        due = t.task.due_on.isoformat() if t.task.due_on else ""
        text = self.tr("County task: %1 (by %2)").replace("%1", t.task.text).replace("%2", due)
        if t.reply is not None:
            text += "　" + self.tr("answered %1: %2").replace("%1", str(t.reply.done_on)).replace("%2", t.reply.note)
        label = QLabel(text)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        if not self.county and t.reply is None and self.session.can(permissions.WRITE_REGISTER):
            answer = QPushButton(self.tr("Answer…"))
            answer.setAutoDefault(False)
            answer.clicked.connect(lambda _checked=False, task=t: self.open_reply_dialog(task))
            row.addWidget(answer)
        return line

    def open_reply_dialog(self, t: OpenTask) -> FormDialog:
        note = QLineEdit()
        done = DateEdit(date.today(), maximum=date.today())
        task_id = t.task.id
        dlg = FormDialog(
            self.tr("Answer the county's task"),
            self,
            read=lambda: (note.text(), done.value()),
            write=lambda s, v: s.county_work.reply(task_id, v[0], v[1]),
            intro=t.task.text,
        )
        dlg.add_row(self.tr("What was done:"), note, field="note")
        dlg.add_row(self.tr("Done on:"), done, field="done_on")
        self.dialog = open_dialog(self, dlg)
        return dlg

    def open_send_dialog(self) -> FormDialog:
        text = QLineEdit()
        text.setPlaceholderText(self.tr("for example: visit again and check the income"))
        due = DateEdit(date.today() + timedelta(days=14))
        hid = self.household_id
        dlg = FormDialog(
            self.tr("Send a task to the township"),
            self,
            read=lambda: (text.text(), due.value()),
            write=lambda s, v: s.county_work.send_task(hid, v[0], v[1]),
            intro=self.tr("The task travels in the county's next package and waits in the township's work queues."),
        )
        dlg.add_row(self.tr("Task:"), text, field="text")
        dlg.add_row(self.tr("Due by:"), due, field="due_on")
        self.dialog = open_dialog(self, dlg)
        return dlg
