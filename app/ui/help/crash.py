"""What a crash shows: a dialog in the clerk's language saying the saved data is safe, what to do,
where the log is and how to make a support bundle — never the traceback, which goes to the log.

:func:`install` runs at start-up (app/ui/main.py): :func:`app.ui.errors.install_excepthook`
(faulthandler, and the hooks of this and other threads) with :func:`show_crash` as the presenter
every unexpected error reaches, ops' failures included. An exception raised in a slot reaches
``sys.excepthook`` (PySide6 hands it there), so every unhandled exception of the GUI ends here. A
second crash while the dialog is open is counted in it rather than stacking dialogs.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

__all__ = ["CrashDialog", "install", "show_crash", "support_command"]

log = logging.getLogger(__name__)

SUPPORT_ARGS = "support bundle --out 技术支持包.zip"


def support_command() -> str:
    """The command line that makes a bundle. The Windows installer puts nothing on PATH, so the
    installed program names its own doudi(.exe), beside the running one, by its full path."""
    if not getattr(sys, "frozen", False):
        return f"doudi {SUPPORT_ARGS}"
    program = Path(sys.executable).parent / ("doudi.exe" if os.name == "nt" else "doudi")
    shown = f'"{program}"' if " " in str(program) else str(program)
    return f"{shown} {SUPPORT_ARGS}"


_log_dir: Path | None = None
_open: CrashDialog | None = None


def log_folder() -> Path:
    """Where the log is: the folder the hook was installed with, else the per-user log folder."""
    from ...logs import default_log_dir

    return _log_dir or default_log_dir()


class CrashDialog(QDialog):
    """The saved data is safe; try again; if it repeats, a support bundle; the log folder."""

    def __init__(self, log_dir: Path, make_bundle: Callable[[], object] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.log_dir = log_dir
        self.count = 1
        self.setWindowTitle(self.tr("Doudi met an error"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48))
        layout.addWidget(icon)
        self.message = QLabel(
            self.tr(
                "Something went wrong in Doudi. The data you have saved is safe.\n\n"
                "What to do:\n"
                "1. Close this window and try what you were doing again.\n"
                "2. If it happens again, make a support bundle (Help → Make a support bundle…, or the command "
                "below) and send it to the county's support staff. It holds no household records.\n"
                "3. If the program no longer responds, close it and open it again."
            )
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.where = QLabel(
            self.tr("The details are in the log folder:\n%1\n\nSupport bundle from the command line:\n%2")
            .replace("%1", str(log_dir))
            .replace("%2", support_command())
        )
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.again = QLabel()
        self.again.hide()
        layout.addWidget(self.again)

        buttons = QDialogButtonBox()
        self.open_logs_button = QPushButton(self.tr("Open the log folder"))
        self.open_logs_button.clicked.connect(self.open_log_folder)
        buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.bundle_button: QPushButton | None = None
        if make_bundle is not None:
            self.bundle_button = QPushButton(self.tr("Make a support bundle…"))
            self.bundle_button.clicked.connect(lambda _checked=False: make_bundle())
            buttons.addButton(self.bundle_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)

    def happened_again(self) -> None:
        self.count += 1
        self.again.setText(self.tr("The error happened again (%1 times).").replace("%1", str(self.count)))
        self.again.show()

    def open_log_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))


def _bundle_maker() -> Callable[[], object] | None:
    """The main window's 生成技术支持包… when one is open; at sign-in (or in the set-up wizard) a bundle
    of the window's data folder without the database check, which needs a password."""
    from .support_bundle import make_support_bundle

    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in shown:
        maker = getattr(widget, "make_support_bundle", None)
        if callable(maker):
            return maker
    for widget in shown:
        data_dir = getattr(widget, "data_dir", None)
        if isinstance(data_dir, (str, Path)):
            return partial(make_support_bundle, widget, data_dir=Path(data_dir))
    return None


def show_crash(
    exc: BaseException, parent: QWidget | None = None, tb: TracebackType | None = None
) -> CrashDialog | None:
    """Log *exc* with its traceback and show the crash dialog (non-blocking); None without a GUI thread."""
    global _open
    log.error("unhandled exception", exc_info=(type(exc), exc, tb or exc.__traceback__))
    if QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return None
    if _open is not None and _open.isVisible():
        _open.happened_again()
        return _open
    dialog = CrashDialog(log_folder(), _bundle_maker(), parent or QApplication.activeWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(_forget)
    _open = dialog
    dialog.open()
    return dialog


def _forget(*_args: object) -> None:
    global _open
    _open = None


def install(log_dir: str | Path | None = None) -> Path:
    """At start-up: faulthandler and the exception hooks (app.ui.errors), with this dialog as what
    shows an unexpected error; returns the log folder, which the dialog names."""
    global _log_dir
    from .. import errors

    fault_log = errors.install_excepthook(log_dir)  # the fault log sits in the log folder, made owner-only
    _log_dir = Path(fault_log).parent
    errors.set_presenter(show_crash)
    return _log_dir
