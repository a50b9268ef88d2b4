"""Calendar-month helpers. A month is written ``YYYY-MM``; it starts on its 1st."""
from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

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


def diff(later: str, earlier: str) -> int:
    """Whole months from ``earlier`` to ``later`` (``diff('2022-03', '2021-12') == 3``)."""
    a, b = first_day(later), first_day(earlier)
    return (a.year - b.year) * 12 + (a.month - b.month)


def alive_in(deceased_on: date | None, month: str) -> bool:
    """Paid and counted for ``month``: alive on its 1st. The month of death is still paid; later months never."""
    return deceased_on is None or deceased_on >= first_day(month)


def mul_half_up(fen: int, ratio: Decimal | int) -> int:
    """fen × ratio, rounded half up to the fen (used for standards × ratios)."""
    return int((Decimal(fen) * Decimal(ratio)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def div_floor(fen: int, n: int) -> int:
    """fen ÷ n rounded down to the fen (used for incomes: rounding never raises an income)."""
    return int((Decimal(fen) / Decimal(n)).to_integral_value(rounding=ROUND_FLOOR))


def div_half_up(fen: int, n: int) -> int:
    return int((Decimal(fen) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan(fen: int) -> str:
    """``123456`` → ``"1234.56"`` (for the human-readable steps)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def mul_floor(fen: int, ratio: Decimal | int) -> int:
    """fen × ratio rounded down to the fen."""
    return int((Decimal(fen) * Decimal(ratio)).to_integral_value(rounding=ROUND_FLOOR))
