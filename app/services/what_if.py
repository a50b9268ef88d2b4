"""政策测算 over the register: the pure comparison of app/domain/policy/what_if.py, fed with every
household this office holds (at the county: every township's). Reads only; nothing is written.

The households are loaded in bulk, a table at a time, as the monitoring rules do: one query per
household would take minutes on a county's 40,000 households.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..db.bulk_reads import group_by
from ..domain import workflow
from ..domain.entities import Enrolment, Household, IncomeRecord, Member, Visit
from ..domain.policy.eligibility import assess_case
from ..domain.policy.params import PolicyError
from ..domain.policy.what_if import PROPOSABLE, WhatIf, compare, proposed_book
from ..errors import InvalidInput
from .base import Service
from .enrolments import in_force
from .income import build_case
from .policy_book import PolicyBookService

Progress = Callable[[int, int], None]


class WhatIfService(Service):
    def run(self, month: str, proposal: Mapping[str, Decimal | int], progress: Progress | None = None) -> WhatIf:
        """Every household assessed for *month* with the figures in force and with *proposal*
        (``{figure: yuan}``, figures from :data:`PROPOSABLE`) from that month on."""
        if not proposal:
            raise InvalidInput("请至少填写一项拟调整的标准。", field="proposal")
        for name in proposal:
            if name not in PROPOSABLE:
                raise InvalidInput(f"“{name}”不是可以测算的标准。", field="proposal")
        book = PolicyBookService(self.s).policy_book()
        try:
            after_book = proposed_book(book, month, proposal)
        except PolicyError as exc:
            raise InvalidInput(f"拟调整的标准有误：{exc}", field="proposal") from None
        before, after = book.for_month(month), after_book.for_month(month)
        cases = list(self._cases(month, before.grace_months))

        def pairs() -> Iterator[tuple[str, Any, Any]]:
            for n, (household, case) in enumerate(cases, 1):
                yield (
                    township_of(household.village_code),
                    assess_case(case, month, before),
                    assess_case(case, month, after),
                )
                if progress is not None and n % 500 == 0:
                    progress(n, len(cases))

        result = compare(month, {k: str(v) for k, v in proposal.items()}, pairs())
        if progress is not None:
            progress(len(cases), len(cases))
        return result

    def _cases(self, month: str, grace_months: int) -> Iterator[tuple[Household, Any]]:
        households = self.store.repo(Household).where("archived = 0")
        members = group_by(self.store.repo(Member).where("1"), "household_id")
        income = group_by(self.store.repo(IncomeRecord).where("1"), "household_id")
        enrolments = group_by(
            self.store.repo(Enrolment).where(
                "status NOT IN (?, ?)", (workflow.Status.REFUSED.value, workflow.Status.WITHDRAWN.value)
            ),
            "household_id",
        )
        last_visits: dict[str, Visit] = {}
        for v in self.store.repo(Visit).where("1", order="visit_date"):
            last_visits[v.household_id] = v
        for h in households:
            mine = members.get(h.id)
            if not mine:
                continue
            running = [e for e in enrolments.get(h.id, []) if e.status in workflow.HAS_PAID and in_force(e, month)]
            yield (
                h,
                build_case(h, mine, income.get(h.id, []), running, last_visits.get(h.id), grace_months=grace_months),
            )


def township_of(village_code: str) -> str:
    """The 12-digit code of the township a village belongs to (区划代码: 6 county + 3 township + 3 village)."""
    return village_code[:9] + "000"
