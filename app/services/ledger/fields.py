"""A ledger's cells as the register's values: relation, programme, money, month, disability.

Townships wrote these ledgers by hand over years, so the same thing is spelt many ways (妻子 / 配偶,
农村低保 / 低保, 520 / "520.00元", 2019.3 / 2019年3月). Each converter returns the register's value,
or raises :class:`CellProblem` with the sentence that will name the row in the list of rows not
imported. Nothing here reads the database.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ...domain import months
from ...domain.entities import DISABILITY_TYPES, ETHNICITIES, HEALTH, LABOUR_ABILITIES, PROGRAMMES, RELATIONS
from ...domain.sheet_layout import Cell

# The ledger's own fields, beside the common ones of app.domain.sheet_layout.FIELD_SYNONYMS.
LEDGER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "programme": ("救助项目", "救助类型", "保障类型", "救助类别", "保障项目", "人员类别", "对象类别"),
    "ethnicity": ("民族",),
    "health": ("健康状况", "身体状况"),
    "labour_ability": ("劳动能力",),
    "start_date": ("纳入时间", "纳入日期", "保障起始时间", "享受时间", "起始年月", "纳入年月", "批准时间"),
}

# The columns an import cannot do without: who the person is.
REQUIRED = ("name", "id_number")


class CellProblem(ValueError):
    """A cell the register cannot take; the message names the column and why, in Chinese."""


def text(cell: Cell) -> str:
    """A cell as the text a clerk sees: 13912345678.0 read from a number cell is 13912345678."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def name(cell: Cell) -> str:
    """A person's name with the spaces people put between the characters removed (张　三)."""
    return re.sub(r"\s+", "", text(cell))


_RELATIONS: dict[str, str] = {
    **{r: r for r in RELATIONS},
    **dict.fromkeys(("户主", "本人", "户主本人", "自己"), "本人"),
    **dict.fromkeys(("妻", "妻子", "夫", "丈夫", "爱人", "老伴", "之妻", "之夫"), "配偶"),
    **dict.fromkeys(("儿子", "长子", "次子", "三子", "四子", "五子", "养子", "继子", "独子", "之子"), "子"),
    **dict.fromkeys(("女儿", "长女", "次女", "三女", "四女", "五女", "养女", "继女", "独女", "之女"), "女"),
    **dict.fromkeys(("媳妇", "儿媳妇", "长媳", "次媳", "之媳"), "儿媳"),
    **dict.fromkeys(("孙", "长孙", "次孙"), "孙子"),
    **dict.fromkeys(("长孙女", "次孙女"), "孙女"),
    "外孙": "外孙子",
    "父": "父亲",
    "母": "母亲",
    **dict.fromkeys(("兄", "弟", "哥哥", "弟弟"), "兄弟"),
    **dict.fromkeys(("姐", "妹", "姐姐", "妹妹"), "姐妹"),
    "爷爷": "祖父",
    "奶奶": "祖母",
}
HEAD_RELATION = "本人"


def relation(cell: Cell) -> tuple[str, str]:
    """(the register's relation, a note) — a relation the register has no word for is 其他, and the
    ledger's own word is kept in the member's notes so that nothing the clerk wrote is lost."""
    raw = name(cell)
    if not raw:
        return "", ""
    if raw in _RELATIONS:
        return _RELATIONS[raw], ""
    return "其他", f"与户主关系：{raw}"


_PROGRAMME_WORDS: tuple[tuple[str, str], ...] = (
    ("护理补贴", "重度残疾人护理补贴"),
    ("生活补贴", "困难残疾人生活补贴"),
    ("孤儿", "孤儿基本生活费"),
    ("高龄", "高龄补贴"),
    ("临时救助", "临时救助"),
    ("低保边缘", ""),  # a category, not a programme that pays: never read as 低保
    ("低收入", "低收入"),
    ("低保", "低保"),
    ("最低生活保障", "低保"),
    ("特困", "特困"),
    ("五保", "特困"),
    ("供养", "特困"),
)


def programme(cell_or_text: Cell) -> str:
    """The programme a cell (or a title) names, or "" when it names none."""
    raw = name(cell_or_text)
    if raw in PROGRAMMES:
        return raw
    for word, prog in _PROGRAMME_WORDS:
        if word in raw:
            return prog
    return ""


def urban(cell: Cell) -> bool | None:
    """城市低保 / 农村低保: the standard the household is on, when the ledger says it."""
    raw = name(cell)
    if "城市" in raw or "城镇" in raw:
        return True
    if "农村" in raw:
        return False
    return None


def amount_fen(cell: Cell, label: str = "月保障金") -> int | None:
    """Money in 元 as integer fen, or None for an empty cell."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool | date):
        raise CellProblem(f"{label}“{text(cell)}”不是金额。")
    raw = re.sub(r"[\s,，元￥¥]", "", str(cell)) if not isinstance(cell, int | float) else repr(cell)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CellProblem(f"{label}“{text(cell)}”不是金额。") from None
    if not value.is_finite() or value < 0:
        raise CellProblem(f"{label}“{text(cell)}”不是金额。")
    fen = value * 100
    if fen != fen.to_integral_value():
        # A float cell of 520.1 reads as 520.1000000000000227…: round only what a float added.
        rounded = fen.quantize(Decimal(1))
        if isinstance(cell, float) and abs(fen - rounded) < Decimal("0.0001"):
            return int(rounded)
        raise CellProblem(f"{label}“{text(cell)}”精确到了分以下。")
    return int(fen)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "\u2160": 1, "\u2161": 2, "\u2162": 3, "\u2163": 4}
DISABILITY_CODE_TYPES = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}
MAX_GRADE = 4


def disability_type(cell: Cell) -> str:
    raw = name(cell).removesuffix("残疾").removesuffix("残")
    if not raw or raw in ("无", "否"):
        return ""
    if raw in DISABILITY_CODE_TYPES:
        return DISABILITY_CODE_TYPES[raw]
    if raw not in DISABILITY_TYPES:
        raise CellProblem(f"残疾类别“{text(cell)}”不在可选值中（{'、'.join(t for t in DISABILITY_TYPES if t)}）。")
    return raw


def disability_grade(cell: Cell) -> int:
    raw = name(cell).removesuffix("级").removesuffix("等")
    if not raw or raw in ("无", "否"):
        return 0
    grade = _CN_DIGITS.get(raw) or (int(raw) if raw.isdigit() else 0)
    if not 1 <= grade <= MAX_GRADE:
        raise CellProblem(f"残疾等级“{text(cell)}”应为一至四级。")
    return grade


CERT_WITH_GRADE = 20  # 残疾人证号: the 18-character ID number, then the type and the grade


def from_certificate(cert: str) -> tuple[str, int]:
    """(type, grade) read from a disability certificate number, or ("", 0) when it carries none."""
    cert = cert.strip().upper()
    if len(cert) < CERT_WITH_GRADE:
        return "", 0
    kind, grade = cert[18], cert[19]
    if kind in DISABILITY_CODE_TYPES and grade.isdigit() and 1 <= int(grade) <= MAX_GRADE:
        return DISABILITY_CODE_TYPES[kind], int(grade)
    return "", 0


def choice(cell: Cell, allowed: tuple[str, ...], label: str) -> str:
    raw = name(cell)
    if raw and raw not in allowed:
        raise CellProblem(f"{label}“{raw}”不在可选值中（{'、'.join(a for a in allowed if a)}）。")
    return raw


def ethnicity(cell: Cell) -> str:
    raw = name(cell)
    if raw and raw not in ETHNICITIES:
        return "其他"  # the register keeps 回族 / 汉族 apart; the other peoples are one choice
    return raw


def health(cell: Cell) -> str:
    return choice(cell, HEALTH, "健康状况")


def labour_ability(cell: Cell) -> str:
    return choice(cell, LABOUR_ABILITIES, "劳动能力")


_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def month(cell: Cell, label: str = "纳入时间") -> str | None:
    """A date or month cell as YYYY-MM (2019.3, 2019年3月, 201903, 2019-03-01 and real dates alike)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, date):
        return months.of(cell.date() if isinstance(cell, datetime) else cell)
    raw = text(cell)
    found = _MONTH_TEXT.match(raw) or _COMPACT_MONTH.match(raw)
    if found:
        value = f"{found.group(1)}-{int(found.group(2)):02d}"
        if months.is_month(value):
            return value
    raise CellProblem(f"{label}“{raw}”不是年月（应写作 2021-03 或 2021年3月）。")


LARGEST_EXACT_NUMBER = 10**15  # a number cell keeps about 15 significant digits; a bank account has more


def account(cell: Cell) -> str:
    """A bank account; one saved as a number has lost its last digits and is refused, never guessed."""
    if isinstance(cell, float) and abs(cell) >= LARGEST_EXACT_NUMBER:
        raise CellProblem(f"银行账号“{cell:.6g}”以数字形式保存，后几位已经丢失；请把该列设为文本后重新填写。")
    return re.sub(r"\s+", "", text(cell))
