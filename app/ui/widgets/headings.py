"""The heading of every page, and the top bar of the month-based ones."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from ..fonts import follow_text_size
from .dates import MonthEdit


def page_title(text: str) -> QLabel:
    """The bold heading at the top left of every page."""
    title = QLabel(text)
    follow_text_size(title, 1.3, bold=True)  # grows with the text size chosen in Settings
    return title


def month_header(title: str, month_label: str, latest: str | None = None) -> tuple[QHBoxLayout, MonthEdit]:
    """The top bar of a month-based page: its heading, then a labelled month picker (no later than
    *latest*, see :class:`MonthEdit`)."""
    bar = QHBoxLayout()
    bar.addWidget(page_title(title))
    bar.addSpacing(16)
    bar.addWidget(QLabel(month_label))
    month = MonthEdit(latest=latest)
    bar.addWidget(month)
    return bar, month
