"""Shared helpers for the policy tests (plain module, imported by name)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from app.domain.idnumber import make
from app.domain.policy.model import CurrentDibao, Deduction, HouseholdCase, IncomeItem, PersonCase
from app.domain.policy.params import PolicyBook

ROOT = Path(__file__).resolve().parents[3]
POLICY_JSON = ROOT / "app" / "resources" / "policy" / "ningxia.json"
EXAMPLE_JSON = ROOT / "docs" / "assess-example.json"


@cache
def raw_policy() -> dict:
    return json.loads(POLICY_JSON.read_text(encoding="utf-8"))


@cache
def book() -> PolicyBook:
    return PolicyBook.from_dict(raw_policy())


def person(ref: str = "m1", born: date = date(1980, 6, 15), **kw) -> PersonCase:
    return PersonCase(ref=ref, birth_date=born, **kw)


def wage(
    amount_fen: int, ref: str | None = None, months: int = 12, kind: str = "工资性", subtype: str = ""
) -> IncomeItem:
    return IncomeItem(kind=kind, amount_fen=amount_fen, member_ref=ref, months=months, subtype=subtype)


def case(members, items=(), urban=False, **kw) -> HouseholdCase:
    return HouseholdCase(urban=urban, members=tuple(members), income_items=tuple(items), **kw)


def monthly_income_case(n: int, per_capita_fen: int, urban: bool = False, **kw) -> HouseholdCase:
    """n adults (nobody employed) and one household item giving exactly ``per_capita_fen`` each per month."""
    members = [person(f"m{i + 1}") for i in range(n)]
    items = [IncomeItem(kind="经营净收入", amount_fen=per_capita_fen * n, months=1)] if per_capita_fen else []
    return case(members, items, urban=urban, **kw)


__all__ = [
    "EXAMPLE_JSON",
    "CurrentDibao",
    "Deduction",
    "IncomeItem",
    "book",
    "case",
    "make",
    "monthly_income_case",
    "person",
    "raw_policy",
    "wage",
]
