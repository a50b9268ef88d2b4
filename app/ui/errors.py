"""Unexpected errors: logged, shown as the crash dialog, never sent anywhere.

:func:`install_excepthook` (once, at start-up, after :func:`app.logs.setup_logging`):

* ``sys.excepthook`` and ``threading.excepthook`` log the exception and show it with the presenter
  the crash dialog installs (app/ui/help/crash.py: what to do and where the log is, never a
  traceback); errors from other threads are handed to the GUI thread first;
* ``faulthandler`` writes hard crashes (segfaults in Qt or SQLCipher) to
  ``faulthandler.log`` in the log folder.

The log itself masks personal data (app.logs); a clerk who needs to send something sends the
support bundle (``doudi support bundle``). The fault log, like every log, is owner-only (0600 in a
0700 folder).
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QWidget,
)

from app.logs import open_private, private_log_dir

__all__ = [
    "FAULT_LOG_NAME",
    "install_excepthook",
    "set_presenter",
    "show_exception",
    "uninstall_excepthook",
]

log = logging.getLogger(__name__)

FAULT_LOG_NAME = "faulthandler.log"

_fault_file: IO[str] | None = None
_relay: _Relay | None = None
_log_dir: Path | None = None
Presenter = Callable[[BaseException, QWidget | None, TracebackType | None], QDialog | None]
_present: Presenter | None = None


def show_exception(
    exc: BaseException, parent: QWidget | None = None, tb: TracebackType | None = None
) -> QDialog | None:
    """Log *exc* and show it with the presenter installed at start-up — the crash dialog of
    app/ui/help/crash.py: what to do and where the log is, never the traceback. Returns the dialog,
    or None when nothing shows one (no presenter, no GUI thread)."""
    if _present is None:
        log.error("unhandled exception", exc_info=(type(exc), exc, tb or exc.__traceback__))
        return None
    return _present(exc, parent, tb)


def set_presenter(present: Presenter | None) -> None:
    """Who shows an unexpected error: the crash dialog sets itself here (app/ui/help/crash.py
    ``install``), so that this low-level module — which every op reports to — imports no dialog."""
    global _present
    _present = present


class _Relay(QObject):
    """Carries exceptions from other threads to the GUI thread."""

    raised = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, exc: BaseException) -> None:
        show_exception(exc)


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    if threading.current_thread() is threading.main_thread():
        show_exception(exc, tb=tb)
    else:
        log.error("unhandled exception in %s", threading.current_thread().name, exc_info=(exc_type, exc, tb))
        if _relay is not None:
            _relay.raised.emit(exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    _excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook(log_dir: str | Path | None = None) -> Path:
    """Install the hooks and faulthandler; return the faulthandler log path. Idempotent.

    Call with a QApplication existing (the cross-thread relay lives in its thread).
    """
    global _fault_file, _relay, _log_dir
    directory = private_log_dir(log_dir)
    _log_dir = directory
    path = directory / FAULT_LOG_NAME
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
    _fault_file = open_private(path)  # kept open: faulthandler writes to its fd
    faulthandler.enable(_fault_file, all_threads=True)
    if _relay is None and QApplication.instance() is not None:
        _relay = _Relay()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    return path


def uninstall_excepthook() -> None:
    """Restore Python's hooks, forget the presenter and stop faulthandler (tests, orderly shutdown)."""
    global _fault_file, _present
    _present = None
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
