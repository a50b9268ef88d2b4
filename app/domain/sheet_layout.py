"""How a department's spreadsheet is laid out, found from its cells alone (issue 12).

Real lists are messy the way WPS and department systems write them: title rows above the header,
a 填报单位：…（盖章） line, headers merged over two rows, total and signature rows at the bottom.
This module reads the grid of cells (already read from the file by ``app/sheets``) and finds the
header, maps its columns to the fields a comparison or an import needs (by synonyms; a person
confirms when unsure), and yields the data rows with their numbers: ``row`` counts data rows from
1 under the header, ``sheet_row`` is the spreadsheet's own row number a clerk sees in WPS.

Pure: no files, no database, no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from app.errors import InvalidInput

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file as read: ``rows[i]`` is the spreadsheet's row ``i + 1``."""

    file_name: str
    sheet: str
    sheets: tuple[str, ...]
    rows: list[list[Cell]]
    sha256: str


@dataclass(frozen=True)
class Layout:
    """Where the header is and which column holds which field."""

    header_rows: tuple[int, ...]  # 0-based indexes into RawSheet.rows: one row, or two when merged
    headers: tuple[str, ...]  # each column's header text (two-row headers joined, e.g. "家庭成员-姓名")
    columns: dict[str, int]  # field → 0-based column index
    # Fields matched only loosely (a person should confirm them in the mapping dialog).
    unsure: tuple[str, ...] = ()
    title: str = ""  # the title rows above the header, joined
    unit: str = ""  # the 填报单位 line, if any


@dataclass(frozen=True)
class DataRow:
    row: int  # data rows counted from 1 under the header (skipped rows not counted)
    sheet_row: int  # the spreadsheet's own row number (1-based)
    values: dict[str, Cell] = field(default_factory=dict)  # field → the cell as read


# The common fields and the header texts seen for them in township ledgers and department lists.
# Matching is on normalised text (see normalise_header), so "身份证号码（必填）" and "身份证号 码" are
# "身份证号码". Source kinds and the ledger import extend this with their own fields.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "居民身份证号码",
        "身份号码",
        "证件号码",
        "证件号",
        "身份证件号码",
        "身份证",
        "成员身份证号",
        "成员身份证号码",
        "家庭成员身份证号",
        "家庭成员身份证号码",
        "家庭成员-身份证号",
        "家庭成员-身份证号码",
    ),
    "name": (
        "姓名",
        "名字",
        "成员姓名",
        "家庭成员姓名",
        "家庭成员-姓名",
        "人员姓名",
        "对象姓名",
        "救助对象姓名",
        "保障对象姓名",
        "残疾人姓名",
        "参保人姓名",
        "患者姓名",
        "死者姓名",
    ),
    "sex": ("性别",),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
    "relation": ("与户主关系", "与户主的关系", "关系", "家庭关系", "成员关系", "家庭成员-与户主关系"),
    "head_name": ("户主姓名", "户主", "户主名", "户主-姓名"),
    # Not in the brief's list but needed: "户主身份证号码" must not be read as the member's number.
    "head_id_number": (
        "户主身份证号",
        "户主身份证号码",
        "户主公民身份号码",
        "户主证件号码",
        "户主-身份证号码",
        "户主-身份证号",
    ),
    "village": ("村", "行政村", "所在村", "所属村", "村名", "村委会", "村社区", "村居"),
    "group": ("组", "村民小组", "小组", "组别", "社", "村组"),
    "address": ("住址", "家庭住址", "现住址", "居住地址", "户籍地址", "户籍所在地", "地址", "家庭地址"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "household_no": ("户编号", "户号", "家庭编号", "户籍号", "低保证号", "低保证编号"),
    "class": ("类别", "保障类别", "救助类别", "救助类型", "人员类别", "保障类型", "对象类别", "分类施保类别", "档次"),
    "amount": (
        "金额",
        "保障金额",
        "月保障金",
        "月保障金额",
        "户月保障金额",
        "发放金额",
        "月发放金额",
        "补贴金额",
        "补助金额",
        "救助金额",
        "月救助金",
    ),
    "bank": ("开户行", "开户银行", "银行", "代发银行"),
    "account": ("账号", "银行账号", "卡号", "银行卡号", "存折号", "一卡通账号", "社保卡号", "账户"),
    "disability_cert": ("残疾证号", "残疾证号码", "残疾人证号", "残疾人证号码", "残疾证编号"),
    "disability_type": ("残疾类别", "残疾类型", "残疾种类"),
    "disability_grade": ("残疾等级", "残疾级别"),
    "note": ("备注", "说明"),
}

# How the refusals name a field (one Chinese word a clerk knows); unknown fields use their first synonym.
FIELD_LABELS: dict[str, str] = {
    "id_number": "身份证号",
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生日期",
    "relation": "与户主关系",
    "head_name": "户主姓名",
    "head_id_number": "户主身份证号",
    "village": "村",
    "group": "组",
    "address": "住址",
    "phone": "联系电话",
    "household_no": "户编号",
    "class": "类别",
    "amount": "金额",
    "bank": "开户行",
    "account": "账号",
    "disability_cert": "残疾证号",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "note": "备注",
}

HEADER_SCAN_ROWS = 30
TOTAL_WORDS = ("合计", "小计", "总计", "累计")
# 本页小计, 全村合计: a total's label may name what it totals first; a person's name never starts so.
TOTAL_PREFIXES = (
    "本页",
    "本月",
    "本年",
    "本村",
    "本组",
    "本乡",
    "本镇",
    "全村",
    "全组",
    "全乡",
    "全镇",
    "全县",
    "以上",
)
TOTAL_SCAN_COLUMNS = 3  # a total's label sits in the first columns
SIGNATURE_WORDS = (
    "制表人",
    "制表",
    "填表人",
    "审核人",
    "审核",
    "审批人",
    "负责人",
    "单位负责人",
    "经办人",
    "填表日期",
    "填报日期",
    "制表日期",
    "报送日期",
    "盖章",
    "填报单位",
    "制表单位",
    "注：",
    "说明：",
)
UNIT_WORDS = ("填报单位", "制表单位", "报送单位", "单位名称")
STRONG, WEAK = 2, 1
MIN_CONTAINED_SYNONYM = 2  # "村" inside "东峡村" is no header; "身份证号" inside "持证人身份证号" is
MIN_LOWER_HALF_FIELDS = 2  # exact header texts a lower header half must hold (see _lower_half)
MIN_GROUP_TEXTS = 2  # a title has one text across its merged row; a group row has several
ID_DIGITS = 15  # a cell with this many digits is a person's row, never a total or a signature
ID_LIKE_NUMBER = 1e14
TOTAL_LABEL_EXTRA = 4  # 合计金额, 合计（元）: a few characters after the word, not a sentence

_BRACKETED = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_DROP = re.compile(r"[\s※*＊:：、_\-－—]+")  # noqa: RUF001 — the full-width marks are the point
_LONG_DIGITS = re.compile(r"[0-9０-９]{6,}")  # noqa: RUF001 — full-width digits are digits too
_PLAIN_ID = re.compile(r"\s*[0-9]{15}")
_SCIENTIFIC = re.compile(r"\d\.?\d*[eE]\+?\d")
_SKIP_HINT = re.compile("|".join(TOTAL_WORDS + SIGNATURE_WORDS + ("合 计", "总 计", "小 计")))


def normalise_header(cell: Cell) -> str:
    """Header text as compared: full-width folded, notes in brackets and ※* marks, spaces and line
    breaks removed ("身份证号码\n（必填）※" → "身份证号码")."""
    if cell is None or not isinstance(cell, str):
        return "" if cell is None else str(cell)
    text = unicodedata.normalize("NFKC", cell)
    text = _BRACKETED.sub("", text)
    return _DROP.sub("", text).lower()


def _normalised_synonyms(synonyms: Mapping[str, Sequence[str]]) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (f, tuple(dict.fromkeys(normalise_header(s) for s in syns if normalise_header(s))))
        for f, syns in synonyms.items()
    ]


def match_header(text: str, synonyms: list[tuple[str, tuple[str, ...]]]) -> list[tuple[int, int, str]]:
    """(strength, length of the synonym, field) for each field *text* names; strongest first.

    Equal text is strong; a header that only contains a synonym (of two characters or more) is weak,
    and a person confirms it."""
    if not text:
        return []
    found: list[tuple[int, int, str]] = []
    for fld, syns in synonyms:
        best: tuple[int, int, str] | None = None
        for syn in syns:
            if text == syn:
                best = (STRONG, len(syn), fld)
                break
            if len(syn) >= MIN_CONTAINED_SYNONYM and syn in text and (best is None or len(syn) > best[1]):
                best = (WEAK, len(syn), fld)
        if best is not None:
            found.append(best)
    found.sort(key=lambda m: (-m[0], -m[1]))
    return found


def _cell(row: Sequence[Cell], col: int) -> Cell:
    return row[col] if col < len(row) else None


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Cell) -> str:
    return "" if _blank(cell) else str(cell).strip()


def _data_like(row: Sequence[Cell]) -> bool:
    """A row holding a number, a date or a long digit string is data, never a header."""
    for cell in row:
        if _blank(cell):
            continue
        if not isinstance(cell, str) or _LONG_DIGITS.search(cell):
            return True
    return False


def _row_fields(row: Sequence[Cell], syns: list[tuple[str, tuple[str, ...]]]) -> dict[str, int]:
    """field → best strength among the row's cells (each field counted once)."""
    fields: dict[str, int] = {}
    for cell in row:
        for strength, _, fld in match_header(normalise_header(cell) if isinstance(cell, str) else "", syns):
            fields[fld] = max(fields.get(fld, 0), strength)
    return fields


def _score(fields: Mapping[str, int]) -> float:
    return sum(1.0 if s == STRONG else 0.5 for s in fields.values())


def _is_unit_line(row: Sequence[Cell]) -> bool:
    return any(w in normalise_header(c) for c in row if isinstance(c, str) for w in UNIT_WORDS)


def _distinct_texts(row: Sequence[Cell]) -> list[str]:
    return list(dict.fromkeys(_text(c) for c in row if not _blank(c)))


def _group_row(row: Sequence[Cell], fields: Mapping[str, int], below: Sequence[Cell]) -> bool:
    """Is *row* the upper half of a two-row header (家庭成员 over 姓名 | 身份证号) above *below*?

    Several texts, no data, not the 填报单位 line, and either a header text of its own or a column
    merged down over both rows (the same text below, or a blank below in a CSV export): a title
    split over two cells (附件2 … 单位：元) has neither."""
    if _data_like(row) or _is_unit_line(row) or len(_distinct_texts(row)) < MIN_GROUP_TEXTS:
        return False
    if fields:
        return True
    return any(
        not _blank(_cell(row, c)) and (_blank(_cell(below, c)) or _text(_cell(below, c)) == _text(_cell(row, c)))
        for c in range(len(row))
    )


def _joined_headers(upper: Sequence[Cell] | None, lower: Sequence[Cell], width: int) -> list[tuple[str, str, str]]:
    """(display text, lower text, upper text) per column. A blank upper cell under a group label
    (a merged cell written out by CSV or by a reader that did not fill it) continues the label to
    its left while the lower row has text there."""
    out: list[tuple[str, str, str]] = []
    carry = ""
    for col in range(width):
        low = _text(_cell(lower, col))
        up = _text(_cell(upper, col)) if upper is not None else ""
        if upper is not None:
            if up:
                carry = up if low else ""
            elif low and carry:
                up = carry
            else:
                carry = ""
        if up and low and up != low:
            out.append((f"{up}-{low}", low, up))
        else:
            out.append((low or up, low or up, ""))
    return out


def _field_label(fld: str, synonyms: Mapping[str, Sequence[str]]) -> str:
    if fld in FIELD_LABELS:
        return FIELD_LABELS[fld]
    syns = synonyms.get(fld, ())
    return syns[0] if syns else fld


def detect_layout(
    rows: Sequence[Sequence[Cell]],
    synonyms: Mapping[str, Sequence[str]],
    required: Sequence[str] = ("name",),
    mapping: Mapping[str, int] | None = None,
) -> Layout:
    """The header and column mapping of *rows*; *mapping* (field → column), when given, is what a
    person chose (or what was remembered for this source) and wins over the synonyms.

    The header is the row among the first HEADER_SCAN_ROWS whose cells name the most fields (the
    earliest on a tie). Raises InvalidInput (field="file") when no row looks like a header or a
    *required* field has no column."""
    syns = _normalised_synonyms(synonyms)
    scan = [list(r) for r in rows[:HEADER_SCAN_ROWS]]
    header_rows = _find_header(scan, syns)
    upper = scan[header_rows[0]] if len(header_rows) == 2 else None  # noqa: PLR2004 — a two-row header
    width = max(len(scan[i]) for i in header_rows)
    cols = _joined_headers(upper, scan[header_rows[-1]], width)
    headers = tuple(c[0] for c in cols)
    columns, unsure = _assign_columns(cols, syns)
    if mapping:
        widest = max((len(r) for r in rows[: HEADER_SCAN_ROWS * 2]), default=0)
        _apply_mapping(columns, unsure, mapping, max(width, widest), synonyms)
    missing = [f for f in required if f not in columns]
    if missing:
        names = "、".join(f"“{_field_label(f, synonyms)}”" for f in missing)
        shown_headers = "、".join(h for h in headers if h) or "（无）"
        raise InvalidInput(
            f"第 {header_rows[-1] + 1} 行的表头里找不到{names}列（表头是：{shown_headers}），请在列对应里指定。",
            field="file",
        )
    title, unit = _title_and_unit(scan[: header_rows[0]])
    return Layout(
        header_rows=header_rows,
        headers=headers,
        columns=dict(sorted(columns.items(), key=lambda kv: kv[1])),
        unsure=tuple(sorted(unsure, key=lambda f: columns[f])),
        title=title,
        unit=unit,
    )


def _find_header(scan: list[list[Cell]], syns: list[tuple[str, tuple[str, ...]]]) -> tuple[int, ...]:
    found = [_row_fields(r, syns) for r in scan]
    scores = [0.0 if _data_like(r) else _score(f) for r, f in zip(scan, found, strict=True)]
    if not scores or max(scores) <= 0:
        raise InvalidInput(
            f"前 {HEADER_SCAN_ROWS} 行里找不到表头（没有一列叫“姓名”“身份证号”这类名字），请检查是不是选错了工作表。",
            field="file",
        )
    h = scores.index(max(scores))
    if h > 0 and _group_row(scan[h - 1], found[h - 1], scan[h]):
        return (h - 1, h)
    if h + 1 < len(scan) and _lower_half(scan[h], scan[h + 1], found[h + 1]):
        return (h, h + 1)
    return (h,)


def _assign_columns(
    cols: list[tuple[str, str, str]], syns: list[tuple[str, tuple[str, ...]]]
) -> tuple[dict[str, int], list[str]]:
    """Each field to one column and each column to one field, exact matches first, then longer
    synonyms, then the leftmost column. A two-row header matches on its joined text ("户主-姓名"
    is the head's name) and on its lower text."""
    candidates: list[tuple[int, int, int, str]] = []  # (strength, synonym length, column, field)
    for col, (shown, low, up) in enumerate(cols):
        texts = [normalise_header(shown), normalise_header(low)] if up else [normalise_header(shown)]
        best: dict[str, tuple[int, int]] = {}
        for text in texts:
            for strength, length, fld in match_header(text, syns):
                best[fld] = max(best.get(fld, (0, 0)), (strength, length))
        candidates.extend((s, n, col, fld) for fld, (s, n) in best.items())
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
    columns: dict[str, int] = {}
    unsure: list[str] = []
    for strength, _, col, fld in candidates:
        if fld in columns or col in columns.values():
            continue
        columns[fld] = col
        if strength == WEAK:
            unsure.append(fld)
    return columns, unsure


def _apply_mapping(
    columns: dict[str, int],
    unsure: list[str],
    mapping: Mapping[str, int],
    width: int,
    synonyms: Mapping[str, Sequence[str]],
) -> None:
    for fld, col in mapping.items():
        if not 0 <= col < width:
            raise InvalidInput(f"“{_field_label(fld, synonyms)}”对应的第 {col + 1} 列不存在。", field="file")
        for other in [f for f, c in columns.items() if c == col and f != fld]:
            del columns[other]
            if other in unsure:
                unsure.remove(other)
        columns[fld] = col
        if fld in unsure:
            unsure.remove(fld)


def _title_and_unit(above: list[list[Cell]]) -> tuple[str, str]:
    title_parts: list[str] = []
    unit = ""
    for r in above:
        texts = _distinct_texts(r)
        if not unit and _is_unit_line(r):
            unit = " ".join(texts)
        else:
            title_parts.extend(texts)
    return " ".join(title_parts), unit


def _lower_half(header: Sequence[Cell], below: Sequence[Cell], below_fields: Mapping[str, int]) -> bool:
    """Is *below* the lower half of a two-row header whose upper half is *header*? It must name two
    fields by their exact header text (one word like 户主 could be a relation in a data row), hold
    no data, and add text where the header row is blank or carries a group label over it."""
    if _data_like(below) or sum(1 for s in below_fields.values() if s == STRONG) < MIN_LOWER_HALF_FIELDS:
        return False
    return any(
        not _blank(_cell(below, c)) and _text(_cell(below, c)) != _text(_cell(header, c)) for c in range(len(below))
    )


def _id_ish(cell: Cell) -> bool:
    """A cell that holds an ID number, whole or damaged (6.42225E+17): its row is a person's."""
    if isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell)
        return sum(ch.isdigit() for ch in text) >= ID_DIGITS or bool(_SCIENTIFIC.search(text))
    return isinstance(cell, int | float) and not isinstance(cell, bool) and abs(cell) >= ID_LIKE_NUMBER


def _signature_cell(text: str) -> bool:
    """制表人：张三, 审核：, 单位负责人, （盖章）, 填表日期：2024年5月20日 — but not a note like 审核通过."""
    if "盖章" in text:
        return True
    for word in SIGNATURE_WORDS:
        if text.startswith(word):
            rest = text[len(word) :]
            return rest[:1] in (":", "：") or (not rest and word.endswith(("人", "日期", "：")))
    return False


def _total_label(text: str) -> bool:
    """合计, 合计（元）, 合计金额, 本页小计 — but not 张合计, a person named so."""
    for word in TOTAL_WORDS:
        if text.startswith(word) and len(text) <= len(word) + TOTAL_LABEL_EXTRA:
            return True
        if text.endswith(word) and text[: -len(word)] in TOTAL_PREFIXES:
            return True
    return False


def _total_row(row: Sequence[Cell]) -> bool:
    """The row reads as a total: its first text cell (序号 numbers before it are skipped) is a total
    label, or one of its first cells is the bare word. A name holding the word (张合计) is not."""
    leading = row[:TOTAL_SCAN_COLUMNS]
    texts = [normalise_header(c) for c in leading if isinstance(c, str) and c.strip()]
    if any(t in TOTAL_WORDS for t in texts):
        return True
    first = next((c for c in row if not _blank(c) and isinstance(c, str)), None)
    return first is not None and _total_label(normalise_header(first))


def _skippable(row: Sequence[Cell]) -> bool:
    """A total (合计/小计/总计/累计 leading one of the first columns) or signature row (most of its
    cells 制表人：…, 审核人：…, （盖章） …). A row holding an ID number is a person's and is kept."""
    # The list's repr holds every text cell as written: one C-level search decides most rows.
    if not _SKIP_HINT.search(repr(row)):
        return False
    texts = [c for c in row if isinstance(c, str) and c]
    if any(_id_ish(c) for c in row if c is not None):
        return False
    if _total_row(row):
        return True
    norm = [unicodedata.normalize("NFKC", t).replace(" ", "") for t in texts if t.strip()]
    signed = sum(1 for t in norm if _signature_cell(t))
    return signed > 0 and 2 * signed >= len(norm)


class RowFilter:
    """Which rows under a layout's header are data rows (see :func:`data_rows`): one row at a time,
    for a caller that walks the rows itself (the comparison's fast path over cells as read)."""

    def __init__(self, rows: Sequence[Sequence[Cell]], layout: Layout) -> None:
        self.start = max(layout.header_rows) + 1
        self.header = list(rows[layout.header_rows[-1]]) if rows else []
        self.header_text = [normalise_header(c) for c in self.header]
        self.first = next((i for i, c in enumerate(self.header) if not _blank(c)), None)
        self.id_col = layout.columns.get("id_number", -1)

    def keep(self, row: Sequence[Cell]) -> bool:
        """Whether *row* (cells as the layout reads them) is a data row: not blank, not a total or
        signature row, not the header repeated. The common row takes the cheap tests first."""
        n = len(row)
        if (n == 0 or _blank(row[0])) and all(_blank(c) for c in row):
            return False
        # A whole ID number in its column makes this a person's row: _skippable would say so too.
        id_col = self.id_col
        person = 0 <= id_col < n and (v := row[id_col]).__class__ is str and _PLAIN_ID.match(v)
        if not person and _skippable(row):
            return False
        first, header = self.first, self.header
        return not (
            first is not None
            and first < n
            and row[first] == header[first]
            and [normalise_header(c) for c in row] == self.header_text
        )


def data_rows(rows: Sequence[Sequence[Cell]], layout: Layout) -> Iterator[DataRow]:
    """The data rows under the header: blank, total (合计/小计/总计) and signature rows skipped, a
    repeated header (a list printed page by page) skipped, to the sheet's last row however many
    blank rows come before it (a row after a gap is still a person). ``values`` are the cells as
    read (app.sheets gives None for a blank cell).

    Runs once per row of 100,000-row lists, so the common row takes the cheap tests first."""
    keep = RowFilter(rows, layout)
    items = list(layout.columns.items())
    widest = max(layout.columns.values(), default=-1)
    kept = 0
    for index in range(keep.start, len(rows)):
        row = rows[index]
        if not keep.keep(row):
            continue
        kept += 1
        yield DataRow(row=kept, sheet_row=index + 1, values=values_of(row, items, widest))


def values_of(row: Sequence[Cell], items: Sequence[tuple[str, int]], widest: int) -> dict[str, Cell]:
    """field → the row's cell, for a layout's (field, column) *items* (*widest*: their largest column)."""
    if widest < len(row):
        return {fld: row[col] for fld, col in items}
    n = len(row)
    return {fld: row[col] if col < n else None for fld, col in items}


EXACT_NUMBER_LIMIT = 2**53  # below it an integral double is exactly an integer


def as_cell(value: object) -> Cell:
    """A cell as the layout reads it, from what a spreadsheet reader gives: blank is None; an
    integral number is an int (readers give .xlsx numbers as floats, and 序号 1.0 or a phone
    1.3912345678e10 help nobody), except beyond 2**53 where the float is kept so that a damaged ID
    number still shows as one."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_NUMBER_LIMIT:
            return int(value)
        return value
    if isinstance(value, bool | int | date):  # datetime is a date
        return value
    return str(value)  # a time or a duration: shown as text


def values_as_read(row: Sequence[object], items: Sequence[tuple[str, int]]) -> dict[str, Cell]:
    """:func:`values_of` of a row of cells as read (every column of *items* within it), each cell as
    the layout reads it."""
    return {
        fld: v if (v := row[col]).__class__ is str and v.strip() else None if v == "" else as_cell(v)
        for fld, col in items
    }


def as_cells(row: Sequence[object]) -> list[Cell]:
    """A row of cells as read (text, "" for blank, floats for numbers) as the layout reads them."""
    # Most cells are text, and most others empty: neither takes a call.
    return [v if v.__class__ is str and v.strip() else None if v == "" else as_cell(v) for v in row]
