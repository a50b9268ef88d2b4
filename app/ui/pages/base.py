"""What every page of the main window is (after Vorta's ``views/base_tab.py``).

A page holds the window's session (for ops to find: ``Op(self, lambda s, progress: …)``), says which
tables it shows, and has one ``refresh()``. The main window hands it the :class:`OpChanges` of every
write op; a page that shows a table that changed refreshes at once when it is visible, and the next
time it is shown otherwise. A page is loaded the first time it is shown, never in its constructor,
so opening the window builds nothing that nobody looks at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ..ops import Op, OpChanges, Progress
from ..widgets import MessageBar

if TYPE_CHECKING:
    from ...services.session import Session


class Page(QWidget):
    #: The tables this page shows; a write to any of them refreshes it.
    tables: frozenset[str] = frozenset()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.message = MessageBar()
        self.stale = True  # not loaded yet: loaded when first shown

    def refresh(self) -> None:
        """Load what the page shows (in a read op); called when shown stale and after relevant writes."""

    def on_changes(self, changes: OpChanges) -> None:
        if self.tables and changes.touches(*self.tables):
            self.request_refresh()

    def request_refresh(self) -> None:
        """Reload now when the page is visible, else the next time it is shown (a filter changed, say)."""
        if self.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.refresh()

    def read(self, work: Callable[[Session, Progress], Any]) -> Op[Any]:
        """A read op owned by this page (configure it, then ``.run()``)."""
        return Op(self, work)

    def write(self, work: Callable[[Session, Progress], Any]) -> Op[Any]:
        """A write op owned by this page (configure it, then ``.run()``)."""
        return Op(self, work, write=True)
