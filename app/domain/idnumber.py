"""Resident ID numbers (居民身份证号码, GB 11643-1999).

Normalise what clerks type or paste (full-width digits, spaces, lower-case x,
the old 15-digit form), check the MOD 11-2 check digit, derive birth date and
sex, and mask for public lists. See docs/domain.md §8.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
OLDEST_PLAUSIBLE_YEAR = 1890
LENGTH = 18
OLD_LENGTH = 15  # the first-generation card: no century in the birth date, no check digit
BODY_LENGTH = LENGTH - 1  # everything before the check digit
REGION_LENGTH = 6
MASK_KEEP_HEAD, MASK_KEEP_TAIL = REGION_LENGTH, 4
MAX_SEQUENCE = 999

# 泾源县 was 642225 (固原地区) until 2001; people born before then still carry it.
FORMER_CODES = {"642225": "640424"}

_FULL_WIDTH = {ord(c): ord(h) for c, h in zip("０１２３４５６７８９Ｘｘ", "0123456789Xx", strict=True)}
ASCII_DIGITS = "0123456789"
# str.isdigit() also says yes to superscripts and Arabic-Indic or Devanagari digits: int() then fails
# on some and silently reads others, so only what a clerk can type on a Chinese keyboard is allowed.
_ALLOWED = frozenset(ASCII_DIGITS + "Xx" + "".join(chr(c) for c in _FULL_WIDTH) + "-_")


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; the message says why, in one sentence."""


@dataclass(frozen=True)
class IdInfo:
    number: str  # 18 characters, upper-case X
    region_code: str  # first six digits as printed
    birth_date: date
    sex: str  # 男 / 女

    @property
    def current_region_code(self) -> str:
        return FORMER_CODES.get(self.region_code, self.region_code)


def check_digit(first17: str) -> str:
    if len(first17) != BODY_LENGTH or not _ascii_digits(first17):
        raise IdNumberError("前 17 位应全部是数字。")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in ASCII_DIGITS for ch in text)


def foreign_character(raw: str) -> tuple[int, str] | None:
    """The first digit-like character (1-based position, character) that is not 0–9 in ASCII or full width.

    Letters and other marks are left to the length and position checks, whose messages already fit them.
    """
    for i, ch in enumerate(raw or "", start=1):
        if ch not in _ALLOWED and ch.isnumeric():
            return i, ch
    return None


def clean(raw: str) -> str:
    """Strip spaces and dashes, fold full-width characters, upper-case x."""
    text = (raw or "").translate(_FULL_WIDTH)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "-_")
    return text.upper()


def normalize(raw: str, today: date | None = None) -> str:
    return parse(raw, today).number


def parse(raw: str, today: date | None = None) -> IdInfo:
    """Validate and describe an ID number; raises :class:`IdNumberError`."""
    foreign = foreign_character(raw)
    if foreign is not None:
        pos, ch = foreign
        raise IdNumberError(
            f"第 {pos} 个字符“{ch}”（U+{ord(ch):04X}）不是 0–9 的数字，身份证号只能用数字 0–9 和 X（全角也可）。"
        )
    text = clean(raw)
    if not text:
        raise IdNumberError("号码为空。")
    if len(text) == OLD_LENGTH:
        if not _ascii_digits(text):
            raise IdNumberError("15 位旧号码应全部是数字。")
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_digit(first17)
    elif len(text) == LENGTH:
        if not _ascii_digits(text[:17]):
            raise IdNumberError("前 17 位应全部是数字。")
        if not (text[17] in ASCII_DIGITS or text[17] == "X"):
            raise IdNumberError("第 18 位应为数字或 X。")
        expected = check_digit(text[:17])
        if text[17] != expected:
            raise IdNumberError(f"校验位不符（按前 17 位应为 {expected}），请核对号码。")
    else:
        raise IdNumberError(f"应为 18 位（或 15 位旧号码），现在是 {len(text)} 位。")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdNumberError(f"出生日期 {text[6:14]} 不是有效日期。") from None
    today = today or date.today()
    if born > today:
        raise IdNumberError(f"出生日期 {born.isoformat()} 晚于今天。")
    if born.year < OLDEST_PLAUSIBLE_YEAR:
        raise IdNumberError(f"出生年份 {born.year} 不合常理。")
    sex = "男" if int(text[16]) % 2 == 1 else "女"
    return IdInfo(number=text, region_code=text[:6], birth_date=born, sex=sex)


def is_valid(raw: str, today: date | None = None) -> bool:
    try:
        parse(raw, today)
    except IdNumberError:
        return False
    return True


def age_on(birth: date, on: date) -> int:
    """Completed years on ``on`` (a 29 February birthday counts on 1 March in common years)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def mask(number: str) -> str:
    """For public lists and restricted roles: keep the region and the tail, hide the birth date.

    ``640424199001011234`` → ``640424********1234`` (docs/domain.md §4.5); a 15-digit number keeps
    6 + last 3 (its last 4 would show a birth digit); anything not shaped like an ID number is hidden
    entirely, so a mistyped number or a stray account never leaks through half-masked.
    """
    text = clean(number)
    if _ID18_SHAPE.fullmatch(text):
        return text[:MASK_KEEP_HEAD] + "*" * (18 - MASK_KEEP_HEAD - MASK_KEEP_TAIL) + text[-MASK_KEEP_TAIL:]
    if _ID15_SHAPE.fullmatch(text):
        return text[:MASK_KEEP_HEAD] + "*" * 6 + text[-3:]
    return "*" * len(text)


_ID18_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_ID15_SHAPE = re.compile(r"[0-9]{15}")


def make(region6: str, born: date, sequence: int) -> str:
    """Build a valid 18-digit number (for the synthetic-data generator and tests)."""
    if not (len(region6) == REGION_LENGTH and _ascii_digits(region6)):
        raise IdNumberError("地区码应为 6 位数字。")
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise IdNumberError("顺序码应在 000–999 之间。")
    first17 = f"{region6}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
