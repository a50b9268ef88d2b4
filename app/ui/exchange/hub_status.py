"""The status bar's word on the county hub: "同步：10:42 ✓", "中转站无法连接", or nothing when no hub
is set. What to say is the domain's (app/domain/sync_schedule.py); this label only reads the status
in a read op whenever the hub's bus says it may have changed, and shows it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from ...domain.sync_schedule import Indicator
from ..ops import Op
from .hub_events import hub_events

WARN = "color: #b03a2e;"


class HubStatusIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setContentsMargins(8, 0, 8, 0)
        self.kind = Indicator.HIDDEN
        self.setVisible(False)
        hub_events().changed.connect(self.reload)
        hub_events().busy.connect(self.set_busy)

    def reload(self) -> None:
        Op(self, lambda s, _p: s.hub_sync.status()).success(self.show_status).failure(lambda _exc: None).run()

    def show_status(self, status: Any) -> None:
        state = status.indicator()
        self.kind = state.kind
        self.setText(state.text)
        self.setToolTip(state.detail)
        self.setStyleSheet(WARN if state.kind in (Indicator.UNREACHABLE, Indicator.REFUSED) else "")
        self.setVisible(state.kind is not Indicator.HIDDEN)

    def set_busy(self, busy: bool) -> None:
        if busy and self.kind is not Indicator.HIDDEN:
            self.setText(self.tr("Syncing…"))
        elif not busy:
            self.reload()
