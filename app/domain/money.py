"""Money in one place: the register keeps integer fen; people read and type 元.

Every amount the program stores or computes is an ``int`` of fen, so sums are exact. Turning
fen into the ``"1234.56"`` people read, parsing what they type, and the rounding rules of the
policy arithmetic (which way a fen goes when a standard is multiplied or an income divided)
live here once, so that the rules, the services and the screens all round the same way.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

_CENT = Decimal("0.01")


def yuan(fen: int) -> str:
    """``123456`` → ``"1234.56"``; ``-5`` → ``"-0.05"``."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def parse_yuan(text: str, *, field_label: str = "金额", allow_negative: bool = False) -> int:
    """What a person typed in 元 (``"1,234.5"``, ``"312"``) → integer fen.

    Raises ValueError with one Chinese sentence naming ``field_label`` when the text is empty,
    not a number, negative (unless allowed) or finer than a fen.
    """
    cleaned = (text or "").strip().replace(",", "").replace("，", "").replace(" ", "")
    cleaned = cleaned.removesuffix("元")
    if not cleaned:
        raise ValueError(f"请填写{field_label}（元）。")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{field_label}应为以元计的数字，例如 312.50。") from None
    if not value.is_finite():
        raise ValueError(f"{field_label}应为以元计的数字，例如 312.50。")
    if value < 0 and not allow_negative:
        raise ValueError(f"{field_label}不能为负。")
    if value != value.quantize(_CENT):
        raise ValueError(f"{field_label}最多保留两位小数（到分）。")
    return int(value * 100)


def mul_half_up(fen: int, ratio: Decimal | int) -> int:
    """fen × ratio, rounded half up to the fen (standards × ratios)."""
    return int((Decimal(fen) * Decimal(ratio)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mul_floor(fen: int, ratio: Decimal | int) -> int:
    """fen × ratio rounded down to the fen."""
    return int((Decimal(fen) * Decimal(ratio)).to_integral_value(rounding=ROUND_FLOOR))


def div_floor(fen: int, n: int) -> int:
    """fen ÷ n rounded down to the fen (incomes: rounding never raises an income)."""
    return int((Decimal(fen) / Decimal(n)).to_integral_value(rounding=ROUND_FLOOR))


def div_half_up(fen: int, n: int) -> int:
    """fen ÷ n rounded half up to the fen."""
    return int((Decimal(fen) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
