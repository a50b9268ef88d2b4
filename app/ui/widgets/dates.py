"""The one date field and the one month field of every screen.

Dates are typed as yyyy-MM-dd with a calendar on F4; months as yyyy-MM, never later than the
current month unless a page allows it. A month is typed whole (QDateEdit's own section typing
refused a year typed digit by digit and kept the old year, so 2026-12 could come out as 2027-12):
the digits replace the text wherever the cursor was, the year first, then the month on its own.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
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
        self._typed: str | None = None  # digits typed so far (yyyyM or yyyyMM), None when not typing
        # The arrow keys and the wheel step months, the commonest change.
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

    # --- typing a whole month --------------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:
            self.selectAll()  # what is typed next replaces the month

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._finish_typing()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text, key = event.text(), event.key()
        if text.isdigit() and text.isascii():
            self._type_digit(text)
            return
        if self._typed is not None:
            if text in ("-", "/", "."):
                return  # the separator is shown by itself after the year
            if key == Qt.Key.Key_Backspace:
                self._typed = self._typed[:-1] or None
                self._show_typed()
                return
            if key == Qt.Key.Key_Escape:
                self._typed = None
                self.set_month(self.month())  # back to the month before typing
                return
            self._finish_typing()
        super().keyPressEvent(event)

    def _type_digit(self, digit: str) -> None:
        typed = (self._typed or "") + digit
        if typed[0] == "0" or (len(typed) == 6 and not 1 <= int(typed[4:]) <= 12):  # noqa: PLR2004
            return  # no year starts with 0; no month 00 or 13
        self._typed = typed
        # A month digit above 1 cannot start a two-digit month: it is the month.
        if len(typed) == 6 or (len(typed) == 5 and digit > "1"):  # noqa: PLR2004
            self._finish_typing()
        else:
            self._show_typed()

    def _show_typed(self) -> None:
        typed = self._typed or ""
        shown = typed[:4] + ("-" + typed[4:] if len(typed) >= 4 else "")  # noqa: PLR2004
        if not typed:
            self.set_month(self.month())
            return
        self.lineEdit().setText(shown)
        self.lineEdit().setCursorPosition(len(shown))

    def _finish_typing(self) -> None:
        """Take a complete month (yyyyM or yyyyMM); anything shorter is dropped for the month shown before."""
        typed, self._typed = self._typed, None
        if typed is not None and len(typed) >= 5 and int(typed[4:]) >= 1:  # noqa: PLR2004
            # Beyond the latest month allowed, Qt keeps the latest (setDate clamps to the maximum).
            self.setDate(QDate(int(typed[:4]), int(typed[4:]), 1))
        self.set_month(self.month())  # the text again shows the month held, also after a dropped entry
        self.setCurrentSection(QDateEdit.Section.MonthSection)
