"""Dated policy parameters (docs/domain.md §2, §2.3; docs/architecture.md §3 "policy parameter").

A :class:`PolicyBook` holds periods. Each period has an ``effective_from`` date and
the figures that changed on that date; every figure carries its source, its
reliability tag and an ``unconfirmed`` flag. ``book.for_month("2021-08")`` merges,
for each figure, the latest period whose ``effective_from`` is on or before the 1st
of that month, and returns :class:`Params` with every amount in integer fen.

The book is immutable: ``add_period`` returns a new book; old periods stay, so
back-dated months always use the figures then in force.

Pure Python: the caller reads the JSON file and passes the decoded dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .. import money, months
from .figures import CARE_TIERS, FIGURES, MAX_GRACE_MONTHS, ORPHAN_KINDS, Figure, figure, is_figure

__all__ = [
    "CARE_TIERS",
    "MAX_GRACE_MONTHS",
    "ORPHAN_KINDS",
    "RULE_TYPES",
    "SPEC",
    "AgeBand",
    "BenefitClass",
    "ParamItem",
    "Params",
    "Period",
    "PolicyBook",
    "PolicyError",
]

RULE_TYPES = ("差额", "定额", "标准×比例")


class PolicyError(ValueError):
    """A policy book or period that cannot be used; ``field`` names where."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}" if field_name else message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class BenefitClass:
    """One 分类施保 class: rule 差额 (standard − income), 定额 (fixed per person) or 标准×比例."""

    code: str
    name: str
    rule: str
    amount_fen: int | None = None  # 定额: per covered person per month
    ratio: Decimal | None = None  # 标准×比例: share of the monthly standard per person
    min_fen: int | None = None  # optional per-person minimum within the class


@dataclass(frozen=True)
class AgeBand:
    min_age: int
    amount_fen: int


@dataclass(frozen=True)
class ParamItem:
    """One figure with its provenance, as in force for a month."""

    key: str
    value: Any
    effective_from: str
    source: str = ""
    tag: str = ""
    unconfirmed: bool = False
    note: str = ""


# key → (Params attribute, kind), derived from the one declaration in figures.py (kept for callers).
SPEC: dict[str, tuple[str, str]] = {f.key: (f.attr, f.kind) for f in FIGURES}


@dataclass(frozen=True)
class Params:
    """Every figure in force on the 1st of ``month``; amounts in fen. ``None`` = not set for that month."""

    month: str
    urban_standard_monthly_fen: int
    rural_standard_annual_fen: int
    urban_topup_floor_fen: int | None = None
    rural_topup_floor_fen: int | None = None
    topup_floor_mode: str = "report_only"
    approval_level: str = "township"  # who makes the 审批: "county", or "township" by delegation
    default_class: str = "差额"
    classes: tuple[BenefitClass, ...] = (BenefitClass("差额", "差额", "差额"),)
    deposit_limit_per_person_fen: int | None = None
    vehicle_limit: int | None = None
    low_income_factor: Decimal = Decimal("1.5")
    tekun_basic_ratio: Decimal | None = None
    tekun_basic_urban_monthly_fen: int | None = None
    tekun_basic_rural_monthly_fen: int | None = None
    tekun_care_monthly_fen: Mapping[str, int] = field(default_factory=dict)
    tekun_minor_age: int = 18
    tekun_elder_age: int = 60
    grace_months: int = 6
    grace_benefit_mode: str = "full"
    employment_cost_fixed_fen: int = 0
    employment_cost_rate: Decimal = Decimal(0)
    employment_cost_cap_fen: int | None = None
    exclude_basic_pension: bool = False
    dibao_excluded_items: tuple[str, ...] = ()  # local items not counted as 低保 income
    gaoling_bands: tuple[AgeBand, ...] = ()
    gaoling_count_birthday_month: bool = False
    disability_living_monthly_fen: int | None = None
    disability_care_monthly_fen: Mapping[str, int] = field(default_factory=dict)
    orphan_monthly_fen: Mapping[str, int] = field(default_factory=dict)
    monitoring_annual_line_fen: int | None = None
    linshi_emergency_multiple: Decimal | None = None
    linshi_expense_cap_multiple: Decimal | None = None
    linshi_unemployed_multiple: Decimal | None = None
    local_disposable_income_annual_fen: int | None = None
    alert_inpatient_formerly_poor_fen: int | None = None
    alert_inpatient_other_fen: int | None = None
    alert_outpatient_monthly_fen: int | None = None
    alert_schooling_yearly_fen: int | None = None
    alert_income_drop_ratio: Decimal | None = None
    alert_visit_max_days: int = 31
    alert_care_visit_max_days: int = 31
    alert_review_months_stable: int = 12
    alert_review_months_unstable: int = 6
    alert_death_review_months: int = 3
    alert_unemployed_months: int = 3
    items: Mapping[str, ParamItem] = field(default_factory=dict)
    periods_used: tuple[str, ...] = ()

    # --- derived figures -------------------------------------------------
    @cached_property  # asked three times per household when the rules run over a county
    def rural_standard_monthly_fen(self) -> int:
        """Rural annual standard ÷ 12, rounded half up to the fen (5520 元/年 → 460.00 元/月)."""
        return money.div_half_up(self.rural_standard_annual_fen, 12)

    def standard_monthly_fen(self, urban: bool) -> int:
        return self.urban_standard_monthly_fen if urban else self.rural_standard_monthly_fen

    def topup_floor_fen(self, urban: bool) -> int | None:
        return self.urban_topup_floor_fen if urban else self.rural_topup_floor_fen

    def low_income_line_fen(self, urban: bool) -> int:
        """低保边缘 line: factor × monthly standard, half up (460 × 1.5 = 690.00)."""
        return money.mul_half_up(self.standard_monthly_fen(urban), self.low_income_factor)

    def tekun_basic_monthly_fen(self, urban: bool) -> int | None:
        override = self.tekun_basic_urban_monthly_fen if urban else self.tekun_basic_rural_monthly_fen
        if override is not None:
            return override
        if self.tekun_basic_ratio is None:
            return None
        return money.mul_half_up(self.standard_monthly_fen(urban), self.tekun_basic_ratio)

    def benefit_class(self, code: str | None) -> BenefitClass | None:
        code = code or self.default_class
        for c in self.classes:
            if c.code == code:
                return c
        return None

    def class_or_default(self, code: str | None) -> BenefitClass:
        """The class ``code``, or the default class when ``code`` is empty or no longer in the table."""
        cls = self.benefit_class(code) or self.benefit_class(None)
        if cls is None:  # a period's book is checked for this; a merged month could still miss it
            raise PolicyError("dibao.default_class", f"{self.month} 的默认类别“{self.default_class}”不在类别表中。")
        return cls

    def gaoling_amount_fen(self, age: int) -> int:
        amount = 0
        for band in sorted(self.gaoling_bands, key=lambda b: b.min_age):
            if age >= band.min_age:
                amount = band.amount_fen
        return amount

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """Keys of the figures in force this month that are marked unconfirmed."""
        return tuple(sorted(k for k, item in self.items.items() if item.unconfirmed))

    def source_of(self, key: str) -> str:
        item = self.items.get(key)
        if item is None:
            return "未设定"
        flag = "，未确认" if item.unconfirmed else ""
        src = "占位值" if item.source == "placeholder" else item.source
        return f"{src}（{item.effective_from} 起{flag}）"

    def figures(self) -> dict[str, Any]:
        """Every figure by key, amounts in fen (for output and audit)."""
        out: dict[str, Any] = {}
        for key in sorted(self.items):
            attr, kind = SPEC[key]
            value = getattr(self, attr)
            if kind == "classes":
                value = [
                    {
                        "code": c.code,
                        "name": c.name,
                        "rule": c.rule,
                        "amount_fen": c.amount_fen,
                        "ratio": None if c.ratio is None else str(c.ratio),
                        "min_fen": c.min_fen,
                    }
                    for c in value
                ]
            elif kind == "bands":
                value = [{"min_age": b.min_age, "amount_fen": b.amount_fen} for b in value]
            elif kind == "money_map":
                value = dict(value)
            elif kind == "choices":
                value = list(value)
            elif isinstance(value, Decimal):
                value = str(value)
            out[key] = value
        return out


# --- conversion ------------------------------------------------------------


def _to_fen(raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise PolicyError(where, "金额应为数字。")
    try:
        d = Decimal(str(raw))
    except InvalidOperation:
        raise PolicyError(where, f"金额“{raw}”不是数字。") from None
    fen = d * 100
    if fen != fen.to_integral_value():
        raise PolicyError(where, f"金额“{raw}”超过两位小数。")
    if fen < 0:
        raise PolicyError(where, "金额不能为负。")
    return int(fen)


def _money(item: Mapping[str, Any], where: str, as_map: bool) -> Any:
    has_yuan, has_fen = "yuan" in item, "fen" in item
    if has_yuan == has_fen:
        raise PolicyError(where, "金额须且只须给出 yuan 或 fen 之一。")
    if has_fen:
        raw = item["fen"]
        conv = _fen_int
    else:
        raw = item["yuan"]
        conv = _to_fen
    if as_map:
        if raw is None:
            return MappingProxyType({})
        if not isinstance(raw, Mapping):
            raise PolicyError(where, "应为 名称→金额 的对照表。")
        return MappingProxyType({str(k): conv(v, f"{where}.{k}") for k, v in raw.items()})
    return conv(raw, where)


def _fen_int(raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise PolicyError(where, "以分计的金额应为非负整数。")
    return raw


def _ratio(raw: Any, where: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise PolicyError(where, "比例应为数字。")
    try:
        d = Decimal(str(raw))
    except InvalidOperation:
        raise PolicyError(where, f"比例“{raw}”不是数字。") from None
    if d < 0:
        raise PolicyError(where, "比例不能为负。")
    return d


def _convert(key: str, item: Mapping[str, Any], where: str) -> Any:
    if not is_figure(key):
        raise PolicyError(where, f"未知的参数名“{key}”。")
    if not isinstance(item, Mapping):
        raise PolicyError(where, "每个参数应为带 source、unconfirmed 的对象。")
    fig = figure(key)
    kind = fig.kind
    if kind == "money":
        return _money(item, where, as_map=False)
    if kind == "money_map":
        return _money(item, where, as_map=True)
    if "value" not in item:
        raise PolicyError(where, "缺少 value。")
    raw = item["value"]
    if kind == "ratio":
        return _ratio(raw, where + ".value")
    if kind == "int":
        return _int_value(fig, raw, where + ".value")
    if kind == "bool":
        if not isinstance(raw, bool):
            raise PolicyError(where + ".value", "应为 true 或 false。")
        return raw
    if kind in ("text", "choice"):
        if not isinstance(raw, str):
            raise PolicyError(where + ".value", "应为文字。")
        if kind == "choice" and raw not in fig.options:
            raise PolicyError(where + ".value", f"应为 {' 或 '.join(fig.options)}。")
        return raw
    if kind == "choices":
        return _choices(fig, raw, where + ".value")
    if kind == "classes":
        return _classes(raw, where)
    if kind == "bands":
        return _bands(raw, where)
    raise AssertionError(kind)  # pragma: no cover


def _choices(fig: Figure, raw: Any, where: str) -> tuple[str, ...]:
    """A set of the figure's options, in their declared order; an empty list means none."""
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise PolicyError(where, "应为文字列表。")
    for i, v in enumerate(raw):
        if v not in fig.options:
            raise PolicyError(f"{where}[{i}]", f"“{v}”不在可选项中（{'、'.join(fig.options)}）。")
        if raw.index(v) != i:
            raise PolicyError(f"{where}[{i}]", f"“{v}”重复。")
    return tuple(o for o in fig.options if o in raw)


def _int_value(fig: Figure, raw: Any, where: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise PolicyError(where, "应为非负整数。")
    if fig.maximum is not None and raw > fig.maximum:
        limit = fig.maximum_source.format(max=fig.maximum) if fig.maximum_source else f"不能超过 {fig.maximum}"
        raise PolicyError(where, f"{limit}。")
    return raw


def _classes(raw: Any, where: str) -> tuple[BenefitClass, ...]:
    if not isinstance(raw, list) or not raw:
        raise PolicyError(where + ".value", "应为至少含一个类别的列表。")
    out: list[BenefitClass] = []
    seen = set()
    for i, c in enumerate(raw):
        w = f"{where}.value[{i}]"
        if not isinstance(c, Mapping) or not c.get("code"):
            raise PolicyError(w, "类别须有 code。")
        if c["code"] in seen:
            raise PolicyError(w + ".code", f"类别代码“{c['code']}”重复。")
        seen.add(c["code"])
        rule = c.get("rule", "差额")
        if rule not in RULE_TYPES:
            raise PolicyError(w + ".rule", f"规则应为 {'、'.join(RULE_TYPES)} 之一。")
        amount = _to_fen(c.get("yuan"), w + ".yuan") if "yuan" in c else _fen_int(c.get("fen"), w + ".fen")
        ratio = _ratio(c.get("ratio"), w + ".ratio")
        min_fen = _to_fen(c.get("min_yuan"), w + ".min_yuan")
        if rule == "定额" and amount is None:
            raise PolicyError(w, "定额类别须给出 yuan 或 fen。")
        if rule == "标准×比例" and ratio is None:
            raise PolicyError(w, "标准×比例类别须给出 ratio。")
        out.append(BenefitClass(str(c["code"]), str(c.get("name", c["code"])), rule, amount, ratio, min_fen))
    return tuple(out)


def _bands(raw: Any, where: str) -> tuple[AgeBand, ...]:
    if not isinstance(raw, list):
        raise PolicyError(where + ".value", "应为年龄段列表。")
    out: list[AgeBand] = []
    for i, b in enumerate(raw):
        w = f"{where}.value[{i}]"
        if not isinstance(b, Mapping) or not isinstance(b.get("min_age"), int):
            raise PolicyError(w, "年龄段须有整数 min_age。")
        amt = _to_fen(b.get("yuan"), w + ".yuan") if "yuan" in b else _fen_int(b.get("fen"), w + ".fen")
        out.append(AgeBand(b["min_age"], amt or 0))
    return tuple(sorted(out, key=lambda b: b.min_age))


@dataclass(frozen=True)
class Period:
    effective_from: date
    values: Mapping[str, ParamItem]
    source: str = ""
    note: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True)
class PolicyBook:
    region_code: str
    region_name: str
    periods: tuple[Period, ...]
    sources: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PolicyBook:
        if not isinstance(d, Mapping):
            raise PolicyError("", "政策参数文件应为 JSON 对象。")
        raw_periods = d.get("periods")
        if not isinstance(raw_periods, list) or not raw_periods:
            raise PolicyError("periods", "至少需要一个施行期。")
        book = cls(
            str(d.get("region_code", "")),
            str(d.get("region_name", "")),
            (),
            MappingProxyType(dict(d.get("sources", {}))),
        )
        for i, p in enumerate(raw_periods):
            where = f"periods[{i}]"
            if not isinstance(p, Mapping):
                raise PolicyError(where, "施行期应为对象。")
            book = book._with(_parse_period(p, where))
        return book

    def add_period(
        self,
        effective_from: str | date,
        values: Mapping[str, Any],
        *,
        source: str = "",
        note: str = "",
        unconfirmed: bool = False,
    ) -> PolicyBook:
        """A new book with one more period (``values`` as in the JSON file). Existing periods are kept."""
        raw = {
            "effective_from": effective_from.isoformat() if isinstance(effective_from, date) else effective_from,
            "values": values,
            "source": source,
            "note": note,
            "unconfirmed": unconfirmed,
        }
        return self._with(_parse_period(raw, f"periods[{len(self.periods)}]"))

    def _with(self, period: Period) -> PolicyBook:
        if any(p.effective_from == period.effective_from for p in self.periods):
            raise PolicyError("effective_from", f"{period.effective_from} 已有施行期；请改日期或在原施行期中修改。")
        periods = tuple(sorted((*self.periods, period), key=lambda p: p.effective_from))
        return PolicyBook(self.region_code, self.region_name, periods, self.sources)

    def for_month(self, month: str) -> Params:
        """The figures in force on the 1st of ``month`` (YYYY-MM)."""
        try:
            day = months.first_day(month)
        except ValueError as exc:
            raise PolicyError("month", str(exc)) from None
        merged: dict[str, ParamItem] = {}
        used: list[str] = []
        for p in self.periods:
            if p.effective_from <= day:
                merged.update(p.values)
                used.append(p.effective_from.isoformat())
        for key in ("dibao.urban_standard_monthly", "dibao.rural_standard_annual"):
            if key not in merged or merged[key].value is None:
                raise PolicyError(
                    "month",
                    f"{month} 没有施行中的低保标准（最早的施行期为 {self.periods[0].effective_from.isoformat()}）。",
                )
        kwargs: dict[str, Any] = {}
        for key, item in merged.items():
            attr = SPEC[key][0]
            value = item.value
            if value is None and attr in _NOT_NULL:
                continue  # keep the dataclass default
            kwargs[attr] = value
        return Params(month=month, items=MappingProxyType(merged), periods_used=tuple(used), **kwargs)


# Figures that may not be "not set": a period giving null keeps the Params default.
_NOT_NULL = frozenset(f.attr for f in FIGURES if not f.nullable)


def _parse_period(p: Mapping[str, Any], where: str) -> Period:
    try:
        eff = date.fromisoformat(str(p.get("effective_from")))
    except ValueError:
        raise PolicyError(where + ".effective_from", f"“{p.get('effective_from')}”不是 YYYY-MM-DD 日期。") from None
    values = p.get("values")
    if not isinstance(values, Mapping) or not values:
        raise PolicyError(where + ".values", "施行期至少要有一个参数。")
    period_unconfirmed = bool(p.get("unconfirmed", False))
    items: dict[str, ParamItem] = {}
    for key, item in values.items():
        w = f"{where}.values.{key}"
        value = _convert(key, item, w)
        if "unconfirmed" not in item:
            raise PolicyError(w, "每个数字都须标明 unconfirmed（true/false）。")
        items[key] = ParamItem(
            key=key,
            value=value,
            effective_from=eff.isoformat(),
            source=str(item.get("source", p.get("source", ""))),
            tag=str(item.get("tag", "")),
            unconfirmed=bool(item["unconfirmed"]) or period_unconfirmed,
            note=str(item.get("note", "")),
        )
    if "dibao.classes" in items and "dibao.default_class" in items:
        codes = {c.code for c in items["dibao.classes"].value}
        if items["dibao.default_class"].value not in codes:
            raise PolicyError(where + ".values.dibao.default_class", "默认类别不在类别表中。")
    return Period(eff, MappingProxyType(items), str(p.get("source", "")), str(p.get("note", "")), period_unconfirmed)
