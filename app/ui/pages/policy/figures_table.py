"""How a policy figure reads on screen: its translated title, and its value as a clerk reads it.

What a figure *is* (kind, unit, whether it may be unset, its options and sub-keys) is declared once
in :mod:`app.domain.policy.figures`; this module adds only what is the screen's business: the
translated title of each figure key, the names of stored option values, and the formatting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication

from ....domain.policy import months
from ....domain.policy.alerts import source_name
from ....domain.policy.figures import figure, is_figure
from ...i18n import QT_TRANSLATE_NOOP

__all__ = [
    "TITLES",
    "entry_text",
    "figure_name",
    "format_value",
    "map_key_name",
    "option_name",
    "source_text",
    "unit_suffix",
]

CTX = "PolicyFigures"

# The translated title of every figure the domain declares (tests check the two lists agree).
TITLES: dict[str, str] = {
    "dibao.urban_standard_monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Urban dibao standard (per person)"),
    "dibao.rural_standard_annual": QT_TRANSLATE_NOOP("PolicyFigures", "Rural dibao standard (per person)"),
    "dibao.urban_topup_floor_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Urban dibao average top-up floor (per person)"
    ),
    "dibao.rural_topup_floor_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Rural dibao average top-up floor (per person)"
    ),
    "dibao.topup_floor_mode": QT_TRANSLATE_NOOP("PolicyFigures", "How the top-up floor is used"),
    "approval.level": QT_TRANSLATE_NOOP("PolicyFigures", "Who approves (审批)"),
    "dibao.default_class": QT_TRANSLATE_NOOP("PolicyFigures", "Default dibao benefit class"),
    "dibao.classes": QT_TRANSLATE_NOOP("PolicyFigures", "Dibao benefit classes"),
    "property.deposit_limit_per_person": QT_TRANSLATE_NOOP("PolicyFigures", "Savings limit per person"),
    "property.vehicle_limit": QT_TRANSLATE_NOOP("PolicyFigures", "Non-exempt vehicles allowed"),
    "low_income.factor": QT_TRANSLATE_NOOP("PolicyFigures", "Dibao-edge line (times the dibao standard)"),
    "tekun.basic_ratio": QT_TRANSLATE_NOOP("PolicyFigures", "Tekun basic living standard (times the dibao standard)"),
    "tekun.basic_urban_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Tekun basic living standard, urban (fixed amount)"
    ),
    "tekun.basic_rural_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Tekun basic living standard, rural (fixed amount)"
    ),
    "tekun.care_monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Tekun care standard by self-care tier"),
    "tekun.minor_age": QT_TRANSLATE_NOOP("PolicyFigures", "Tekun minors covered until age"),
    "tekun.elder_age": QT_TRANSLATE_NOOP("PolicyFigures", "Tekun elderly from age"),
    "grace.months": QT_TRANSLATE_NOOP("PolicyFigures", "Taper-off period (jiantui) length"),
    "grace.benefit_mode": QT_TRANSLATE_NOOP("PolicyFigures", "Payment during the taper-off period"),
    "employment_cost.fixed_per_person_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Employment cost deduction, fixed (per worker)"
    ),
    "employment_cost.rate": QT_TRANSLATE_NOOP("PolicyFigures", "Employment cost deduction, share of wage"),
    "employment_cost.cap_monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Employment cost deduction, cap (per worker)"),
    "income.exclude_basic_pension": QT_TRANSLATE_NOOP("PolicyFigures", "Basic resident pension not counted as income"),
    "income.dibao_excluded_items": QT_TRANSLATE_NOOP("PolicyFigures", "Income items not counted for dibao"),
    "gaoling.bands": QT_TRANSLATE_NOOP("PolicyFigures", "Old-age allowance by age"),
    "gaoling.count_birthday_month": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Old-age allowance paid from the birthday month"
    ),
    "disability.living_monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Living subsidy for poor disabled people"),
    "disability.care_monthly": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Care subsidy for severely disabled people, by grade"
    ),
    "orphan.monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Orphan and de-facto unsupported child allowance"),
    "monitoring.annual_line": QT_TRANSLATE_NOOP("PolicyFigures", "Return-to-poverty monitoring line (per person)"),
    "linshi.emergency_multiple": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Emergency temporary assistance (months of standard)"
    ),
    "linshi.expense_cap_multiple": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Expense-type temporary assistance cap (months of standard)"
    ),
    "linshi.unemployed_multiple": QT_TRANSLATE_NOOP(
        "PolicyFigures", "One-off aid for uninsured unemployed (months of standard)"
    ),
    "local.disposable_income_prev_year_annual": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Local per-capita disposable income, last year"
    ),
    "alerts.inpatient_ytd_formerly_poor": QT_TRANSLATE_NOOP(
        "PolicyFigures", "Alert: inpatient costs this year, formerly poor"
    ),
    "alerts.inpatient_ytd_other": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: inpatient costs this year, others"),
    "alerts.outpatient_monthly": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: outpatient costs in a month"),
    "alerts.schooling_yearly": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: schooling costs in a year"),
    "alerts.income_drop_ratio": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: per-capita income drop"),
    "alerts.visit_max_days": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: longest gap between home visits"),
    "alerts.care_visit_max_days": QT_TRANSLATE_NOOP("PolicyFigures", "Alert: longest gap between care visits"),
    "alerts.review_months_stable": QT_TRANSLATE_NOOP("PolicyFigures", "Review interval, stable income"),
    "alerts.review_months_unstable": QT_TRANSLATE_NOOP("PolicyFigures", "Review interval, unstable income"),
    "alerts.death_review_months": QT_TRANSLATE_NOOP("PolicyFigures", "Review after a member's death, within"),
    "alerts.unemployed_months": QT_TRANSLATE_NOOP("PolicyFigures", "Uninsured unemployment before one-off aid"),
}

# Readable names of the stored option values (the options themselves are the domain's).
OPTION_NAMES: dict[str, dict[str, str]] = {
    "dibao.topup_floor_mode": {
        "report_only": QT_TRANSLATE_NOOP("PolicyFigures", "Regional average, shown in reports only"),
        "per_person_minimum": QT_TRANSLATE_NOOP("PolicyFigures", "Each covered person gets at least the floor"),
    },
    "grace.benefit_mode": {"full": QT_TRANSLATE_NOOP("PolicyFigures", "Full original amount")},
    "approval.level": {
        "township": QT_TRANSLATE_NOOP("PolicyFigures", "The township, by delegation (委托乡镇审核确认)"),
        "county": QT_TRANSLATE_NOOP("PolicyFigures", "The county civil-affairs bureau"),
    },
}
DISABILITY_GRADES = {
    "1": QT_TRANSLATE_NOOP("PolicyFigures", "Grade 1"),
    "2": QT_TRANSLATE_NOOP("PolicyFigures", "Grade 2"),
}


def _t(text: str) -> str:
    """A name held in a table above (marked with QT_TRANSLATE_NOOP), translated now."""
    return QCoreApplication.translate(CTX, text)


def figure_name(key: str) -> str:
    title = TITLES.get(key)
    return _t(title) if title else key


def option_name(key: str, value: Any) -> str:
    names = OPTION_NAMES.get(key, {})
    return _t(names[value]) if value in names else str(value)


def unit_suffix(unit: str) -> str:
    return {
        "month": QCoreApplication.translate("PolicyFigures", "yuan/month"),
        "year": QCoreApplication.translate("PolicyFigures", "yuan/year"),
        "yuan": QCoreApplication.translate("PolicyFigures", "yuan"),
        "age": QCoreApplication.translate("PolicyFigures", "years old"),
        "days": QCoreApplication.translate("PolicyFigures", "days"),
        "months": QCoreApplication.translate("PolicyFigures", "months"),
    }.get(unit, "")


def map_key_name(key: str, sub: str) -> str:
    if key == "disability.care_monthly" and sub in DISABILITY_GRADES:
        return _t(DISABILITY_GRADES[sub])
    return sub


# English asides the policy book writes after a source ("S4 二(一) (rule only)", "S6 item 5"), shown
# translated; other text after a code is the document's own article and is kept as written.
_NOTES: dict[str, str] = {
    "rule only": QT_TRANSLATE_NOOP("PolicyFigures", "rule only"),
    "rule form only": QT_TRANSLATE_NOOP("PolicyFigures", "rule form only"),
}
_NOTE = re.compile(r"\(([A-Za-z ]+)\)")
_ITEM = re.compile(r"\bitem\s+(\d+)")


def _one_source(part: str) -> str:
    part = _ITEM.sub(lambda m: _t(QT_TRANSLATE_NOOP("PolicyFigures", "item %1")).replace("%1", m.group(1)), part)
    part = _NOTE.sub(lambda m: "（" + _t(_NOTES[m.group(1)]) + "）" if m.group(1) in _NOTES else m.group(0), part)
    # The policy named in words (the clerk can look it up); a typed document number stays as it is.
    return source_name(part) or part


def source_text(source: str) -> str:
    """A figure's source as a clerk reads it: the policy's name, never the book's code (S1, Memory)."""
    source = source.strip()
    if source == "placeholder":
        return QCoreApplication.translate("PolicyFigures", "placeholder (no source)")
    if source == "Memory":
        return QCoreApplication.translate("PolicyFigures", "background knowledge, no document found")
    return "；".join(_one_source(part.strip()) for part in source.split(";") if part.strip())


def _money(fen: int | None) -> str:
    return QCoreApplication.translate("PolicyFigures", "not set") if fen is None else months.yuan(int(fen))


def _ratio(value: Any, unit: str) -> str:
    d = Decimal(str(value))
    if unit == "share":
        pct = (d * 100).normalize()
        return f"{pct:f}%"
    return QCoreApplication.translate("PolicyFigures", "%1 times").replace("%1", f"{d.normalize():f}")


def _not_set() -> str:
    return QCoreApplication.translate("PolicyFigures", "not set (not applied)")


def _money_text(key: str, value: Any, unit: str, rural_monthly_fen: int | None) -> str:
    text = f"{_money(value)} {unit_suffix(unit)}".strip()
    if key == "dibao.rural_standard_annual" and rural_monthly_fen is not None:
        text += QCoreApplication.translate("PolicyFigures", " (%1 yuan/month)").replace(
            "%1", months.yuan(rural_monthly_fen)
        )
    return text


def _money_map_text(key: str, value: Any, unit: str) -> str:
    if not value:
        return _not_set()
    parts = [f"{map_key_name(key, k)} {_money(v)}" for k, v in value.items()]
    return "、".join(parts) + " " + unit_suffix(unit)


def _bands_text(value: Any, unit: str) -> str:
    if not value:
        return QCoreApplication.translate("PolicyFigures", "none")
    parts = [
        QCoreApplication.translate("PolicyFigures", "%1+ %2")
        .replace("%1", str(b.min_age))
        .replace("%2", _money(b.amount_fen))
        for b in value
    ]
    return "、".join(parts) + " " + unit_suffix(unit)


def _classes_text(value: Any) -> str:
    parts = []
    for c in value:
        if c.rule == "定额" and c.amount_fen is not None:
            rule = f"{c.rule} {_money(c.amount_fen)}"
        elif c.rule == "标准×比例" and c.ratio is not None:
            rule = f"{c.rule} {c.ratio.normalize():f}"
        else:
            rule = c.rule
        parts.append(c.code if c.code == rule else f"{c.code}（{rule}）")
    return "、".join(parts)


def _bool_text(value: Any) -> str:
    if value:
        return QCoreApplication.translate("PolicyFigures", "Yes")
    return QCoreApplication.translate("PolicyFigures", "No")


def _int_text(value: Any, unit: str) -> str:
    return f"{value} {unit_suffix(unit)}".strip()


def format_value(key: str, value: Any, rural_monthly_fen: int | None = None) -> str:
    """The figure as a clerk reads it: 元 with two decimals and the unit; tiers and bands on one line."""
    if not is_figure(key):
        return str(value)
    kind, unit = figure(key).kind, figure(key).unit
    if value is None:
        return _not_set()
    by_kind: dict[str, Callable[[], str]] = {
        "money": lambda: _money_text(key, value, unit, rural_monthly_fen),
        "money_map": lambda: _money_map_text(key, value, unit),
        "bands": lambda: _bands_text(value, unit),
        "classes": lambda: _classes_text(value),
        "ratio": lambda: _ratio(value, unit),
        "bool": lambda: _bool_text(value),
        "choice": lambda: option_name(key, value),
        "choices": lambda: "、".join(value) if value else QCoreApplication.translate("PolicyFigures", "None"),
        "text": lambda: option_name(key, value),
        "int": lambda: _int_text(value, unit),
    }
    text = by_kind.get(kind)
    return text() if text else str(value)


def entry_text(raw: Any) -> str:
    """A staged value as typed (before the service has turned it into fen)."""
    if raw is None:
        return _not_set()
    if isinstance(raw, Mapping):
        return "、".join(f"{k} {v}" for k, v in raw.items())
    if isinstance(raw, list) and all(isinstance(r, str) for r in raw):
        return "、".join(raw)
    if isinstance(raw, list):
        return "、".join(f"{r.get('min_age', r.get('code', ''))} {r.get('yuan', r.get('rule', ''))}" for r in raw)
    return str(raw)
