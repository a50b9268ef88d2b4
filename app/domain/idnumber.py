"""Resident ID numbers (居民身份证号码, GB 11643-1999).

Normalise what clerks type or paste (full-width digits, spaces, lower-case x,
the old 15-digit form), check the MOD 11-2 check digit, derive birth date and
sex, and mask for public lists. See docs/domain.md §8.1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.sheet_layout import Cell

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


# --- repairing what a spreadsheet cell holds (issue 12) ----------------------------------------

# Every spreadsheet (Excel, WPS, LibreOffice, .xls and .ods alike) stores a number cell as an IEEE
# double and keeps 15 significant digits on entry. Integers below 2**53 survive exactly (a 15-digit
# legacy number does), but an 18-digit number never does: its last digits are gone (6.42225E+17,
# 642225199001011000), and the check digit still validates by chance one time in eleven. So a number
# cell that large is damaged even when it looks valid: guessing it back would attach a person's
# benefits to a stranger.
EXACT_NUMBER_LIMIT = 2**53
EXCEL_SCIENTIFIC_FROM = 1e11  # Excel's General format shows a number this large as 6.42225E+17
SURELY_PAST = date(2025, 1, 1)  # written in 2026: any birth before this is not in the future
DISABILITY_CERT_LENGTHS = (20, 22)  # the ID number plus the disability type and grade
_NUMBER_TEXT = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
_PLACEHOLDERS = frozenset({"无", "暂无", "/", "\\", "／", "—", "——", "空"})
DAMAGED_NOTE = "以数字形式保存，末几位已丢失：请报送单位把身份证号列设为文本后重新导出。"


@dataclass(frozen=True)
class IdRepair:
    """What a cell's ID number turned out to be: ``number`` is set only when ``status == "ok"``."""

    number: str | None
    status: str  # "ok" | "empty" | "id_damaged" | "id_invalid"
    note: str = ""  # one Chinese sentence when something was converted or is wrong


def is_plain(cell: object) -> bool:
    """Whether *cell* is a valid number written exactly as normalised (18 characters, upper-case X):
    what :func:`repair` takes as it is, found at a fraction of its cost."""
    return cell.__class__ is str and _ID18_SHAPE.fullmatch(cell) is not None and _plainly_valid(cell, None)


def repair(cell: Cell, today: date | None = None) -> IdRepair:
    """The ID number a spreadsheet cell holds, normalised, or why there is none.

    Damage is reported, never mended (see EXACT_NUMBER_LIMIT); a 15-digit legacy number is
    converted to 18; a disability certificate number gives its ID part.
    """
    # The common case first, at a fraction of parse()'s cost.
    if cell.__class__ is str and _ID18_SHAPE.fullmatch(cell) and _plainly_valid(cell, today):
        return IdRepair(cell, "ok", "")
    if cell is None:
        return IdRepair(None, "empty", "身份证号为空。")
    if isinstance(cell, bool | date):  # datetime is a date too
        return IdRepair(None, "id_invalid", f"单元格是{_kind_of(cell)}，不是身份证号。")
    if isinstance(cell, int | float):
        return _repair_number(cell, today, shown=_shown(cell))
    text = str(cell).strip()
    if not clean(text) or text in _PLACEHOLDERS:
        return IdRepair(None, "empty", "身份证号为空。")
    folded = clean(text)
    if _NUMBER_TEXT.fullmatch(folded) and ("." in folded or "E" in folded):
        # A CSV written from a number cell: "6.42225E+17" or "642225199001011000.0".
        return _repair_number(float(folded), today, shown=text)
    if folded.isascii() and len(folded) in DISABILITY_CERT_LENGTHS and folded[LENGTH:].isdigit():
        try:
            number = parse(folded[:LENGTH], today).number
        except IdNumberError as e:
            return IdRepair(None, "id_invalid", f"残疾证号的前 18 位不是有效的身份证号：{e}")
        return IdRepair(number, "ok", "残疾证号，取前 18 位作身份证号。")
    try:
        number = parse(text, today).number
    except IdNumberError as e:
        if len(folded) == LENGTH and folded.endswith("000") and _ascii_digits(folded):
            # Excel shows a damaged number cell as its 15 kept digits followed by zeros.
            return IdRepair(None, "id_damaged", f"末三位是 000 且校验位不符，像是{DAMAGED_NOTE}")
        return IdRepair(None, "id_invalid", str(e))
    note = "15 位旧号码，已换算为 18 位。" if len(folded) == OLD_LENGTH else ""
    return IdRepair(number, "ok", note)


def repair_column(cells: Sequence[Cell], today: date | None = None, *, text_file: bool = False) -> list[IdRepair]:
    """repair() of each of a column's cells, with what the column as a whole says.

    An 18-digit number ending in 000 passes its check digit one time in eleven, so alone it reads
    as whole. But when the column elsewhere holds numbers that lost digits (6.40424E+17), or the
    file is a CSV (*text_file*: a number cell saved as text shows exactly so), such a number is most
    likely the same damage, and taking it would pay a stranger: it is marked id_damaged, to be
    matched by name and birth date and confirmed by a person."""
    results = [repair(cell, today) for cell in cells]
    doubt = column_doubt(cells, results, text_file=text_file)
    if doubt is None:
        return results
    return [doubt(r, cell) for r, cell in zip(results, cells, strict=True)]


def column_doubt(
    cells: Sequence[Cell], results: Sequence[IdRepair], *, text_file: bool = False
) -> Callable[[IdRepair, Cell], IdRepair] | None:
    """What :func:`repair_column` makes of one cell's repair given the rest of its column (None when
    the column casts no doubt). *cells* and *results* may leave out the cells repaired "ok": they
    never make a column doubtful, and the function returned re-judges each of them."""
    column_damaged = any(
        r.status == "id_damaged" and _number_like(cell, text_file=False) for r, cell in zip(results, cells, strict=True)
    )
    if not (column_damaged or text_file):
        return None
    where = (
        "本列另有身份证号以数字形式保存、末几位已丢失"
        if column_damaged
        else "本文件是 CSV，数字格式的单元格另存后正是这样"
    )

    def doubt(r: IdRepair, cell: Cell) -> IdRepair:
        if (
            r.status == "ok"
            and r.number is not None
            and r.number.endswith("000")
            and (column_damaged or _number_like(cell))
        ):
            return IdRepair(
                None, "id_damaged", f"“{r.number}”末三位是 000，{where}，这个号码多半也已丢位：请核对原件。"
            )
        return r

    return doubt


def _number_like(cell: Cell, text_file: bool = True) -> bool:
    """A number cell, or text a number cell turns into (6.40424E+17, 640424198001090000, …0.0)."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    if not isinstance(cell, str):
        return False
    folded = clean(cell.strip())
    return bool(_NUMBER_TEXT.fullmatch(folded)) and (text_file or "." in folded or "E" in folded)


def _plainly_valid(text: str, today: date | None) -> bool:
    """parse()'s verdict on a plain 18-character number, fast enough for 100,000 rows a list.

    The check digit: position i weighs 2**(18-i) mod 11, and 13 ≡ 2 (mod 11), so the weighted sum
    is 2 × (the first 17 digits read in base 13), mod 11 — one int() call in C. Anything this says
    no to goes through parse() for the sentence."""
    if CHECK_CHARS[(2 * int(text[:BODY_LENGTH], 13)) % 11] != text[BODY_LENGTH]:
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if born.year < OLDEST_PLAUSIBLE_YEAR:
        return False
    # date.today() costs more than the rest together: skip it for births surely in the past.
    if today is not None:
        return born <= today
    return born < SURELY_PAST or born <= date.today()


def _repair_number(value: float, today: date | None, shown: str) -> IdRepair:
    if (isinstance(value, float) and not math.isfinite(value)) or value < 0 or value != int(value):
        return IdRepair(None, "id_invalid", f"“{shown}”不是身份证号。")
    if abs(value) >= EXACT_NUMBER_LIMIT:
        return IdRepair(None, "id_damaged", f"“{shown}”{DAMAGED_NOTE}")
    digits = str(int(value))
    try:
        number = parse(digits, today).number
    except IdNumberError as e:
        return IdRepair(None, "id_invalid", f"“{shown}”不是有效的身份证号：{e}")
    note = "15 位旧号码以数字形式保存，未丢位，已换算为 18 位。" if len(digits) == OLD_LENGTH else ""
    return IdRepair(number, "ok", note)


def _shown(value: float) -> str:
    # Scientific notation, as Excel and WPS display a long number, so the clerk recognises it.
    if isinstance(value, float) and abs(value) >= EXCEL_SCIENTIFIC_FROM:
        return f"{value:.5E}"
    return str(value)


def _kind_of(cell: object) -> str:
    return "真假值" if isinstance(cell, bool) else "日期"
