"""Calendar months in one place. A month is written ``YYYY-MM``; it starts on its 1st.

The register, the rules, the services and the demo generator all count in months (paid from,
last paid, due this month, the last twelve months); this is the one arithmetic they share.
Money helpers once lived here too: they are in :mod:`app.domain.money`, re-exported below
for callers not yet moved.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .money import div_floor, div_half_up, mul_floor, mul_half_up, yuan

__all__ = [
    "MONTHS_PER_YEAR",
    "add",
    "alive_in",
    "back",
    "bounds",
    "diff",
    "div_floor",
    "div_half_up",
    "first_day",
    "following",
    "is_month",
    "iso_bounds",
    "last_day",
    "mul_floor",
    "mul_half_up",
    "next_month_start",
    "of",
    "previous",
    # money, re-exported for older callers; prefer app.domain.money
    "yuan",
]

MONTHS_PER_YEAR = 12

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def is_month(text: object) -> bool:
    return isinstance(text, str) and bool(_MONTH.fullmatch(text))


def first_day(month: str) -> date:
    m = _MONTH.fullmatch(month or "")
    if not m:
        raise ValueError(f"月份“{month}”应写作 YYYY-MM。")
    return date(int(m.group(1)), int(m.group(2)), 1)


def last_day(month: str) -> date:
    d = first_day(month)
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def add(month: str, n: int) -> str:
    d = first_day(month)
    k = d.year * 12 + (d.month - 1) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def previous(month: str) -> str:
    return add(month, -1)


def following(month: str) -> str:
    return add(month, 1)


def diff(later: str, earlier: str) -> int:
    """Whole months from ``earlier`` to ``later`` (``diff('2022-03', '2021-12') == 3``)."""
    a, b = first_day(later), first_day(earlier)
    return (a.year - b.year) * 12 + (a.month - b.month)


def bounds(month: str) -> tuple[date, date]:
    """The month's 1st and the next month's 1st: the half-open range ``[start, end)``."""
    return first_day(month), first_day(add(month, 1))


def iso_bounds(month: str) -> tuple[str, str]:
    """:func:`bounds` as ISO strings, for comparing with dates stored as text."""
    start, end = bounds(month)
    return start.isoformat(), end.isoformat()


def next_month_start(day: date) -> date:
    """The 1st of the month after ``day``'s."""
    return first_day(add(of(day), 1))


def back(month: str, n: int) -> list[str]:
    """The ``n`` months ending with ``month``, oldest first."""
    return [add(month, -k) for k in range(n - 1, -1, -1)]


def alive_in(deceased_on: date | None, month: str) -> bool:
    """Paid and counted for ``month``: alive on its 1st. The month of death is still paid; later months never."""
    return deceased_on is None or deceased_on >= first_day(month)
