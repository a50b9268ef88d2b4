"""A household's income items and its assessment: the register turned into the rules' input.

The rules are the pure functions of ``app.domain.policy``; this service only builds their input
(a ``HouseholdCase``) from what the register holds and saves the income items the clerk typed.
"""

from __future__ import annotations

import copy
import dataclasses

from ..domain import vocab, workflow
from ..domain.entities import Enrolment, Household, IncomeRecord, Member, ValidationError, Visit
from ..domain.policy.eligibility import Assessment, assess_case
from ..domain.policy.model import CurrentDibao, Deduction, HouseholdCase, IncomeItem, PersonCase, PropertySummary
from ..errors import ChangedMeanwhile, InvalidInput
from . import permissions
from .base import CHANGED_MEANWHILE, Service
from .policy_book import PolicyBookService

_BOOKKEEPING = {"updated_at", "updated_by", "owner_office"}  # not what the clerk typed

DEDUCTION_KIND = "刚性支出"


class IncomeService(Service):
    def income_items(self, household_id: str) -> list[IncomeRecord]:
        return self.store.repo(IncomeRecord).where("household_id = ?", (household_id,), order="kind, subtype")

    def income_version(self, household_id: str) -> str:
        """One version for the household's whole list of income items, tombstones included.

        Every insert, edit or removal stamps a row with a newer clock reading, so the newest stamp
        moves whenever the list changes; a form that replaces the whole list states this.
        """
        return self.db.scalar(
            "SELECT coalesce(max(updated_at), '') FROM income_items WHERE household_id = ?", (household_id,)
        )

    def set_income_items(self, household_id: str, items: list[IncomeRecord], read_version: str | None = None) -> None:
        """Replace the household's income items (the old ones are kept as tombstones).

        Each item already stored carries the ``updated_at`` it was read with; one changed or removed
        meanwhile refuses the save. ``read_version`` (:meth:`income_version` as the form read it)
        also catches an item someone else added, which this list would otherwise remove unseen.
        """
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        items = [copy.deepcopy(i) for i in items]
        for n, item in enumerate(items):
            item.household_id = household_id
            try:
                item.validate()
            except ValidationError as exc:
                raise InvalidInput(f"第 {n + 1} 项收入：{exc.message}", field=exc.field, item=n) from None
        with self.store.transaction():
            if read_version is not None and read_version != self.income_version(household_id):
                raise ChangedMeanwhile(f"这一户的收入项{CHANGED_MEANWHILE}")
            old = {i.id: i for i in self.income_items(household_id)}
            for n, item in enumerate(items):
                if item.id:
                    # An item rebuilt from a table row without its ``updated_at`` states no version
                    # (app/ui/enrolments/income_table.py, until it keeps one): only the list's is checked.
                    self.current(IncomeRecord, item.id, item.updated_at or None, f"第 {n + 1} 项收入")
            keep = set()
            for item in items:
                before = old.get(item.id)
                if before is None:
                    item.id = ""
                elif not _changed(before, item):
                    keep.add(item.id)
                    continue
                self.store.save(item, self.s.user.username, "登记收入项", before=before)
                keep.add(item.id)
            for iid, before in old.items():
                if iid not in keep:
                    self.store.save(
                        dataclasses.replace(before, deleted=True), self.s.user.username, "删除收入项", before=before
                    )

    def case_for(self, household_id: str, month: str) -> HouseholdCase:
        from .enrolments import EnrolmentService  # enrolments assess through this service

        household, members = self.s.households._unmasked(household_id)
        return build_case(
            household,
            members,
            self.income_items(household_id),
            EnrolmentService(self.s).enrolments_in_force(household_id, month),
            self._latest_visit(household_id),
            grace_months=PolicyBookService(self.s).for_month(month).grace_months,
        )

    def assess(self, household_id: str, month: str) -> Assessment:
        """Every programme's decision for the household in ``month``, with the reasons and income steps."""
        return assess_case(self.case_for(household_id, month), month, PolicyBookService(self.s).for_month(month))

    def _latest_visit(self, household_id: str) -> Visit | None:
        found = self.store.repo(Visit).where("household_id = ?", (household_id,), order="visit_date DESC LIMIT 1")
        return found[0] if found else None


def grace_since(e: Enrolment, grace_months: int) -> str | None:
    """The first month of a running 渐退期, or None."""
    if e.status != workflow.Status.TAPER or not e.grace_until:
        return None
    return workflow.taper_since(e.grace_until, grace_months)


FULL_TIME_SCHOOLING = ("高中", "中职", "大专及以上")


def person_case(m: Member) -> PersonCase:
    return PersonCase(
        ref=m.id,
        name=m.name,
        id_number=m.id_number,
        birth_date=m.birth_date,
        sex=m.sex,
        relation=m.relation,
        deceased_on=m.deceased_on,
        labour_ability=m.labour_ability,
        disability_type=m.disability_type,
        disability_grade=m.disability_grade,
        serious_illness=m.serious_illness,
        full_time_student=m.schooling in FULL_TIME_SCHOOLING,
        schooling=m.schooling,
        employed=m.employed,
        self_care=m.self_care,
        left_behind=m.left_behind,
    )


def build_case(
    household: Household,
    members: list[Member],
    income: list[IncomeRecord],
    in_force: list[Enrolment],
    last_visit: Visit | None,
    *,
    grace_months: int,
) -> HouseholdCase:
    """The rules' view of a household, from what the register holds."""
    items = tuple(
        IncomeItem(
            kind=i.kind,
            amount_fen=i.amount_fen,
            member_ref=i.member_id or None,
            months=i.months,
            subtype=i.subtype,
            note=i.note,
        )
        for i in income
        if i.kind != DEDUCTION_KIND
    )
    deductions = tuple(
        Deduction(
            kind=DEDUCTION_KIND, amount_fen=i.amount_fen, months=i.months, member_ref=i.member_id or None, note=i.note
        )
        for i in income
        if i.kind == DEDUCTION_KIND
    )
    dibao = next((e for e in in_force if e.programme == "低保" and e.status in workflow.IN_FORCE), None)
    current = None
    if dibao is not None:
        current = CurrentDibao(
            class_code=dibao.class_code,
            monthly_amount_fen=dibao.monthly_amount_fen,
            persons=dibao.persons_covered,
            grace_since=grace_since(dibao, grace_months),
            single_person_ref=dibao.member_id if dibao.single_person else None,
        )
    signs = set(last_visit.risk_signs) if last_visit else set()
    return HouseholdCase(
        urban=household.urban,
        members=tuple(person_case(m) for m in members),
        income_items=items,
        deductions=deductions,
        property=PropertySummary(),
        disaster=vocab.DISASTER in signs,
        accident=vocab.ACCIDENT in signs,
        current_dibao=current,
        current_programmes=tuple(sorted({e.programme for e in in_force if e.status in workflow.IN_FORCE})),
        official_relative=household.official_relative,
        formerly_poor="脱贫户" in household.categories,
    )


def _changed(before: IncomeRecord, after: IncomeRecord) -> bool:
    return any(
        getattr(before, f.name) != getattr(after, f.name)
        for f in dataclasses.fields(before)
        if f.name not in _BOOKKEEPING
    )
