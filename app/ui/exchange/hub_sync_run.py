"""One sync with the county hub as a chain of ops, so that no transfer ever holds the writer thread.

A package can take minutes to cross a township's line. Run as one write op, the sync kept every
save of the window waiting behind it. So each phase the service defines (``HubAttempt.phases``)
runs as its own op: the downloads, the acknowledgements and the uploads as read ops on a reader
thread, the imports, the export and the journal as short write ops on the writer, where a clerk's
save can come in between any two of them. Whatever way the chain ends (done, refused, cancelled),
it ends with the service's ``settle`` (acknowledge what was imported) and ``finish`` (journal and
status), so the indicator always hears how it went.

One progress dialog, when asked for, spans the whole chain; its Cancel stops the chain between
packages (the op running hears it, no further phase starts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..ops import PROGRESS_DIALOG_DELAY_MS, Cancelled, Op, close_progress, progress_dialog, set_progress_range

log = logging.getLogger(__name__)


class HubSyncRun:
    """``HubSyncRun(parent).success(cb).failure(cb).on_cancelled(cb).run()``; *parent* holds the session."""

    def __init__(self, parent: QObject | None, *, kind: str = "sync", progress_label: str | None = None) -> None:
        self.parent = parent
        self.kind = kind
        self.attempt: Any = None
        self.current: Op[Any] | None = None
        self.is_done = False
        self._label = progress_label
        self._cancelled = False
        self._winding_up = False
        self._on_success: Callable[[Any], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None
        self._on_cancelled: Callable[[], Any] | None = None
        self._timer: QTimer | None = None
        self._dialog: QProgressDialog | None = None
        self._last: tuple[int | None, int | None, str | None] = (None, None, None)

    # --- configuration, as Op's ------------------------------------------------------

    def success(self, callback: Callable[[Any], Any]) -> HubSyncRun:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> HubSyncRun:
        self._on_failure = callback
        return self

    def on_cancelled(self, callback: Callable[[], Any]) -> HubSyncRun:
        self._on_cancelled = callback
        return self

    # --- control ---------------------------------------------------------------------

    def run(self) -> HubSyncRun:
        if self._label is not None:
            self._timer = QTimer()
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._open_dialog)
            self._timer.start(PROGRESS_DIALOG_DELAY_MS)

        def begin(s: Any, _progress: Any) -> Any:
            self.attempt = s.hub_sync.begin(self.kind)  # reads only; the first phase's op follows
            return self.attempt

        self._start(begin, write=False, then=lambda _attempt: self._phase(0))
        return self

    def cancel(self) -> None:
        """Stop between packages; what is imported or sent stays, the rest goes next time."""
        if self.is_done or self._winding_up:
            return  # settle and finish always run to their end: they are short
        self._cancelled = True
        if self.current is not None:
            self.current.cancel()

    # --- the chain -------------------------------------------------------------------

    def _start(self, work: Callable[[Any, Any], Any], *, write: bool, then: Callable[[Any], Any]) -> None:
        op: Op[Any] = (
            Op(self.parent, work, write=write)
            .on_progress(self._progress)
            .success(then)
            .failure(lambda exc: self._wind_up("error", exc))
            .on_cancelled(lambda: self._wind_up("cancelled", Cancelled()))
        )
        self.current = op
        op.run()

    def _phase(self, index: int) -> None:
        if self._cancelled:
            self._wind_up("cancelled", Cancelled())
            return
        phases = self.attempt.phases
        if index == len(phases):
            self._wind_up("ok", None)
            return
        attempt, phase = self.attempt, phases[index]
        self._start(
            lambda s, progress: s.hub_sync.run_phase(attempt, phase, progress.update),
            write=phase.writes,
            then=lambda _r: self._phase(index + 1),
        )

    def _wind_up(self, kind: str, error: BaseException | None) -> None:
        """Settle (read op) and finish (write op) whatever happened, then tell the caller."""
        if self.attempt is None:  # begin itself failed (no address): nothing to record
            self._end(kind, error)
            return
        self._winding_up = True
        attempt = self.attempt

        def finish(_r: Any = None) -> None:
            op: Op[Any] = (
                Op(self.parent, lambda s, _p: s.hub_sync.finish(attempt, error), write=True)
                .success(lambda report: self._end(kind, error if kind != "ok" else report))
                .failure(lambda exc: self._end(kind if kind != "ok" else "error", error if kind != "ok" else exc))
                .on_cancelled(lambda: self._end(kind, error))
            )
            self.current = op
            op.run()

        if kind == "ok":
            finish()  # the last phase (transmit) acknowledged everything
            return
        op: Op[Any] = (
            Op(self.parent, lambda s, _p: s.hub_sync.settle(attempt, error))
            .success(finish)
            .failure(finish)
            .on_cancelled(finish)
        )
        self.current = op
        op.run()

    def _end(self, kind: str, value: Any) -> None:
        self.is_done = True
        self.current = None
        self._close_dialog()
        if kind == "ok":
            if self._on_success is not None:
                self._on_success(value)
        elif kind == "cancelled":
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif self._on_failure is not None:
            self._on_failure(value)
        else:
            log.error("hub sync failed and nobody asked to hear it: %s", value)

    # --- the one dialog --------------------------------------------------------------

    def _progress(self, done: int | None, total: int | None, label: str | None) -> None:
        self._last = (done, total, label or self._last[2])
        if self._dialog is not None and not self._cancelled:
            if label:
                self._dialog.setLabelText(label)
            self._set_range(done, total)

    def _set_range(self, done: int | None, total: int | None) -> None:
        if self._dialog is not None:
            set_progress_range(self._dialog, done, total)

    def _open_dialog(self) -> None:
        if self.is_done or self._dialog is not None:
            return
        parent = self.parent if isinstance(self.parent, QWidget) and shiboken6.isValid(self.parent) else None
        # Op's own window: this one dialog stands for the ops of the chain.
        self._dialog = progress_dialog(parent, self._last[2] or self._label, self._user_cancelled)
        self._set_range(*self._last[:2])
        self._dialog.show()

    def _user_cancelled(self) -> None:
        if self.is_done or self._winding_up:
            return
        self.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(QCoreApplication.translate("Op", "Cancelling…"))

    def _close_dialog(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        if self._dialog is not None:
            dialog, self._dialog = self._dialog, None
            close_progress(dialog, self._user_cancelled)
