"""The arithmetic of the 民政统计 monthly report (DOMAIN.md §3.5): breakdowns that add up, and their checks.

A statistics form is checked by the county against its own rules ("序号2 = 9+10+11+12"): a total
must equal the sum of its breakdown. Every breakdown here therefore puts each person (or
household) in exactly one part, with 未详 for what the register does not say, so the sums hold
by construction; :class:`Tally` still checks, because a form built from two sources (a roster's
persons, the members behind it) may not agree, and the clerk must hear about it before the
county does. Causes of poverty may overlap (several per household), so their check is ``≤``.

Pure Python: the report builder (``app/services/reports/stats.py``) reads the register and hands
plain values in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from . import vocab
from .idnumber import age_on

UNKNOWN = "未详"
SEXES = ("男", "女")
AGE_GROUPS = ("未成年人", "成年人", "老年人")
LABOUR = ("有", "部分丧失", "完全丧失", "无")
# The form's definitions (§3.5.3): 未成年人 under 18; 老年人 60 and over; 劳动能力 无 = under 18 or over 60.
ADULT_AGE = 18
ELDERLY_AGE = 60


@dataclass(frozen=True)
class Person:
    """One person counted by the form, as far as the register knows them."""

    sex: str = ""
    birth_date: date | None = None
    labour_ability: str = ""
    disabled: bool = False


@dataclass(frozen=True)
class Tally:
    """A total and its breakdown; ``overlapping`` when a unit may fall in several parts (causes)."""

    label: str
    total: int
    parts: tuple[tuple[str, int], ...]
    overlapping: bool = False

    @property
    def parts_sum(self) -> int:
        return sum(n for _, n in self.parts)

    def holds(self) -> bool:
        return self.total <= self.parts_sum if self.overlapping else self.total == self.parts_sum

    def problem(self) -> str:
        """One sentence naming what does not add up; empty when the check holds."""
        if self.holds():
            return ""
        relation = "大于" if self.overlapping else "不等于"
        return f"{self.label}合计 {self.total} {relation}分项之和 {self.parts_sum}。"


def _count(values: Iterable[str], order: Sequence[str]) -> tuple[tuple[str, int], ...]:
    counts = dict.fromkeys(order, 0)
    for v in values:
        key = v if v in counts else UNKNOWN
        counts[key] = counts.get(key, 0) + 1
    # 未详 is shown only when it happens: a printed row of zeros there would only raise questions.
    return tuple((k, n) for k, n in counts.items() if k in order or n)


def age_group(p: Person, on: date) -> str:
    if p.birth_date is None:
        return UNKNOWN
    age = age_on(p.birth_date, on)
    if age < ADULT_AGE:
        return "未成年人"
    return "老年人" if age >= ELDERLY_AGE else "成年人"


def labour_class(p: Person, on: date) -> str:
    """The form's labour-ability class: by age first (under 18, 60 and over → 无), then the register's."""
    group = age_group(p, on)
    if group in ("未成年人", "老年人"):
        return "无"
    return p.labour_ability if p.labour_ability in LABOUR else UNKNOWN


@dataclass(frozen=True)
class PersonsBreakdown:
    total: int
    by_sex: Tally
    by_age: Tally
    by_labour: Tally
    disabled: int  # 其中：残疾人 (a part of the total, not a breakdown)

    def tallies(self) -> tuple[Tally, ...]:
        return (self.by_sex, self.by_age, self.by_labour)


def persons_breakdown(
    people: Sequence[Person], on: date, label: str = "人数", total: int | None = None
) -> PersonsBreakdown:
    """Sex, age group and labour ability of *people* on *on* (the month's last day), each summing to the total.

    *total* is the count from elsewhere (the roster's persons) when the people were found behind it.
    """
    n = len(people) if total is None else total
    return PersonsBreakdown(
        total=n,
        by_sex=Tally(f"{label}（按性别）", n, _count((p.sex for p in people), SEXES)),
        by_age=Tally(f"{label}（按年龄）", n, _count((age_group(p, on) for p in people), AGE_GROUPS)),
        by_labour=Tally(f"{label}（按劳动能力）", n, _count((labour_class(p, on) for p in people), LABOUR)),
        disabled=sum(1 for p in people if p.disabled),
    )


def causes_tally(households: Sequence[Sequence[str]], label: str = "户数（按致贫原因）") -> Tally:
    """Households by cause of poverty; several causes per household allowed, none recorded counts as 其他."""
    counts = dict.fromkeys(vocab.POVERTY_CAUSES, 0)
    for causes in households:
        known = {c for c in causes if c in counts} or {vocab.OTHER}
        for c in known:
            counts[c] += 1
    return Tally(label, len(households), tuple(counts.items()), overlapping=True)


def split_tally(label: str, values: Iterable[str], order: Sequence[str]) -> Tally:
    """A plain count of *values* by *order*'s parts (未详 for any other), summing to the count."""
    listed = list(values)
    return Tally(label, len(listed), _count(listed, order))


@dataclass(frozen=True)
class Money:
    """A spending figure and its parts, all in fen."""

    label: str
    parts: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.parts)


def per_person_fen(total_fen: int, persons: int) -> int:
    """月人均补助: fen per person, half up; 0 when nobody was paid."""
    if persons <= 0:
        return 0
    return (2 * total_fen + persons) // (2 * persons)


def change_text(current: int, previous: int) -> str:
    """环比 as the form writes it: a percentage with one decimal and a sign; "—" from zero, blank for 0 → 0."""
    if previous == 0:
        return "—" if current else ""
    tenths = (2000 * (current - previous) + previous) // (2 * previous)  # half up, in tenths of a percent
    sign = "+" if tenths > 0 else "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{frac}%"
