"""Every policy figure, declared once: what kind of value it is, its unit, whether it may be unset.

The rules read a figure through :class:`~app.domain.policy.params.Params`; the policy page
edits it. Both take the figure's shape from here (as Picard declares each option once), so a
new figure is one line in :data:`FIGURES` plus its attribute on ``Params``; the page adds only a
translated title.

Kinds: ``money`` (fen; typed as 元), ``money_map`` (fen by sub-key, e.g. per care tier),
``ratio`` (a Decimal), ``int``, ``bool``, ``choice`` (one of ``options``), ``choices`` (a set of
``options``, kept in their declared order), ``text``, ``classes`` (the 分类施保 table) and
``bands`` (age bands). Units say how the page shows
a figure: ``month``/``year`` (元 per person per month/year), ``yuan``, ``count``, ``times``,
``share``, ``age``, ``months``, ``days`` or empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import EXCLUDED_SUBTYPES, INCOME_SUBTYPES

CARE_TIERS: tuple[str, ...] = ("全自理", "半失能", "全失能")
ORPHAN_KINDS: tuple[str, ...] = ("机构", "散居", "事实无人抚养")
DISABILITY_CARE_GRADES: tuple[str, ...] = ("1", "2")
MAX_GRACE_MONTHS = 6  # S4 一(三): 原则上不超过6个月
# Income items a locality may leave out of 低保 income on top of the national list (S1 第十三条),
# which is never counted anyway and so is not offered.
DIBAO_EXCLUDABLE_ITEMS: tuple[str, ...] = tuple(s for s in INCOME_SUBTYPES if s and s not in EXCLUDED_SUBTYPES)

KINDS = ("money", "money_map", "ratio", "int", "bool", "choice", "choices", "text", "classes", "bands")


@dataclass(frozen=True)
class Figure:
    key: str  # as in the policy book, e.g. "dibao.urban_standard_monthly"
    attr: str  # the Params attribute the rules read
    kind: str  # one of KINDS
    unit: str = ""
    nullable: bool = False  # may be "not set": the rule that uses it is then not applied
    required: bool = False  # must be set for every month (the dibao standards)
    options: tuple[str, ...] = ()  # choice / choices: the allowed values
    keys: tuple[str, ...] = ()  # money_map: the sub-keys offered
    maximum: int | None = None  # int: the largest value the policy allows
    maximum_source: str = ""  # where that limit comes from


FIGURES: tuple[Figure, ...] = (
    Figure("dibao.urban_standard_monthly", "urban_standard_monthly_fen", "money", "month", required=True),
    Figure("dibao.rural_standard_annual", "rural_standard_annual_fen", "money", "year", required=True),
    Figure("dibao.urban_topup_floor_monthly", "urban_topup_floor_fen", "money", "month", nullable=True),
    Figure("dibao.rural_topup_floor_monthly", "rural_topup_floor_fen", "money", "month", nullable=True),
    Figure("dibao.topup_floor_mode", "topup_floor_mode", "choice", options=("report_only", "per_person_minimum")),
    Figure("dibao.default_class", "default_class", "text"),
    Figure("dibao.classes", "classes", "classes"),
    Figure("property.deposit_limit_per_person", "deposit_limit_per_person_fen", "money", "yuan", nullable=True),
    Figure("property.vehicle_limit", "vehicle_limit", "int", "count", nullable=True),
    Figure("low_income.factor", "low_income_factor", "ratio", "times"),
    Figure("tekun.basic_ratio", "tekun_basic_ratio", "ratio", "times", nullable=True),
    Figure("tekun.basic_urban_monthly", "tekun_basic_urban_monthly_fen", "money", "month", nullable=True),
    Figure("tekun.basic_rural_monthly", "tekun_basic_rural_monthly_fen", "money", "month", nullable=True),
    Figure("tekun.care_monthly", "tekun_care_monthly_fen", "money_map", "month", keys=CARE_TIERS),
    Figure("tekun.minor_age", "tekun_minor_age", "int", "age"),
    Figure("tekun.elder_age", "tekun_elder_age", "int", "age"),
    Figure(
        "grace.months",
        "grace_months",
        "int",
        "months",
        maximum=MAX_GRACE_MONTHS,
        maximum_source="渐退期原则上不超过 {max} 个月（S4 一(三)）",
    ),
    Figure("grace.benefit_mode", "grace_benefit_mode", "choice", options=("full",)),
    Figure("employment_cost.fixed_per_person_monthly", "employment_cost_fixed_fen", "money", "month"),
    Figure("employment_cost.rate", "employment_cost_rate", "ratio", "share"),
    Figure("employment_cost.cap_monthly", "employment_cost_cap_fen", "money", "month", nullable=True),
    Figure("income.exclude_basic_pension", "exclude_basic_pension", "bool"),
    Figure("income.dibao_excluded_items", "dibao_excluded_items", "choices", options=DIBAO_EXCLUDABLE_ITEMS),
    Figure("gaoling.bands", "gaoling_bands", "bands", "month"),
    Figure("gaoling.count_birthday_month", "gaoling_count_birthday_month", "bool"),
    Figure("disability.living_monthly", "disability_living_monthly_fen", "money", "month", nullable=True),
    Figure("disability.care_monthly", "disability_care_monthly_fen", "money_map", "month", keys=DISABILITY_CARE_GRADES),
    Figure("orphan.monthly", "orphan_monthly_fen", "money_map", "month", keys=ORPHAN_KINDS),
    Figure("monitoring.annual_line", "monitoring_annual_line_fen", "money", "year", nullable=True),
    Figure("linshi.emergency_multiple", "linshi_emergency_multiple", "ratio", "times", nullable=True),
    Figure("linshi.expense_cap_multiple", "linshi_expense_cap_multiple", "ratio", "times", nullable=True),
    Figure("linshi.unemployed_multiple", "linshi_unemployed_multiple", "ratio", "times", nullable=True),
    Figure(
        "local.disposable_income_prev_year_annual", "local_disposable_income_annual_fen", "money", "year", nullable=True
    ),
    Figure("alerts.inpatient_ytd_formerly_poor", "alert_inpatient_formerly_poor_fen", "money", "yuan", nullable=True),
    Figure("alerts.inpatient_ytd_other", "alert_inpatient_other_fen", "money", "yuan", nullable=True),
    Figure("alerts.outpatient_monthly", "alert_outpatient_monthly_fen", "money", "month", nullable=True),
    Figure("alerts.schooling_yearly", "alert_schooling_yearly_fen", "money", "year", nullable=True),
    Figure("alerts.income_drop_ratio", "alert_income_drop_ratio", "ratio", "share", nullable=True),
    Figure("alerts.visit_max_days", "alert_visit_max_days", "int", "days"),
    Figure("alerts.care_visit_max_days", "alert_care_visit_max_days", "int", "days"),
    Figure("alerts.review_months_stable", "alert_review_months_stable", "int", "months"),
    Figure("alerts.review_months_unstable", "alert_review_months_unstable", "int", "months"),
    Figure("alerts.death_review_months", "alert_death_review_months", "int", "months"),
    Figure("alerts.unemployed_months", "alert_unemployed_months", "int", "months"),
    # Who makes the 审批: the county, or the township by delegation (委托乡镇审核确认, S1 第二十二条).
    Figure("approval.level", "approval_level", "choice", options=("township", "county")),
)

_BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}


def figure(key: str) -> Figure:
    """The declaration of ``key``; KeyError when the book knows no such figure."""
    return _BY_KEY[key]


def is_figure(key: str) -> bool:
    return key in _BY_KEY
