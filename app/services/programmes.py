"""Kept while the screens move over: ``session.programmes`` as one object over the three services.

The work is done by :class:`~.policy_book.PolicyBookService`, :class:`~.income.IncomeService`
and :class:`~.enrolments.EnrolmentService` (``session.policy``, ``session.income``,
``session.enrolments``). The workflow constants re-exported here live in
:mod:`app.domain.workflow`. Delete this module once nothing imports it.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.entities import Enrolment, Household, IncomeRecord, PolicyPeriod
from ..domain.policy.eligibility import Assessment
from ..domain.policy.model import HouseholdCase
from ..domain.policy.params import PolicyBook
from ..domain.workflow import APPROVER_STEPS, IN_FORCE, PUBLICITY_DAYS, next_steps
from .base import Service
from .enrolments import HOUSEHOLD_PROGRAMMES, EnrolmentService, EnrolmentView, in_force
from .income import IncomeService, build_case, grace_since, person_case
from .policy_book import PolicyBookService

__all__ = ["APPROVER_STEPS", "HOUSEHOLD_PROGRAMMES", "IN_FORCE", "NEXT_STEPS", "PUBLICITY_DAYS", "EnrolmentView",
           "ProgrammeService", "build_case", "grace_since", "in_force", "person_case"]

# The old mapping, for callers not yet moved to workflow.next_steps().
NEXT_STEPS = {str(s): next_steps(s) for s in ("申请", "入户调查", "民主评议", "公示", "审核审批", "在保", "渐退",
                                               "停保", "不予批准")}


class ProgrammeService(Service):
    """A facade: each method is the same method of one of the three services."""

    def policy_book(self) -> PolicyBook:
        return PolicyBookService(self.s).policy_book()

    def add_policy_period(self, effective_from: date, values: dict[str, Any], source: str, note: str = "",
                          unconfirmed: bool = False) -> PolicyPeriod:
        return PolicyBookService(self.s).add_policy_period(effective_from, values, source, note, unconfirmed)

    def income_items(self, household_id: str) -> list[IncomeRecord]:
        return IncomeService(self.s).income_items(household_id)

    def set_income_items(self, household_id: str, items: list[IncomeRecord]) -> None:
        IncomeService(self.s).set_income_items(household_id, items)

    def case_for(self, household_id: str, month: str) -> HouseholdCase:
        return IncomeService(self.s).case_for(household_id, month)

    def assess(self, household_id: str, month: str) -> Assessment:
        return IncomeService(self.s).assess(household_id, month)

    def enrolments(self, household_id: str) -> list[EnrolmentView]:
        return EnrolmentService(self.s).enrolments(household_id)

    def enrolments_in_force(self, household_id: str, month: str) -> list[Enrolment]:
        return EnrolmentService(self.s).enrolments_in_force(household_id, month)

    def get_enrolment(self, enrolment_id: str) -> Enrolment:
        return EnrolmentService(self.s).get_enrolment(enrolment_id)

    def apply(self, household_id: str, programme: str, **kwargs: Any) -> Enrolment:
        return EnrolmentService(self.s).apply(household_id, programme, **kwargs)

    def advance(self, enrolment_id: str, step: str, **kwargs: Any) -> Enrolment:
        return EnrolmentService(self.s).advance(enrolment_id, step, **kwargs)

    def filing_register(self) -> list[tuple[Household, list[Enrolment]]]:
        return EnrolmentService(self.s).filing_register()
