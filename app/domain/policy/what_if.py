"""政策测算: what a proposed standard would do, before the county decides it (issue 10, point 4).

The same pure rules that decide a household's programmes run twice over every household, once
with the figures in force and once with the proposal added as a new dated period; comparing the
two gives, per township, the households and persons that would enter or leave 低保 and 特困 or
change class, and what it would cost each month and each year. Nothing is written anywhere.

Only the monthly cash programmes are compared (低保, including 单人保, and 特困): one-off
temporary assistance and the subsidies do not move with the standard a county sets here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .eligibility import DIBAO, TEKUN, Assessment, Decision
from .params import PolicyBook

PROGRAMMES: tuple[str, ...] = (DIBAO, TEKUN)

# The figures a county is asked about, as the policy book names them, with their unit for the form.
PROPOSABLE: dict[str, str] = {
    "dibao.rural_standard_annual": "元/人·年",
    "dibao.urban_standard_monthly": "元/人·月",
}


@dataclass(frozen=True)
class Standing:
    """One household's place in one programme: is it supported, in which class, for how many, how much."""

    eligible: bool = False
    class_code: str = ""
    persons: int = 0
    monthly_fen: int = 0


def standing(assessment: Assessment, programme: str) -> Standing:
    """A household's standing in *programme* from its assessment (单人保 counts as 低保)."""
    chosen: list[Decision] = [
        d for d in assessment.decisions if d.programme == programme and d.eligible and d.payment == "monthly"
    ]
    if not chosen:
        return Standing()
    return Standing(
        eligible=True,
        class_code="、".join(sorted({d.class_code for d in chosen if d.class_code})),
        persons=sum(d.persons_covered for d in chosen),
        monthly_fen=sum(d.monthly_amount_fen for d in chosen),
    )


@dataclass
class TownshipEffect:
    """The change in one township (or the whole county, as the total row) for one programme."""

    township: str
    programme: str
    households_before: int = 0
    households_after: int = 0
    persons_before: int = 0
    persons_after: int = 0
    entering_households: int = 0
    entering_persons: int = 0
    leaving_households: int = 0
    leaving_persons: int = 0
    class_changed: int = 0
    monthly_before_fen: int = 0
    monthly_after_fen: int = 0

    @property
    def monthly_change_fen(self) -> int:
        return self.monthly_after_fen - self.monthly_before_fen

    @property
    def yearly_change_fen(self) -> int:
        return 12 * self.monthly_change_fen

    def add(self, before: Standing, after: Standing) -> None:
        self.households_before += before.eligible
        self.households_after += after.eligible
        self.persons_before += before.persons
        self.persons_after += after.persons
        self.monthly_before_fen += before.monthly_fen
        self.monthly_after_fen += after.monthly_fen
        if after.eligible and not before.eligible:
            self.entering_households += 1
            self.entering_persons += after.persons
        elif before.eligible and not after.eligible:
            self.leaving_households += 1
            self.leaving_persons += before.persons
        elif before.eligible and before.class_code != after.class_code:
            self.class_changed += 1

    def absorb(self, other: TownshipEffect) -> None:
        for name in (
            "households_before",
            "households_after",
            "persons_before",
            "persons_after",
            "entering_households",
            "entering_persons",
            "leaving_households",
            "leaving_persons",
            "class_changed",
            "monthly_before_fen",
            "monthly_after_fen",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class WhatIf:
    """The whole answer: one effect per township and programme, and the county's total per programme."""

    month: str
    proposal: Mapping[str, Any]
    townships: list[TownshipEffect] = field(default_factory=list)
    households: int = 0

    def totals(self) -> list[TownshipEffect]:
        out = {p: TownshipEffect("", p) for p in PROGRAMMES}
        for effect in self.townships:
            out[effect.programme].absorb(effect)
        return [out[p] for p in PROGRAMMES]


def proposed_book(book: PolicyBook, month: str, proposal: Mapping[str, Any]) -> PolicyBook:
    """*book* with the proposal (``{figure: yuan}``) as a new period from the 1st of *month*.

    A figure the book does not know, or an amount it would refuse, raises the book's own PolicyError.
    """
    values = {
        name: {"yuan": str(yuan), "source": "政策测算", "unconfirmed": False, "note": "测算用，未施行"}
        for name, yuan in proposal.items()
    }
    return book.add_period(f"{month}-01", values, source="政策测算", note="测算用，未施行")


def compare(month: str, proposal: Mapping[str, Any], pairs: Iterable[tuple[str, Assessment, Assessment]]) -> WhatIf:
    """Fold (township, assessment before, assessment after) for every household into a :class:`WhatIf`."""
    result = WhatIf(month, proposal)
    effects: dict[tuple[str, str], TownshipEffect] = {}
    for township, before, after in pairs:
        result.households += 1
        for programme in PROGRAMMES:
            key = (township, programme)
            if key not in effects:
                effects[key] = TownshipEffect(township, programme)
            effects[key].add(standing(before, programme), standing(after, programme))
    result.townships = [effects[k] for k in sorted(effects)]
    return result
