"""Automatic sync with the county hub while the window is open and someone is signed in.

A single-shot timer is set from the office's interval (app/domain/sync_schedule.py says how long to
wait, and how to back off while the hub does not answer). A tick never blocks the window: the sync is
a chain of ops without a dialog (hub_sync_run.py), its transfers on a reader thread and only its short
database steps on the writer, so a clerk's save never waits for the network. A tick that finds a write
op running (a clerk saving, an import) does not start; it tries again a little later.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from ...domain.sync_schedule import next_delay
from .. import ops
from ..ops import Op
from .hub_events import hub_events
from .hub_sync_run import HubSyncRun

BUSY_RETRY_SECONDS = 20.0  # a write op was running: look again soon, not a whole interval later
FIRST_SYNC_SECONDS = 15.0  # soon after sign-in: what the county sent overnight comes in at once


def writer_busy() -> bool:
    """True while a write op runs or waits for the writer thread."""
    return any(op.write for op in ops.running_ops())


class HubAutoSync(QObject):
    """Owned by the main window (an op's parent must hold the session: ``parent.session``)."""

    def __init__(
        self,
        parent: QObject,
        *,
        can_run: Callable[[], bool] = lambda: True,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(parent)
        self._can_run = can_run
        self._rand = rand
        self.interval_minutes = 0
        self.hub_set = False
        self.failures = 0  # attempts in a row that did not reach the hub
        self.running: HubSyncRun | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)
        self._stopped = False
        hub_events().changed.connect(self._reread_settings)

    # --- settings -------------------------------------------------------------------

    def start(self) -> None:
        """Read the office's settings and set the timer: the first sync comes shortly after sign-in."""
        self._stopped = False
        self._reread_settings(first=True)

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        if self.running is not None:
            self.running.cancel()

    def _reread_settings(self, first: bool = False) -> None:
        if self._stopped:
            return
        Op(self.parent(), lambda s, _p: s.hub_sync.settings()).success(
            lambda settings: self.apply_settings(settings, first=first)
        ).failure(lambda _exc: None).run()

    def apply_settings(self, settings: Any, *, first: bool = False) -> None:
        changed = (settings.interval_minutes, bool(settings.url)) != (self.interval_minutes, self.hub_set)
        self.interval_minutes, self.hub_set = settings.interval_minutes, bool(settings.url)
        if self.running is not None:
            return  # the running sync schedules the next when it ends
        if first:
            delay = self.next_delay()
            self.schedule(None if delay is None else min(delay, FIRST_SYNC_SECONDS))
        elif changed:
            self.failures = 0
            self.schedule()
        elif not self.timer.isActive():
            self.schedule()

    # --- the timer ------------------------------------------------------------------

    def next_delay(self) -> float | None:
        if not self.hub_set or self._stopped:
            return None
        return next_delay(self.interval_minutes, self.failures, self._rand())

    def schedule(self, seconds: float | None = None) -> None:
        delay = self.next_delay() if seconds is None else seconds
        self.timer.stop()
        if delay is not None and self.hub_set and not self._stopped:
            self.timer.start(int(delay * 1000))

    def tick(self) -> None:
        if self.running is not None or self._stopped or not self.hub_set:
            return
        if writer_busy() or not self._can_run():
            self.schedule(BUSY_RETRY_SECONDS)
            return
        self.running = HubSyncRun(self.parent()).success(self._done).failure(self._failed).on_cancelled(self._cancelled)
        hub_events().busy.emit(True)
        self.running.run()

    def _done(self, _report: Any) -> None:
        self.failures = 0
        self._finish()

    def _failed(self, exc: BaseException) -> None:
        from ...hub.client import HubError, HubUnreachable

        if isinstance(exc, HubUnreachable):
            self.failures += 1  # back off: the network or the hub is down
        elif isinstance(exc, HubError):
            self.failures = 0  # the hub answered; the refusal's sentence is on the indicator
        else:
            self.failures += 1
        self._finish()

    def _cancelled(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self.running = None
        self.schedule()
        hub_events().busy.emit(False)
        hub_events().changed.emit()  # the indicator and the page reread the status
