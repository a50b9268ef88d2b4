"""Archive a household (moved away, all members deceased, merged): a reason is required.

Its own dialog, so the reason is read on the GUI thread and the archive is a write op like any
other; the service decides whether the household may be archived (not while it is being paid).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from ..widgets import FormDialog


class ArchiveDialog(FormDialog):
    def __init__(self, household_id: str, parent: QWidget | None = None) -> None:
        self.reason = QLineEdit()
        super().__init__(
            QCoreApplication.translate("HouseholdEditor", "Archive household"),
            parent,
            read=lambda: self.reason.text().strip(),
            write=lambda s, reason: s.households.archive(household_id, reason),
        )
        self.add_row(
            QCoreApplication.translate("HouseholdEditor", "Reason for archiving (required):"),
            self.reason,
            field="archived_reason",
        )
        self.fields["reason"] = self.reason
