"""Archive a household (moved away, all members deceased, merged): a reason is required.

Its own dialog, so the reason is read on the GUI thread and the archive is a write op like any
other; the service decides whether the household may be archived (not while it is being paid).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ...errors import ChangedMeanwhile
from ..widgets import FormDialog


class ArchiveDialog(FormDialog):
    changed_meanwhile = Signal(object)  # the refusal, so the editor can reload the household

    def __init__(self, household_id: str, parent: QWidget | None = None, read_version: str | None = None) -> None:
        self.reason = QLineEdit()
        super().__init__(
            QCoreApplication.translate("HouseholdEditor", "Archive household"),
            parent,
            read=lambda: self.reason.text().strip(),
            # The version the editor shows: archiving a household changed since then is refused.
            write=lambda s, reason: s.households.archive(household_id, reason, read_version=read_version),
        )
        self.add_row(
            QCoreApplication.translate("HouseholdEditor", "Reason for archiving (required):"),
            self.reason,
            field="archived_reason",
        )
        self.fields["reason"] = self.reason

    def _refused(self, exc: BaseException) -> None:
        super()._refused(exc)
        if isinstance(exc, ChangedMeanwhile):
            self.changed_meanwhile.emit(exc)
