"""One signal for "the hub's settings or status may have changed": the 数据交换 page, the automatic
sync and the status-bar indicator each reread what they show when it fires, so none of them needs
to know the others (the pages are built lazily and may not exist yet)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class _HubBus(QObject):
    changed = Signal()  # settings saved, or a sync attempt ended: reread settings and status
    busy = Signal(bool)  # an automatic sync started (True) or ended (False)


_bus: _HubBus | None = None


def hub_events() -> _HubBus:
    global _bus
    if _bus is None:
        _bus = _HubBus()
    return _bus
