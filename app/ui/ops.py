"""The one door between the screens and the register (after Anki's CollectionOp).

    Op(self, lambda s, progress: s.households.archive(hid, reason), write=True)
        .with_progress(self.tr("Archiving…"))
        .success(self.on_archived)
        .failure(self.on_refused)            # optional: default shows the error dialog
        .run()

* ``work(s, progress)`` runs off the GUI thread and is handed ``s``, the session of the thread
  it runs on (its own keyed connection; see ``Session.for_thread``). Pages never pick a
  connection, and never call a service outside an op.
* Reads run on a few reader threads; with ``write=True`` the work runs on the single
  database-write thread, so writes are serialised. A write op reports what it changed: an
  :class:`OpChanges` with the tables written, sent after the op's callbacks to whoever listens
  on :func:`changes` (the main window, which tells the pages that show those tables).
  A read op that writes is a bug and fails.
* :class:`Task` is the same without a session, for the work that makes one (sign-in, set-up).
* ``work`` must not touch widgets. It reports with ``progress.update(done, total, label)``
  and stops early when ``progress.cancelled`` is true (``update`` raises :class:`Cancelled`
  by itself once the user pressed Cancel; ``progress.raise_if_cancelled()`` does the same).
* The result, the exception, or the cancellation comes back to the GUI thread through a
  queued signal, and only then are the callbacks called.
* A progress dialog (with a Cancel button if ``cancellable``) appears only when the work
  takes longer than 300 ms.
* If *parent* is a QObject that has been deleted by the time the work finishes (the
  window was closed), the callbacks are skipped.

Tests: ``set_synchronous(True)`` runs work immediately in the calling thread and calls
the callbacks before ``run()`` returns (Picard's FakeThreadPool idea); tests/ui/conftest.py
does that for every UI test.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

if TYPE_CHECKING:
    from ..services.session import Session

__all__ = [
    "Cancelled",
    "Op",
    "OpChanges",
    "Progress",
    "Task",
    "bind_session",
    "changes",
    "is_synchronous",
    "read_now",
    "read_pool",
    "running_ops",
    "set_default_failure_handler",
    "set_synchronous",
    "shutdown",
    "write_pool",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

PROGRESS_DIALOG_DELAY_MS = 300
_PROGRESS_MIN_INTERVAL = 0.05  # seconds between progress signals (the last one always goes)


class Cancelled(Exception):
    """Raised inside work when the user cancelled; the op then ends quietly."""


class Progress:
    """Handed to ``work``; thread-safe. Reports progress and carries the cancel flag."""

    def __init__(self, notify: Callable[[int | None, int | None, str | None], None] | None = None):
        self._notify = notify
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._last_emit = 0.0
        self.done: int | None = None
        self.total: int | None = None
        self.label: str | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def update(self, done: int | None = None, total: int | None = None, label: str | None = None) -> None:
        """Report progress (any argument may be omitted to keep its last value).

        Raises :class:`Cancelled` if the user has cancelled, so a loop that reports
        progress stops on its own. Cheap to call often: signals are throttled.
        """
        self.raise_if_cancelled()
        with self._lock:
            if done is not None:
                self.done = done
            if total is not None:
                self.total = total
            if label is not None:
                self.label = label
            now = time.monotonic()
            finished = self.total is not None and self.done is not None and self.done >= self.total
            if not finished and label is None and now - self._last_emit < _PROGRESS_MIN_INTERVAL:
                return
            self._last_emit = now
            snapshot = (self.done, self.total, self.label)
        if self._notify is not None:
            self._notify(*snapshot)


@dataclass(frozen=True)
class OpChanges:
    """What a write op changed: the tables it wrote (``"households"``, ``"members"`` …).

    ``everything`` says that the register changed in ways this program did not see: another
    person's save was found where ours was refused (ChangedMeanwhile), so every page is stale.
    """

    tables: frozenset[str]
    everything: bool = False

    def touches(self, *tables: str) -> bool:
        """True when any of *tables* was written (no argument: when anything was)."""
        if self.everything:
            return True
        return bool(self.tables) if not tables else not self.tables.isdisjoint(tables)

    @classmethod
    def seen_elsewhere(cls) -> OpChanges:
        return cls(frozenset(), everything=True)


class _ChangesBus(QObject):
    changed = Signal(object)


_bus: _ChangesBus | None = None
_session: Session | None = None


def changes() -> _ChangesBus:
    """``changes().changed`` is emitted on the GUI thread with the :class:`OpChanges` of every write op."""
    global _bus
    if _bus is None:
        _bus = _ChangesBus()
    return _bus


def bind_session(session: Session | None) -> None:
    """The session ops hand (as its thread's twin) to their work; set by the main window."""
    global _session
    _session = session


def bound_session() -> Session | None:
    return _session


# --------------------------------------------------------------------------- pools

_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None
_synchronous = False
_running: set[Op[Any]] = set()
_default_failure: Callable[[BaseException, QObject | None], None] | None = None


READ_THREADS = 3


def read_pool() -> QThreadPool:
    """A few reader threads that never expire.

    Each thread keeps its own keyed database connection (``Session.for_thread``); threads that
    came and went, as in Qt's global pool, would leave a connection and its cache behind each time.
    """
    global _read_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setObjectName("doudi-readers")
        _read_pool.setMaxThreadCount(READ_THREADS)
        _read_pool.setExpiryTimeout(-1)
    return _read_pool


def write_pool() -> QThreadPool:
    """One thread, never expiring: every ``write=True`` op runs there, one after another."""
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setObjectName("doudi-db-writer")
        _write_pool.setMaxThreadCount(1)
        _write_pool.setExpiryTimeout(-1)
    return _write_pool


def set_synchronous(on: bool = True) -> None:
    """Run every op immediately in the calling thread (for tests)."""
    global _synchronous
    _synchronous = on


def is_synchronous() -> bool:
    return _synchronous


def set_default_failure_handler(handler: Callable[[BaseException, QObject | None], None] | None) -> None:
    """Who handles a failure of an op that has no ``.failure()`` callback.

    ``None`` restores the default: log it and show the error dialog (app.ui.errors).
    Tests install a handler that re-raises so the test fails with the real traceback.
    """
    global _default_failure
    _default_failure = handler


def running_ops() -> list[Op[Any]]:
    return list(_running)


def shutdown(timeout_ms: int = 5000) -> bool:
    """Cancel running ops and wait for the worker threads (call on application exit)."""
    for op in list(_running):
        op.cancel()
    ok = True
    for pool in (_read_pool, _write_pool):
        if pool is not None:
            ok = pool.waitForDone(timeout_ms) and ok
    return ok


# --------------------------------------------------------------------------- op


class _Bridge(QObject):
    """Lives in the GUI thread; worker threads emit, slots run in the GUI thread.

    The signals carry no Python objects: the worker stores the payload on the op and the
    signal only says "look". (Queued signals with ``object`` arguments have had reference
    counting bugs in PySide; plain notifications cannot.)
    """

    progressed = Signal()
    finished = Signal()

    def __init__(self, op: Op[Any]):
        super().__init__()
        self._op = op
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def _on_progress(self) -> None:
        self._op._deliver_progress()

    def _on_finished(self) -> None:
        self._op._deliver_outcome()


class Op(Generic[T]):
    """A unit of background work on the register; configure with the chained methods, then :meth:`run`.

    *session* defaults to the bound session (:func:`bind_session`).
    """

    def __init__(
        self,
        parent: QObject | None,
        work: Callable[[Session, Progress], T],
        *,
        write: bool = False,
        session: Session | None = None,
    ):
        self.parent = parent
        self.work = work
        self.write = write
        self._session = session
        self.changes: OpChanges | None = None
        self._label: str | None = None
        self._show_dialog = False
        self._cancellable = True
        self._delay_ms = PROGRESS_DIALOG_DELAY_MS
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None
        self._on_cancelled: Callable[[], Any] | None = None
        self._on_progress: Callable[[int | None, int | None, str | None], Any] | None = None
        self._progress = Progress()
        self._bridge: _Bridge | None = None
        self._timer: QTimer | None = None
        self._dialog: QProgressDialog | None = None
        self._started = False
        self._outcome: tuple[str, Any] | None = None
        self._pending_progress: tuple[int | None, int | None, str | None] | None = None
        self._pending_lock = threading.Lock()
        self.is_done = False

    # ---- configuration: each method returns the op, so calls chain

    def with_progress(
        self, label: str | None = None, cancellable: bool = True, delay_ms: int = PROGRESS_DIALOG_DELAY_MS
    ) -> Op[T]:
        """Show a progress dialog if the work is still running after *delay_ms*."""
        self._show_dialog = True
        self._label = label
        self._cancellable = cancellable
        self._delay_ms = delay_ms
        return self

    def success(self, callback: Callable[[T], Any]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op[T]:
        self._on_failure = callback
        return self

    def on_cancelled(self, callback: Callable[[], Any]) -> Op[T]:
        self._on_cancelled = callback
        return self

    def on_progress(self, callback: Callable[[int | None, int | None, str | None], Any]) -> Op[T]:
        """Also send progress to *callback* (GUI thread), e.g. for a status-bar bar."""
        self._on_progress = callback
        return self

    # ---- control

    @property
    def progress(self) -> Progress:
        return self._progress

    def cancel(self) -> None:
        """Ask the work to stop; it ends at its next ``progress.update``/check."""
        self._progress.cancel()

    def run(self) -> Op[T]:
        if self._started:
            raise RuntimeError("an Op can be run only once")
        self._started = True
        if _synchronous:
            self._prepare()
            self._progress._notify = self._show_progress
            self._finish(*self._execute())
            return self
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("Op.run() needs a QApplication")
        if QThread.currentThread() != app.thread():
            raise RuntimeError("Op.run() must be called on the GUI thread")
        self._prepare()
        _running.add(self)
        self._bridge = _Bridge(self)
        self._progress._notify = self._post_progress
        if self._show_dialog:
            self._timer = QTimer()
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._open_dialog)
            self._timer.start(self._delay_ms)
        pool = write_pool() if self.write else read_pool()
        pool.start(self._run_in_worker)
        return self

    # ---- worker side

    def _prepare(self) -> None:
        if self._session is None:
            self._session = session_of(self.parent)  # found on the GUI thread, where widgets may be read

    def _call(self) -> T:
        home = self._session or _session
        if home is None:
            raise RuntimeError("Op needs a session: session=, a parent that holds one, or bind_session()")
        s = home.for_thread()
        s.take_touched()  # what an earlier op left is not ours
        try:
            return self.work(s, self._progress)
        finally:
            touched = s.take_touched()
            if self.write:
                self.changes = OpChanges(touched)
            elif touched:
                log.error("a read op wrote %s; writes must be write ops", sorted(touched))
                raise RuntimeError(f"a read op wrote {sorted(touched)}; use write=True")

    def _execute(self) -> tuple[str, Any]:
        try:
            self._progress.raise_if_cancelled()
            return ("ok", self._call())
        except Cancelled:
            return ("cancelled", None)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread
            return ("error", exc)

    def _run_in_worker(self) -> None:
        if self.write:
            threading.current_thread().name = "doudi-db-writer"
        try:
            self._outcome = self._execute()
        except BaseException as exc:  # noqa: BLE001 - SystemExit/KeyboardInterrupt in a worker: still finish the op
            self._outcome = ("error", exc)
        finally:
            bridge = self._bridge
            if bridge is not None:
                bridge.finished.emit()

    def _post_progress(self, done: int | None, total: int | None, label: str | None) -> None:
        with self._pending_lock:
            already_posted = self._pending_progress is not None
            self._pending_progress = (done, total, label)
        bridge = self._bridge
        if not already_posted and bridge is not None:
            bridge.progressed.emit()

    # ---- GUI side

    def _deliver_progress(self) -> None:
        with self._pending_lock:
            snapshot, self._pending_progress = self._pending_progress, None
        if snapshot is not None and not self.is_done:
            self._show_progress(*snapshot)

    def _deliver_outcome(self) -> None:
        if self._outcome is not None and not self.is_done:
            kind, value = self._outcome
            self._outcome = None
            self._finish(kind, value)

    def _parent_alive(self) -> bool:
        return self.parent is None or not isinstance(self.parent, QObject) or shiboken6.isValid(self.parent)

    def _dialog_parent(self) -> QWidget | None:
        if isinstance(self.parent, QWidget) and shiboken6.isValid(self.parent):
            return self.parent
        return None

    def _open_dialog(self) -> None:
        if self.is_done or self._dialog is not None:
            return
        label = self._progress.label or self._label
        self._dialog = progress_dialog(
            self._dialog_parent(), label, self._user_cancelled, cancellable=self._cancellable
        )
        set_progress_range(self._dialog, self._progress.done, self._progress.total)
        self._dialog.show()

    def _user_cancelled(self) -> None:
        if self._cancellable and not self.is_done:
            self.cancel()
            if self._dialog is not None:
                self._dialog.setLabelText(QCoreApplication.translate("Op", "Cancelling…"))

    def _show_progress(self, done: int | None, total: int | None, label: str | None) -> None:
        if self._dialog is not None and not self._progress.cancelled:
            if label:
                self._dialog.setLabelText(label)
            set_progress_range(self._dialog, done, total)
        if self._on_progress is not None and self._parent_alive():
            self._on_progress(done, total, label)

    def _close_ui(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        if self._dialog is not None:
            dialog, self._dialog = self._dialog, None
            close_progress(dialog, self._user_cancelled)

    def _finish(self, kind: str, value: Any) -> None:
        self.is_done = True
        self._close_ui()
        _running.discard(self)
        if self._bridge is not None:
            self._bridge.deleteLater()
            self._bridge = None
        # Sent even when the window that asked is gone: the data changed all the same.
        # After the callbacks when it is alive, so a dialog has closed before pages refresh.
        if kind == "ok" and self.changes is not None and self.changes.tables and not self._parent_alive():
            changes().changed.emit(self.changes)
        if not self._parent_alive():
            log.info("op finished (%s) after its window was closed; callbacks skipped", kind)
            return
        if kind == "ok":
            if self._on_success is not None:
                try:
                    self._on_success(value)
                finally:
                    if self.changes is not None and self.changes.tables:
                        changes().changed.emit(self.changes)
            elif self.changes is not None and self.changes.tables:
                changes().changed.emit(self.changes)
        elif kind == "cancelled":
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif self._on_failure is not None:
            self._on_failure(value)
        else:
            _handle_unhandled(value, self.parent)


class Task(Op[T]):
    """Background work with no session: the work that makes one (sign-in, set-up, a demo office).

    ``work(progress)`` is called as it is; it must not reach a session made elsewhere.
    """

    def __init__(self, parent: QObject | None, work: Callable[[Progress], T], *, write: bool = False):
        super().__init__(parent, lambda _s, progress: work(progress), write=write)
        self._plain = work

    def _prepare(self) -> None:
        pass

    def _call(self) -> T:
        return self._plain(self._progress)


def session_of(owner: Any) -> Session:
    """The session *owner* is (a session), or the nearest ``session`` of the widget and its
    ancestors (a page or dialog holds the window's session), else the bound one."""
    obj: Any = owner
    while obj is not None:
        if hasattr(obj, "for_thread"):
            return cast("Session", obj)
        found = getattr(obj, "session", None)
        if found is not None and hasattr(found, "for_thread"):
            return cast("Session", found)
        obj = obj.parent() if isinstance(obj, QObject) and shiboken6.isValid(obj) else None
    if _session is None:
        raise RuntimeError("Op needs a session: session=, a parent that holds one, or bind_session()")
    return _session


def read_now(work: Callable[[Session], T], owner: Any = None) -> T:
    """Run a small read synchronously on the calling thread's session, and return its result.

    Only for what must be answered before a paint returns: a lazy table's page of rows (a few
    dozen, by id). Everything else goes through :class:`Op`. *owner* is a session, or a widget
    whose ``session`` (or an ancestor's) is used; by default the bound session.
    """
    s = session_of(owner).for_thread()
    s.take_touched()
    result = work(s)
    touched = s.take_touched()
    if touched:
        raise RuntimeError(f"read_now wrote {sorted(touched)}; writes must be write ops")
    return result


def _handle_unhandled(exc: BaseException, parent: QObject | None) -> None:
    if _default_failure is not None:
        _default_failure(exc, parent)
        return
    from app.ui import errors

    errors.show_exception(exc, parent if isinstance(parent, QWidget) else None)


# --- the progress window, shared by an op and by a chain of ops (app/ui/exchange/hub_sync_run.py) ---


def progress_dialog(
    parent: QWidget | None, label: str | None, on_cancel: Callable[[], None], *, cancellable: bool = True
) -> QProgressDialog:
    """The window-modal "Please wait" an op shows after its delay, not yet shown."""
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("Op", "Please wait"))
    dialog.setLabelText(label or QCoreApplication.translate("Op", "Working…"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(on_cancel)
    return dialog


def set_progress_range(dialog: QProgressDialog, done: int | None, total: int | None) -> None:
    if total and total > 0:
        dialog.setRange(0, total)
        dialog.setValue(min(done or 0, total))
    else:
        dialog.setRange(0, 0)  # busy indicator


def close_progress(dialog: QProgressDialog, on_cancel: Callable[[], None]) -> None:
    dialog.canceled.disconnect(on_cancel)
    dialog.close()
    dialog.deleteLater()
