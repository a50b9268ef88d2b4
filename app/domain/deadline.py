"""The monthly close deadline: the 25th, stated once.

The county's notice wants each month's 增减名单 and roster by the 25th. Until a month is
closed, its 25th is the deadline, even after it has passed (then the close is overdue); once
the month is closed, the next deadline is next month's 25th. The dashboard and the status bar
both ask this module, so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

from . import months

DEADLINE_DAY = 25


def _this_months(today: date) -> date:
    return today.replace(day=DEADLINE_DAY)


def _next_months(today: date) -> date:
    return months.next_month_start(today).replace(day=DEADLINE_DAY)


def deadline_for(today: date, month_closed: bool = False) -> date:
    """The deadline that matters on ``today``: this month's 25th while this month is open
    (even once passed), next month's 25th once this month is closed after its 25th."""
    if today.day > DEADLINE_DAY and month_closed:
        return _next_months(today)
    return _this_months(today)


def days_until_deadline(today: date, month_closed: bool = False) -> int:
    """Days from ``today`` to :func:`deadline_for` (0 on the day; negative when overdue)."""
    return (deadline_for(today, month_closed) - today).days


def overdue_days(today: date, month_closed: bool) -> int:
    """Days past this month's 25th while this month is not closed (0 otherwise)."""
    if month_closed or today.day <= DEADLINE_DAY:
        return 0
    return today.day - DEADLINE_DAY


def package_overdue(last_received: date | None, today: date) -> bool:
    """Whether a township's package to the county is late on ``today``.

    Its package carries the month's close, so it is due by the same 25th: once this month's 25th
    has passed, a package must have come in since the 1st; before that, one since the 1st of the
    previous month will do. A township that never sent one is late.
    """
    if last_received is None:
        return True
    since = today.replace(day=1) if today.day > DEADLINE_DAY else months.first_day(months.previous(months.of(today)))
    return last_received < since
