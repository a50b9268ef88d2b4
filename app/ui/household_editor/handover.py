"""A household moving to another township, in its file and in the receiver's queue (issue 10).

At the county: the hand-over's line with what each township has done, and 跨乡镇迁移… to decide
one. At the sending township: 「县民政局已批准迁往 B（日期）」 with 办理迁出. The receiving
township holds no household yet, so its side is a dialog opened from the 迁入待接收 queue
(:func:`open_accept_dialog`). Hidden when there is nothing to show and nothing to decide.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...domain.entities import HANDOVER_WAITING
from ...services import permissions
from ..ops import Op, OpChanges
from ..widgets import DateEdit, FormDialog, open_dialog, village_combo

if TYPE_CHECKING:
    from ...services.handovers import HandoverView
    from ...services.session import Session

TABLES = ("handovers", "handover_replies", "households")


class HandoverBar(QWidget):
    moved_out_read = Signal(bool)  # after each read: whether the household left through a hand-over

    def __init__(self, session: Session, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.county = session.office.kind == "county"
        self.view: HandoverView | None = None
        self.archived = False
        self.dialog: FormDialog | None = None
        self.setStyleSheet("HandoverBar { background: #eaf2fb; border-radius: 4px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.start_button = QPushButton(self.tr("Move to another township…"))
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(lambda _checked=False: self.open_start_dialog())
        row.addWidget(self.start_button)
        self.release_button = QPushButton(self.tr("Move out…"))
        self.release_button.setAutoDefault(False)
        self.release_button.clicked.connect(lambda _checked=False: self.open_release_dialog())
        row.addWidget(self.release_button)
        self.withdraw_button = QPushButton(self.tr("Withdraw the move…"))
        self.withdraw_button.setAutoDefault(False)
        self.withdraw_button.clicked.connect(lambda _checked=False: self.open_withdraw_dialog())
        row.addWidget(self.withdraw_button)
        self.hide()

    def refresh(self) -> None:
        hid = self.household_id

        def read(s: Session, _p: Any) -> tuple[HandoverView | None, bool]:
            household, _members = s.households.get(hid)
            return s.handovers.for_household(hid), household.archived

        Op(self, read).success(self._show).run()

    def on_changes(self, changes: OpChanges) -> None:
        if changes.touches(*TABLES):
            self.refresh()

    def _show(self, result: tuple[HandoverView | None, bool]) -> None:
        self.view, self.archived = result
        v = self.view
        can_decide = self.county and self.session.can(permissions.COUNTY_DECIDE)
        offer = can_decide and v is None and not self.archived
        self.start_button.setVisible(offer)
        # Only while neither township has done its part (the service says why otherwise).
        untouched = v is not None and v.accepted is None and v.released is None and v.status == HANDOVER_WAITING
        self.withdraw_button.setVisible(can_decide and untouched)
        mine = v is not None and not self.county and v.handover.from_township == self.session.office.code
        self.release_button.setVisible(
            mine and v is not None and v.released is None and self.session.can(permissions.WRITE_REGISTER)
        )
        if v is None:
            self.label.setText("")
        elif self.county:
            self.label.setText(
                self.tr("Move to %1 approved on %2: %3")
                .replace("%1", v.to_name)
                .replace("%2", str(v.handover.decided_on))
                .replace("%3", v.status)
            )
        elif v.released is None:
            self.label.setText(
                self.tr("The county bureau approved the move to %1 (%2): %3")
                .replace("%1", v.to_name)
                .replace("%2", str(v.handover.decided_on))
                .replace("%3", v.handover.reason)
            )
        else:
            self.label.setText(
                self.tr("Moved out to %1 on %2 (%3)")
                .replace("%1", v.to_name)
                .replace("%2", str(v.released.done_on))
                .replace("%3", v.status)
            )
        self.setVisible(v is not None or offer)
        self.moved_out_read.emit(self.moved_out())

    def moved_out(self) -> bool:
        """Whether this household left through a hand-over (then it is history, not to be edited)."""
        return self.view is not None and self.view.released is not None

    def open_start_dialog(self) -> FormDialog:
        towns = QComboBox()
        for code, name in self.session.county.township_names():
            towns.addItem(name, code)
        on = DateEdit(date.today(), maximum=date.today())
        reason = QLineEdit()
        reason.setPlaceholderText(self.tr("for example: joins a son's household there"))
        hid = self.household_id
        dlg = FormDialog(
            self.tr("Move the household to another township"),
            self,
            read=lambda: (towns.currentData() or "", on.value(), reason.text()),
            write=lambda s, v: s.handovers.start(hid, v[0], v[1], v[2]),
            intro=self.tr(
                "The decision travels in the county's next packages to both townships: the new one "
                "registers the family, the old one stops its assistance and archives the household."
            ),
        )
        dlg.add_row(self.tr("Moves to:"), towns, field="township_code")
        dlg.add_row(self.tr("Approved on:"), on, field="decided_on")
        dlg.add_row(self.tr("Reason:"), reason, field="reason")
        self.dialog = open_dialog(self, dlg)
        return dlg

    def open_release_dialog(self) -> FormDialog | None:
        if self.view is None:
            return None
        handover_id = self.view.handover.id
        on = DateEdit(date.today(), maximum=date.today())
        dlg = FormDialog(
            self.tr("Move the household out"),
            self,
            read=on.value,
            write=lambda s, v: s.handovers.release(handover_id, v),
            intro=self.tr(
                "Its assistance stops from next month and the household is archived as moved out; "
                "it can no longer be edited here."
            ),
        )
        dlg.add_row(self.tr("Moved out on:"), on, field="done_on")
        self.dialog = open_dialog(self, dlg)
        return dlg

    def open_withdraw_dialog(self) -> FormDialog | None:
        if self.view is None:
            return None
        handover_id = self.view.handover.id
        reason = QLineEdit()
        reason.setPlaceholderText(self.tr("for example: the family decided to stay"))
        dlg = FormDialog(
            self.tr("Withdraw the move to another township"),
            self,
            read=reason.text,
            write=lambda s, v: s.handovers.withdraw(handover_id, v),
            intro=self.tr(
                "Neither township has acted on it yet. The withdrawal travels in the county's next "
                "packages to both townships, and the move leaves their queues."
            ),
        )
        dlg.add_row(self.tr("Reason:"), reason, field="reason")
        self.dialog = open_dialog(self, dlg)
        return dlg


def open_accept_dialog(owner: Any, office_code: str, view: HandoverView) -> FormDialog:
    """At the receiver: register the family the county moved here in one of this township's villages;
    the dialog's ``saved`` carries the new household."""
    village = QComboBox()
    village_combo(village, office_code)
    if village.count() > 1:
        village.setCurrentIndex(1)  # the first village under the township's heading
    on = DateEdit(date.today(), maximum=date.today())
    people = "、".join(f"{m.get('name', '')}（{m.get('relation', '')}）" for m in view.handover.snapshot["members"])
    handover_id = view.handover.id

    dlg = FormDialog(
        QCoreApplication.translate("HandoverAcceptDialog", "Register a household moving in"),
        owner if isinstance(owner, QWidget) else None,
        read=lambda: (village.currentData() or "", on.value()),
        write=lambda s, v: s.handovers.accept(handover_id, v[0], v[1]),
        intro=QCoreApplication.translate(
            "HandoverAcceptDialog", "From %1, approved by the county bureau on %2: %3. Members: %4"
        )
        .replace("%1", view.from_name)
        .replace("%2", str(view.handover.decided_on))
        .replace("%3", view.handover.reason)
        .replace("%4", people),
    )
    dlg.add_row(QCoreApplication.translate("HandoverAcceptDialog", "Village:"), village, field="village_code")
    dlg.add_row(QCoreApplication.translate("HandoverAcceptDialog", "Registered on:"), on, field="done_on")
    return open_dialog(owner, dlg)
