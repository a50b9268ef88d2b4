"""Unexpected errors: logged, shown in a dialog with "复制详情", never sent anywhere.

:func:`install_excepthook` (once, at start-up, after :func:`app.logs.setup_logging`):

* ``sys.excepthook`` and ``threading.excepthook`` log the exception and show
  :class:`ErrorDialog` (errors from other threads are handed to the GUI thread first);
* ``faulthandler`` writes hard crashes (segfaults in Qt or SQLCipher) to
  ``faulthandler.log`` in the log folder.

The details shown and copied are masked with :func:`app.logs.mask_personal_data` (ID, phone
and account numbers, known personal fields), because clerks paste them into chats. The fault log,
like every log, is owner-only (0600 in a 0700 folder).
"""

from __future__ import annotations

import faulthandler
import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.logs import mask_personal_data, open_private, private_log_dir

__all__ = [
    "FAULT_LOG_NAME",
    "ErrorDialog",
    "format_details",
    "install_excepthook",
    "show_exception",
    "uninstall_excepthook",
]

log = logging.getLogger(__name__)

FAULT_LOG_NAME = "faulthandler.log"

_fault_file: IO[str] | None = None
_open_dialog: ErrorDialog | None = None
_relay: _Relay | None = None
_log_dir: Path | None = None


def format_details(exc: BaseException | None, tb: TracebackType | None = None) -> str:
    """Versions + traceback, with ID numbers masked: what "复制详情" copies."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    try:
        from importlib.metadata import version

        app_version = version("doudi")
    except Exception:  # noqa: BLE001 - not installed (a checkout) or frozen; the details must still build
        app_version = "?"
    lines = [
        (
            f"Doudi {app_version}; Python {platform.python_version()}; "
            f"PySide6 {pyside_version}; Qt {qVersion()}; {platform.platform()}"
        ),
    ]
    if _log_dir is not None:
        lines.append(f"Logs: {_log_dir}")
    lines.append("")
    if exc is not None:
        lines += traceback.format_exception(type(exc), exc, tb or exc.__traceback__)
    return mask_personal_data("".join(line if line.endswith("\n") else line + "\n" for line in lines))


class ErrorDialog(QDialog):
    """A friendly message, the masked details, and a 复制详情 button."""

    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unexpected error"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        self.message = QLabel(
            self.tr(
                "Something went wrong. Your saved data is safe.\n"
                'If it happens again, press "Copy details" and send the text to your '
                "county support staff."
            )
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumHeight(200)
        layout.addWidget(self.details)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        self.copy_button.clicked.connect(self.copy_details)
        layout.addWidget(buttons)

    def add_details(self, details: str) -> None:
        """Another error while this dialog is open: append instead of stacking dialogs."""
        self.details.appendPlainText("\n" + "-" * 60 + "\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("Copied"))


def show_exception(
    exc: BaseException, parent: QWidget | None = None, tb: TracebackType | None = None
) -> ErrorDialog | None:
    """Log *exc* and show it (non-blocking). Returns the dialog, or None without a QApplication."""
    global _open_dialog
    log.error("unhandled exception", exc_info=(type(exc), exc, tb or exc.__traceback__))
    if QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return None
    details = format_details(exc, tb)
    if _open_dialog is not None and _open_dialog.isVisible():
        _open_dialog.add_details(details)
        return _open_dialog
    if parent is None:
        parent = QApplication.activeWindow()
    dialog = ErrorDialog(details, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(_forget_dialog)
    _open_dialog = dialog
    dialog.open()
    return dialog


def _forget_dialog(*_args: object) -> None:
    global _open_dialog
    _open_dialog = None


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
    """Restore Python's hooks and stop faulthandler (tests, orderly shutdown)."""
    global _fault_file
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
