"""Money on screen: integer fen shown as yuan, typed yuan read back, both by the domain's rules (app.domain.money)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from ...domain import money
from .palette import RIGHT


def yuan(fen: int | None) -> str:
    """Integer fen → ``"1234.56"``; None → empty."""
    return "" if fen is None else money.yuan(int(fen))


def fen_from_yuan(text: str, field_label: str = "金额") -> int:
    """``"123.4"`` → 12340 fen; the domain's rule, raising ValueError with its one sentence."""
    return money.parse_yuan(text, field_label=field_label)


class YuanEdit(QLineEdit):
    """A yuan amount: digits with at most two decimals, right-aligned."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}(\.\d{0,2})?"), self))
        self.setAlignment(RIGHT)
        self.setPlaceholderText("0.00")

    def set_fen(self, fen: int | None) -> None:
        self.setText(yuan(fen))

    def fen(self) -> int:
        return fen_from_yuan(self.text())
