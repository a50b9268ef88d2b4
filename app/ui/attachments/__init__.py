"""Attachments in the GUI: thumbnails of one record's scans and photos, a viewer, add and delete.

AttachmentsPanel(self, "visits", visit.id)            # in a dialog that holds ``session``
AttachmentsPanel(self, "households", hid, whole_household=True)   # the household file's tab
"""

from __future__ import annotations

from .dialog import open_attachments
from .panel import AttachmentsPanel
from .viewer import AttachmentViewer

__all__ = ["AttachmentViewer", "AttachmentsPanel", "open_attachments"]
