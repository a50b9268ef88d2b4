"""What a printed report is, before it is PDF or Excel: a titled list of blocks, and its spec.

A report builder (``app/services/reports/``) reads the register and fills a :class:`Document`;
a renderer (``app/reports/pdf.py``, ``app/reports/xlsx.py``) turns the very same document into
pages or a workbook. Nothing here imports reportlab, openpyxl or Qt, so builders are tested
without drawing anything, and the PDF a clerk previews is the one she prints or saves.

Values in a table are plain Python: money is an ``int`` of fen (never a float), ID numbers and
bank accounts are ``str`` (never numbers: Excel would eat the last digits), dates are ISO text or
``date``. How a value is shown follows its column's :class:`Kind`.

A :class:`ReportSpec` is the part a county may change without code (DOMAIN.md §3: there is no
single national template): the title, which columns and in what order, their headings and
widths, the signature lines and the footer. It comes from a data file
(``app/resources/reports/NAME.json``), and an office's own ``reports/NAME.json`` can override
it. An override can only choose among the columns the builder knows; it can never add one, so
a public list (公示) cannot be made to print a field its builder never hands out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's values are written and aligned."""

    TEXT = "text"  # wraps, left
    ID = "id"  # ID number, account, certificate: text, never wrapped or split, monospaced
    MONEY = "money"  # int fen, shown as 元 with two decimals, right
    INT = "int"  # counts, right
    DATE = "date"  # ISO date or month, centred
    FLAG = "flag"  # bool → "是" / "", centred


class Orientation(StrEnum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT
    # Relative share of the table's width (the renderer scales the sum to the printable width).
    width: float = 1.0
    # Summed into page subtotals and the grand total (MONEY and INT only).
    total: bool = False


@dataclass
class Table:
    """Rows under a header that repeats on every page.

    ``rows`` are tuples aligned with ``columns`` (a builder makes them with :meth:`add`).
    """

    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    caption: str = ""
    # 本页小计 under each page's rows (the bank counts a payment roster page by page).
    page_subtotals: bool = False
    # 合计 after the last row.
    grand_total: bool = True
    total_label: str = "合计"

    def add(self, values: dict[str, Any]) -> None:
        """Append one row from a mapping of column key → value; keys the spec dropped are ignored."""
        self.rows.append(tuple(values.get(c.key) for c in self.columns))

    def index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def totals(self, rows: Sequence[tuple[Any, ...]] | None = None) -> dict[str, int]:
        """The sums of the total columns over *rows* (all rows by default), in integer fen or counts."""
        rows = self.rows if rows is None else rows
        out: dict[str, int] = {}
        for i, c in enumerate(self.columns):
            if c.total:
                out[c.key] = sum(int(r[i] or 0) for r in rows)
        return out


@dataclass
class Fields:
    """Label–value pairs of a form (户主姓名: 张三), laid out ``per_row`` pairs to a line."""

    items: list[tuple[str, str]]
    per_row: int = 2
    caption: str = ""


@dataclass
class Paragraph:
    text: str
    # "heading" (a section title), "body", or "note" (small print: sources, definitions, privacy).
    style: str = "body"


@dataclass
class BlankLines:
    """Ruled lines left blank for what the visit must record by hand."""

    label: str
    count: int = 3


@dataclass
class Signatures:
    """制表人 / 审核人 / 负责人 / 盖章 — a line to sign for each, with a date when ``dated``."""

    labels: tuple[str, ...]
    dated: bool = True


@dataclass
class PageBreak:
    pass


Block = Table | Fields | Paragraph | BlankLines | Signatures | PageBreak


@dataclass
class Document:
    """One report, ready to render.

    ``title`` already names the township and the month (保障对象花名册 is not enough on paper);
    ``subtitle`` is the line under it (填报单位, programme, village, 草稿 when the month is open).
    """

    name: str
    title: str
    subtitle: str = ""
    orientation: Orientation = Orientation.PORTRAIT
    blocks: list[Block] = field(default_factory=list)
    # 1.0 for ledgers; a notice-board list (公示) is printed large.
    font_scale: float = 1.0
    # Small print at the foot of every page, e.g. the 监督电话 or 内部资料 注意保密.
    footer: str = ""
    # Warnings for the person printing (a 生僻字 the font lacks, rows cut by a filter), not printed.
    warnings: list[str] = field(default_factory=list)
    # The office's override file this layout follows ("" for the shipped one): a page that cannot
    # be laid out is blamed on the file the clerk can fix.
    source: str = ""

    def tables(self) -> Iterator[Table]:
        for b in self.blocks:
            if isinstance(b, Table):
                yield b

    def text_values(self) -> Iterator[str]:
        """Every piece of text the document prints (for the missing-glyph check)."""
        yield self.title
        yield self.subtitle
        yield self.footer
        for b in self.blocks:
            if isinstance(b, Table):
                yield b.caption
                for c in b.columns:
                    yield c.title
                for row in b.rows:
                    for v in row:
                        if isinstance(v, str):
                            yield v
            elif isinstance(b, Fields):
                yield b.caption
                for label, value in b.items:
                    yield label
                    yield value
            elif isinstance(b, Paragraph):
                yield b.text
            elif isinstance(b, BlankLines):
                yield b.label
            elif isinstance(b, Signatures):
                yield from b.labels


def yuan(fen: int | None) -> str:
    """Integer fen as 元 with two decimals (123456 → "1234.56"; −5 → "-0.05"); None → "".

    No thousands separator: a bank clerk compares the figure digit by digit with the file.
    """
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def cell_text(column: Column, value: Any) -> str:
    """How *value* is printed in *column* (the PDF and the preview agree; Excel keeps numbers numeric)."""
    if value is None:
        return ""
    if column.kind == Kind.MONEY:
        return yuan(int(value))
    if column.kind == Kind.FLAG:
        return "是" if value else ""
    return str(value)


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    columns: tuple[Column, ...]
    orientation: Orientation = Orientation.PORTRAIT
    signatures: tuple[str, ...] = ()
    footer: str = ""
    font_scale: float = 1.0
    # The office's override file, when one changed this spec.
    source: str = ""

    def table(self, **kwargs: Any) -> Table:
        """An empty :class:`Table` with this spec's columns."""
        return Table(columns=self.columns, **kwargs)


MAX_WIDTH = 20
MIN_SCALE, MAX_SCALE = 0.5, 3.0
# Lengths a paper can carry: a title over two lines, a footer over one, a heading over a column,
# and signature lines under a table, are not a layout but a mistake in the file.
MAX_TITLE = 200
MAX_FOOTER = 500
MAX_COLUMN_TITLE = 40
MAX_SIGNATURES = 8
MAX_SIGNATURE = 20
# No column narrower than this share of its table: it would hold no character at all.
MIN_WIDTH_SHARE = 0.02


class SpecError(ValueError):
    """A report data file that cannot be used; the message is one sentence naming the file and field."""


_SPEC_KEYS = {"name", "title", "columns", "orientation", "signatures", "footer", "font_scale"}
_COLUMN_KEYS = {"key", "title", "kind", "width", "total"}


def _columns(raw: Any, source: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"{source}：columns 应为非空的列表。")
    out = []
    for i, col in enumerate(raw, 1):
        if not isinstance(col, dict) or not isinstance(col.get("key"), str):
            raise SpecError(f"{source}：columns 第 {i} 项缺少 key。")
        unknown = set(col) - _COLUMN_KEYS
        if unknown:
            raise SpecError(f"{source}：columns 第 {i} 项有未知字段 {min(unknown)}。")
        out.append(col)
    return out


def parse_spec(data: Any, source: str) -> ReportSpec:
    """The shipped spec of a report, from its JSON (already parsed); *source* names the file in errors."""
    if not isinstance(data, dict):
        raise SpecError(f"{source}：应为一个 JSON 对象。")
    unknown = set(data) - _SPEC_KEYS
    if unknown:
        raise SpecError(f"{source}：未知字段 {min(unknown)}。")
    if not isinstance(data.get("name"), str) or not isinstance(data.get("title"), str):
        raise SpecError(f"{source}：缺少 name 或 title。")
    columns = []
    for i, col in enumerate(_columns(data.get("columns"), source), 1):
        try:
            kind = Kind(col.get("kind", "text"))
        except ValueError:
            raise SpecError(f"{source}：columns 第 {i} 项的 kind 无效。") from None
        total = bool(col.get("total", False))
        if total and kind not in (Kind.MONEY, Kind.INT):
            raise SpecError(f"{source}：columns 第 {i} 项只有金额或人数列才能合计。")
        title = _text(col.get("title", col["key"]), f"columns 第 {i} 项的 title", MAX_COLUMN_TITLE, source)
        columns.append(Column(col["key"], title, kind, _width(col, i, source), total))
    _check_shares(columns, source)
    try:
        orientation = Orientation(data.get("orientation", "portrait"))
    except ValueError:
        raise SpecError(f"{source}：orientation 应为 portrait 或 landscape。") from None
    return ReportSpec(
        name=data["name"],
        title=_text(data["title"], "title", MAX_TITLE, source),
        columns=tuple(columns),
        orientation=orientation,
        signatures=_labels(data.get("signatures", []), source),
        footer=_text(data.get("footer", ""), "footer", MAX_FOOTER, source),
        font_scale=_scale(data.get("font_scale", 1.0), source),
    )


def apply_override(spec: ReportSpec, data: Any, source: str) -> ReportSpec:
    """*spec* as an office's override file changes it: title, columns chosen among the known ones
    (order, heading, width; kind and totals stay the builder's), orientation, signatures, footer."""
    if not isinstance(data, dict):
        raise SpecError(f"{source}：应为一个 JSON 对象。")
    unknown = set(data) - _SPEC_KEYS
    if unknown:
        raise SpecError(f"{source}：未知字段 {min(unknown)}。")
    if "name" in data and data["name"] != spec.name:
        raise SpecError(f"{source}：name 应为 {spec.name}。")
    columns = spec.columns
    if "columns" in data:
        known = {c.key: c for c in spec.columns}
        chosen: list[Column] = []
        for i, col in enumerate(_columns(data["columns"], source), 1):
            base = known.get(col["key"])
            if base is None:
                raise SpecError(f"{source}：columns 第 {i} 项的 key「{col['key']}」不是这张报表的列。")
            if "kind" in col and col["kind"] != base.kind.value:
                raise SpecError(f"{source}：columns 第 {i} 项不能改变列的类型。")
            if "total" in col and bool(col["total"]) != base.total:
                raise SpecError(f"{source}：columns 第 {i} 项不能改变是否合计。")
            chosen.append(
                Column(
                    base.key,
                    _text(col.get("title", base.title), f"columns 第 {i} 项的 title", MAX_COLUMN_TITLE, source),
                    base.kind,
                    _width(col, i, source, base.width),
                    base.total,
                )
            )
        if len({c.key for c in chosen}) != len(chosen):
            raise SpecError(f"{source}：columns 中有重复的列。")
        _check_shares(chosen, source)
        columns = tuple(chosen)
    try:
        orientation = Orientation(data.get("orientation", spec.orientation.value))
    except ValueError:
        raise SpecError(f"{source}：orientation 应为 portrait 或 landscape。") from None
    return ReportSpec(
        name=spec.name,
        title=_text(data.get("title", spec.title), "title", MAX_TITLE, source),
        columns=columns,
        orientation=orientation,
        signatures=_labels(data["signatures"], source) if "signatures" in data else spec.signatures,
        footer=_text(data.get("footer", spec.footer), "footer", MAX_FOOTER, source),
        font_scale=_scale(data.get("font_scale", spec.font_scale), source),
        source=source,
    )


def _width(col: dict[str, Any], i: int, source: str, default: float = 1.0) -> float:
    width = col.get("width", default)
    if not isinstance(width, (int, float)) or isinstance(width, bool) or not 0 < width <= MAX_WIDTH:
        raise SpecError(f"{source}：columns 第 {i} 项的 width 应为 0 到 {MAX_WIDTH} 之间的数。")
    return float(width)


def _labels(raw: Any, source: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise SpecError(f"{source}：signatures 应为文字的列表。")
    if len(raw) > MAX_SIGNATURES:
        raise SpecError(f"{source}：signatures 最多 {MAX_SIGNATURES} 项。")
    for i, label in enumerate(raw, 1):
        _text(label, f"signatures 第 {i} 项", MAX_SIGNATURE, source)
    return tuple(raw)


def _text(raw: Any, what: str, limit: int, source: str) -> str:
    if not isinstance(raw, str):
        raise SpecError(f"{source}：{what} 应为文字。")
    if len(raw) > limit:
        raise SpecError(f"{source}：{what} 不能超过 {limit} 个字。")
    return raw


def _check_shares(columns: Sequence[Column], source: str) -> None:
    """Refuse a column too narrow to print in; forms share a spec between tables (``member.``, ``income.``),
    so each table's columns are measured against their own table."""
    tables: dict[str, list[Column]] = {}
    for c in columns:
        tables.setdefault(c.key.split(".", 1)[0] if "." in c.key else "", []).append(c)
    for group in tables.values():
        total = sum(c.width for c in group)
        for c in group:
            if c.width < MIN_WIDTH_SHARE * total:
                raise SpecError(
                    f"{source}：列「{c.title}」（{c.key}）的 width 太小，每列至少要占表格宽度的 {MIN_WIDTH_SHARE:.0%}。"
                )


def _scale(raw: Any, source: str) -> float:
    if not isinstance(raw, (int, float)) or isinstance(raw, bool) or not MIN_SCALE <= raw <= MAX_SCALE:
        raise SpecError(f"{source}：font_scale 应为 {MIN_SCALE} 到 {MAX_SCALE} 之间的数。")
    return float(raw)
