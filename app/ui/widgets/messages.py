"""How a screen says no or yes: a sentence beside the field at fault, or one line under the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from .palette import ERROR_BACKGROUND, ERROR_COLOR, ERROR_STYLE, OK_BACKGROUND, OK_COLOR


class FieldError(QLabel):
    """A one-sentence error shown beside (or under) the field at fault; hidden when empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_error("")


class MessageBar(QLabel):
    """One line under a toolbar: the service's sentence on refusal, or a short confirmation."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def error(self, text: str) -> None:
        self._show(text, ERROR_COLOR, ERROR_BACKGROUND)

    def info(self, text: str) -> None:
        self._show(text, OK_COLOR, OK_BACKGROUND)

    def _show(self, text: str, fg: str, bg: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border-radius: 4px; padding: 4px 8px; }}")
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def error_sentence(exc: BaseException) -> str:
    """The one sentence a service error carries (InvalidInput, PermissionDenied …)."""
    text = str(exc).strip()
    return text or exc.__class__.__name__
