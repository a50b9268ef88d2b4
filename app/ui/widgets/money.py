"""Money on screen: integer fen from the services shown as yuan, typed yuan read back with Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from ...domain.policy import months
from .palette import RIGHT


def yuan(fen: int | None) -> str:
    """Integer fen → ``"1234.56"``; None → empty."""
    return "" if fen is None else months.yuan(int(fen))


def fen_from_yuan(text: str) -> int:
    """``"123.4"`` → 12340 fen. Raises ValueError with a sentence for the user."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        raise ValueError(QCoreApplication.translate("AssistWidgets", "Please enter an amount in yuan."))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            QCoreApplication.translate("AssistWidgets", "The amount must be a number of yuan, e.g. 312.50.")
        ) from None
    if value < 0:
        raise ValueError(QCoreApplication.translate("AssistWidgets", "The amount cannot be negative."))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(QCoreApplication.translate("AssistWidgets", "The amount can have at most two decimals (fen)."))
    return int(value * 100)


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
