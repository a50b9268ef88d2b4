"""The one date field and the one month field of every screen.

Dates are typed as yyyy-MM-dd with a calendar on F4; months as yyyy-MM, starting on the month
section, never later than the current month unless a page allows it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit

from ...domain.policy import months


def to_qdate(d: date | None) -> QDate:
    d = d or date.today()
    return QDate(d.year, d.month, d.day)


class DateEdit(QDateEdit):
    """A date typed as yyyy-MM-dd, with a calendar on F4/the arrow; ``value()`` is a ``date``."""

    def __init__(self, value: date | None = None, parent=None, maximum: date | None = None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        if maximum is not None:
            self.setMaximumDate(to_qdate(maximum))
        self.setDate(to_qdate(value))

    def value(self) -> date:
        # Built from the parts: QDate.toPython() is typed as returning object.
        shown = self.date()
        return date(shown.year(), shown.month(), shown.day())

    def set_value(self, d: date) -> None:
        self.setDate(to_qdate(d))


class MonthEdit(QDateEdit):
    """A month picker shown as yyyy-MM; ``month()`` is 'YYYY-MM' and ``month_changed(str)`` carries it.

    *latest* is the last month that can be picked (``"now"``: the current month, for work that
    cannot lie ahead, such as visits); by default there is no limit (a payment may start next month).
    """

    month_changed = Signal(str)

    def __init__(self, month: str | None = None, parent=None, latest: str | None = None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM")
        self.setCalendarPopup(False)
        self.setCurrentSection(QDateEdit.Section.MonthSection)
        if latest is not None:
            last = months.first_day(months.of(date.today()) if latest == "now" else latest)
            self.setMaximumDate(QDate(last.year, last.month, 28))
        self.set_month(month or months.of(date.today()))
        self.dateChanged.connect(lambda _d: self.month_changed.emit(self.month()))
        self.setMinimumWidth(110)

    def month(self) -> str:
        d = self.date()
        return f"{d.year():04d}-{d.month():02d}"

    def set_month(self, month: str) -> None:
        d = months.first_day(month)
        self.setDate(QDate(d.year, d.month, 1))
