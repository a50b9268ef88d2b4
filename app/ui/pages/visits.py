"""Visits page (stub; filled in below)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


class VisitsPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        QVBoxLayout(self)

    def refresh(self) -> None:
        pass
