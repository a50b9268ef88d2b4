"""Idle auto-lock (docs/architecture.md §4.3): several staff share one PC, and the register is sensitive.

:class:`IdleLock` watches the whole application's mouse and keyboard input through an
event filter. After ``minutes`` without input it shows :class:`LockDialog`, an
application-modal window that covers every window of the program and asks for the
signed-in user's password (``session.verify_password``). Nothing underneath is closed or
reset, so half-typed input in editors and in other open dialogs (even modal ones) is
still there after unlocking. Locked by hand (Ctrl+L), the dialog says so: whoever comes
back to the PC should not think it was left unattended.
"""

from __future__ import annotations

import time
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.entities import ROLE_NAMES
from .fonts import follow_text_size
from .ops import Op
from .sign_in import ERROR_STYLE, name_with_role, ui_settings

__all__ = ["DEFAULT_MINUTES", "IdleLock", "LockDialog", "idle_minutes", "set_idle_minutes"]

DEFAULT_MINUTES = 10
SETTINGS_KEY = "idle_lock/minutes"

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.ShortcutOverride,
}


def idle_minutes() -> int:
    try:
        # QSettings hands back whatever the backend stored: an int, or a str from an INI file.
        stored: Any = ui_settings().value(SETTINGS_KEY, DEFAULT_MINUTES)
        value = int(stored)
    except (TypeError, ValueError):
        value = DEFAULT_MINUTES
    return max(1, min(value, 240))


def set_idle_minutes(minutes: int) -> None:
    settings = ui_settings()
    settings.setValue(SETTINGS_KEY, int(minutes))
    settings.sync()


class LockDialog(QDialog):
    """Covers the program; only the signed-in user's password (or quitting) gets past it."""

    unlocked = Signal()

    def __init__(self, session, parent: QWidget | None = None, by_hand: bool = False):
        super().__init__(parent)
        self.session = session
        self.by_hand = by_hand
        self._unlocked = False
        self.setObjectName("LockDialog")
        self.setWindowTitle(self.tr("Doudi is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setStyleSheet("#LockDialog { background: #2c3e50; } #LockBox { background: white; border-radius: 8px; }")

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        box = QFrame()
        box.setObjectName("LockBox")
        box.setFixedWidth(440)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        title = QLabel(self.tr("Doudi is locked"))
        follow_text_size(title, 1.5, bold=True)
        inner.addWidget(title)
        user = session.user
        who = name_with_role(
            user.display_name or user.username, f"{ROLE_NAMES.get(user.role, user.role)}，{user.username}"
        )
        if by_hand:
            text = self.tr("Locked by hand (Ctrl+L). Your open work is kept. Enter the password of %1 to continue.")
        else:
            text = self.tr(
                "Locked after a time without use. Your open work is kept. Enter the password of %1 to continue."
            )
        self.message = QLabel(text.replace("%1", who))
        self.message.setWordWrap(True)
        inner.addWidget(self.message)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        inner.addWidget(self.password)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        inner.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.cover()

    def cover(self) -> None:
        """Take the area of every visible window of the program (or the screen, if none)."""
        area = QRect()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and widget.isWindow():
                area = area.united(widget.frameGeometry())
        if area.isEmpty():
            screen = QApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)
        self.setGeometry(area)

    def try_unlock(self) -> None:
        password = self.password.text()
        if not password:
            return
        self.unlock_button.setEnabled(False)
        session = self.session
        (
            Op(self, lambda s, progress: s.verify_password(password), session=session)
            .with_progress(self.tr("Checking the password…"), cancellable=False)
            .success(self._checked)
            .failure(self._failed)
            .run()
        )

    def _checked(self, ok: bool) -> None:
        self.unlock_button.setEnabled(True)
        if ok:
            self._unlocked = True
            self.unlocked.emit()
            self.accept()
            return
        self.password.clear()
        self.password.setFocus()
        self.error.setText(self.tr("Wrong password. Try again."))
        self.error.show()

    def _failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.error.setText(str(exc))
        self.error.show()

    # Escape and the window's close button do not unlock.
    def reject(self) -> None:
        if self._unlocked:
            super().reject()

    def closeEvent(self, event) -> None:
        if self._unlocked:
            super().closeEvent(event)
        else:
            event.ignore()


class IdleLock(QObject):
    """Application-wide idle tracking; ``lock(by_hand=True)`` locks at once (Ctrl+L)."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        session,
        window: QWidget,
        minutes: float | None = None,
        parent: QObject | None = None,
        clock=time.monotonic,
    ):
        super().__init__(parent or window)
        self.session = session
        self.window = window
        self.clock = clock
        self.timeout_s = 60.0 * (minutes if minutes is not None else idle_minutes())
        self.dialog: LockDialog | None = None
        self._focus: QWidget | None = None
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._schedule()
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("IdleLock needs a QApplication")
        app.installEventFilter(self)

    def _schedule(self) -> None:
        # Check a few times per timeout, at most once a second (in tests: the timeout is short).
        self._timer.start(int(max(50, min(1000, self.timeout_s * 1000 / 4))))

    def set_minutes(self, minutes: float) -> None:
        self.timeout_s = 60.0 * minutes
        self._last = self.clock()
        self._schedule()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.dialog is None:
            self._last = self.clock()
        return False

    def idle_seconds(self) -> float:
        return self.clock() - self._last

    def check(self) -> None:
        if self.dialog is None and self.idle_seconds() >= self.timeout_s:
            self.lock()

    def lock(self, by_hand: bool = False) -> None:
        if self.dialog is not None:
            return
        self._focus = QApplication.focusWidget()
        # Above whatever modal dialog is open, so that it is covered too.
        parent: QWidget | None = QApplication.activeModalWidget() or self.window
        if parent is not None and not shiboken6.isValid(parent):
            parent = None
        dialog = LockDialog(self.session, parent, by_hand=by_hand)
        dialog.unlocked.connect(self._on_unlocked)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.password.setFocus()
        self.locked.emit()

    def _on_unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self._last = self.clock()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.activateWindow()
            focus.setFocus()
        self.unlocked.emit()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
