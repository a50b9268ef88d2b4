"""``assess()``: one household described as JSON in, every programme's decision out.

The input and output schemas are documented in docs/assess.md (with a worked example in
docs/assess-example.json). Invalid input raises :class:`AssessError` whose message is one
sentence naming the field path, e.g. ``members[2].id_number: 校验位不符…``; a member's fault names the
person first, e.g. ``m3 马小燕 的身份证号（members[2].id_number）：校验位不符…``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .. import months
from .eligibility import assess_case
from .model import CaseError, HouseholdCase
from .params import PolicyBook, PolicyError

ASSESS_SCHEMA_VERSION = 1


class AssessError(ValueError):
    """Bad input to ``assess``; ``field`` is the path at fault and str() is one sentence."""

    def __init__(self, field_path: str, message: str, subject: str = ""):
        if subject:  # a member's fault: "m2 马小燕 的身份证号（members[1].id_number）：…"
            text = f"{subject}（{field_path}）：{message}"
        else:
            text = f"{field_path}: {message}" if field_path else message
        super().__init__(text)
        self.field = field_path
        self.message = message
        self.subject = subject


def assess(case_dict: Mapping[str, Any], month: str, book: PolicyBook, today: date | None = None) -> dict[str, Any]:
    """Decisions of every programme for the household in ``case_dict`` in ``month`` (YYYY-MM)."""
    if not months.is_month(month):
        raise AssessError("month", f"月份“{month}”应写作 YYYY-MM。")
    try:
        params = book.for_month(month)
    except PolicyError as exc:
        raise AssessError("month", exc.message) from None
    try:
        case = HouseholdCase.from_dict(case_dict, today)
    except CaseError as exc:
        raise AssessError(exc.field, exc.message, exc.subject) from None
    cur = case.current_dibao
    if cur and cur.grace_since and cur.grace_since > month:
        raise AssessError("current.dibao.grace_since", f"渐退期开始月份 {cur.grace_since} 晚于评估月份 {month}。")
    result = assess_case(case, month, params)
    inc = result.income
    standard = params.standard_monthly_fen(case.urban)
    return {
        "schema_version": ASSESS_SCHEMA_VERSION,
        "month": month,
        "urban": case.urban,
        "policy": {
            "periods_used": list(params.periods_used),
            "dibao_standard_monthly_fen": standard,
            "low_income_line_monthly_fen": params.low_income_line_fen(case.urban),
            "tekun_basic_monthly_fen": params.tekun_basic_monthly_fen(case.urban),
            "monitoring_annual_line_fen": params.monitoring_annual_line_fen,
            "grace_months": params.grace_months,
            "unconfirmed": list(params.unconfirmed),
        },
        "income": {
            "counted_members": list(inc.counted_refs),
            "excluded_members": [{"member": r, "reason": why} for r, why in inc.excluded_members],
            "gross_monthly_fen": inc.gross_monthly_fen,
            "employment_cost_fen": inc.employment_cost_fen,
            "rigid_deduction_fen": inc.rigid_deduction_fen,
            "household_monthly_fen": inc.household_monthly_fen,
            "per_capita_monthly_fen": inc.per_capita_monthly_fen,
            "tekun_per_capita_monthly_fen": result.tekun_income.per_capita_monthly_fen,
            "steps": list(inc.steps),
            "tekun_steps": list(result.tekun_income.steps),
        },
        "decisions": [d.to_dict() for d in result.decisions],
        "summary": {
            "eligible": sorted({d.programme for d in result.decisions if d.eligible}),
            "monthly_total_fen": sum(
                d.monthly_amount_fen for d in result.decisions if d.eligible and d.payment == "monthly"
            ),
            "one_off_total_fen": sum(
                d.monthly_amount_fen for d in result.decisions if d.eligible and d.payment == "one_off"
            ),
        },
    }
