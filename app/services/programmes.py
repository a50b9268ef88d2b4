"""Programmes: policy parameters in force, income assessment, eligibility, and the enrolment workflow.

The rules are the pure functions of ``app.domain.policy``; this service only turns
the register into their inputs (a ``HouseholdCase``) and records the decisions,
each workflow step with who and when, role-checked, in one transaction.

Workflow (S1, S3): 申请 → 入户调查 → [民主评议] → 公示 (7 days) → 审核审批 → 在保 → 渐退 → 停保;
不予批准 ends an application. A clerk records steps; a reviewer (or the county)
approves, refuses, starts the taper (渐退) and stops (停保).
"""
from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidInput, NotFound
from ..domain.entities import (Enrolment, EnrolmentStep, Household, IncomeRecord, Member, PolicyPeriod,
                               ValidationError, Visit)
from ..domain.policy import months
from ..domain.policy.eligibility import Assessment, Decision, assess_case
from ..domain.policy.model import (CurrentDibao, Deduction, HouseholdCase, IncomeItem, PersonCase,
                                   PropertySummary)
from ..domain.policy.params import PolicyBook, PolicyError
from . import permissions
from .assessment import default_policy_book
from .base import Service

IN_FORCE = ("在保", "渐退")
NEXT_STEPS = {
    "申请": ("入户调查", "不予批准"),
    "入户调查": ("民主评议", "公示", "不予批准"),
    "民主评议": ("公示", "不予批准"),
    "公示": ("审核审批", "民主评议", "不予批准"),
    "审核审批": ("在保", "不予批准"),
    "在保": ("渐退", "停保"),
    "渐退": ("在保", "停保"),
    "停保": (),
    "不予批准": (),
}
APPROVER_STEPS = {"在保", "不予批准", "渐退", "停保"}
PUBLICITY_DAYS = 7
HOUSEHOLD_PROGRAMMES = ("低保", "临时救助", "低收入")


def _invalid(message: str, field: str = "") -> InvalidInput:
    err = InvalidInput(message)
    err.field = field  # type: ignore[attr-defined]
    return err


@dataclass
class EnrolmentView:
    enrolment: Enrolment
    steps: list[EnrolmentStep]
    member_name: str = ""


class ProgrammeService(Service):
    # --- policy parameters -----------------------------------------------------

    def policy_book(self) -> PolicyBook:
        """The shipped Ningxia periods plus those the county or an administrator added here."""
        book = default_policy_book()
        for p in self.store.repo(PolicyPeriod).where(order="effective_from"):
            try:
                book = book.add_period(p.effective_from, json.loads(p.values_json), source=p.source,
                                       note=p.note, unconfirmed=p.unconfirmed)
            except PolicyError as exc:  # a bad local period must not stop the office
                raise InvalidInput(f"本地政策参数（{p.effective_from} 起）有误：{exc}") from None
        return book

    def add_policy_period(self, effective_from: date, values: dict, source: str, note: str = "",
                          unconfirmed: bool = False) -> PolicyPeriod:
        if not (self.s.can(permissions.COUNTY_DECIDE) or self.s.can(permissions.MANAGE_USERS)):
            permissions.require(self.s.user, permissions.COUNTY_DECIDE)
        period = PolicyPeriod(effective_from=effective_from, values_json=json.dumps(values, ensure_ascii=False),
                              source=source, note=note, unconfirmed=unconfirmed)
        try:
            period.validate()
            self.policy_book().add_period(effective_from, values, source=source, note=note, unconfirmed=unconfirmed)
        except ValidationError as exc:
            raise _invalid(exc.message, exc.field) from None
        except PolicyError as exc:
            raise _invalid(f"政策参数有误：{exc}", "values") from None
        with self.store.transaction():
            self.store.save(period, self.s.user.username, "新增政策参数期")
        return period

    # --- income ----------------------------------------------------------------

    def income_items(self, household_id: str) -> list[IncomeRecord]:
        return self.store.repo(IncomeRecord).where("household_id = ?", (household_id,), order="kind, subtype")

    def set_income_items(self, household_id: str, items: list[IncomeRecord]) -> None:
        """Replace the household's income items (the old ones are kept as tombstones)."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        old = {i.id: i for i in self.income_items(household_id)}
        items = [copy.deepcopy(i) for i in items]
        for n, item in enumerate(items, 1):
            item.household_id = household_id
            try:
                item.validate()
            except ValidationError as exc:
                raise _invalid(f"第 {n} 项收入：{exc.message}", exc.field) from None
        with self.store.transaction():
            keep = set()
            for item in items:
                before = old.get(item.id)
                if before is None:
                    item.id = ""
                self.store.save(item, self.s.user.username, "登记收入项", before=before)
                keep.add(item.id)
            for iid, before in old.items():
                if iid not in keep:
                    self.store.save(dataclasses.replace(before, deleted=True), self.s.user.username, "删除收入项",
                                    before=before)

    # --- the register as the rules see it --------------------------------------

    def case_for(self, household_id: str, month: str) -> HouseholdCase:
        household, members = self.s.households.get(household_id)
        return build_case(household, members, self.income_items(household_id),
                          self.enrolments_in_force(household_id, month), self._latest_visit(household_id),
                          self.policy_book().for_month(month).grace_months)

    def assess(self, household_id: str, month: str) -> Assessment:
        """Every programme's decision for the household in ``month``, with the reasons and income steps."""
        return assess_case(self.case_for(household_id, month), month, self.policy_book().for_month(month))

    def _latest_visit(self, household_id: str) -> Visit | None:
        found = self.store.repo(Visit).where("household_id = ?", (household_id,), order="visit_date DESC LIMIT 1")
        return found[0] if found else None

    # --- enrolments ------------------------------------------------------------

    def enrolments(self, household_id: str) -> list[EnrolmentView]:
        names = {m.id: m.name for m in self.s.households.members(household_id)}
        out = []
        for e in self.store.repo(Enrolment).where("household_id = ?", (household_id,), order="applied_on, id"):
            steps = self.store.repo(EnrolmentStep).where("enrolment_id = ?", (e.id,), order="updated_at")
            out.append(EnrolmentView(e, steps, names.get(e.member_id, "")))
        return out

    def enrolments_in_force(self, household_id: str, month: str) -> list[Enrolment]:
        return [e for e in self.store.repo(Enrolment).where(
            "household_id = ? AND status IN ('在保', '渐退', '停保')", (household_id,)) if _in_force(e, month)]

    def get_enrolment(self, enrolment_id: str) -> Enrolment:
        e = self.store.repo(Enrolment).get(enrolment_id)
        if e is None or e.deleted:
            raise NotFound("没有找到这条救助记录。")
        return e

    def apply(self, household_id: str, programme: str, *, applied_on: date, member_id: str = "",
              single_person: bool = False, class_code: str = "", note: str = "") -> Enrolment:
        """Record an application (申请)."""
        permissions.require(self.s.user, permissions.RECORD_ENROLMENT)
        household, members = self.s.households.get(household_id)
        if member_id and member_id not in {m.id for m in members}:
            raise _invalid("所选成员不属于这一户。", "member_id")
        open_same = [e for e in self.store.repo(Enrolment).where(
            "household_id = ? AND programme = ? AND member_id = ? AND status NOT IN ('停保', '不予批准')",
            (household_id, programme, member_id))]
        if open_same:
            raise _invalid(f"该户（或该成员）已有一条{programme}记录（{open_same[0].status}），不能重复申请。",
                           "programme")
        enrolment = Enrolment(household_id=household_id, member_id=member_id, programme=programme,
                              class_code=class_code, single_person=single_person, status="申请",
                              applied_on=applied_on, reason=note)
        try:
            enrolment.validate()
        except ValidationError as exc:
            raise _invalid(exc.message, exc.field) from None
        with self.store.transaction():
            self.store.save(enrolment, self.s.user.username, f"{programme}申请")
            self._step(enrolment, "申请", applied_on, note)
        return enrolment

    def advance(self, enrolment_id: str, step: str, *, on: date, note: str = "",
                publicity_from: date | None = None, publicity_to: date | None = None,
                monthly_amount_fen: int | None = None, class_code: str | None = None,
                start_month: str | None = None, case_by_case_reason: str = "") -> Enrolment:
        """Record the next workflow step; each step checks its own rules and the role."""
        before = self.get_enrolment(enrolment_id)
        if step not in NEXT_STEPS.get(before.status, ()):
            allowed = "、".join(NEXT_STEPS.get(before.status, ())) or "无"
            raise _invalid(f"当前状态为“{before.status}”，下一步只能是：{allowed}。", "step")
        permissions.require(self.s.user, permissions.APPROVE_ENROLMENT if step in APPROVER_STEPS
                            else permissions.RECORD_ENROLMENT)
        if on > date.today():
            raise _invalid("办理日期不能晚于今天。", "on")
        e = dataclasses.replace(before, status=step)
        household, members = self.s.households.get(e.household_id)
        if step == "公示":
            self._check_publicity(publicity_from, publicity_to)
            earliest = max([before.applied_on or date.min] + [
                st.done_on for st in self.store.repo(EnrolmentStep).where("enrolment_id = ?", (before.id,))
                if st.done_on is not None])
            if publicity_from < earliest:
                raise _invalid(f"公示不能早于申请和入户调查（{earliest}）。", "publicity_from")
            e.publicity_from, e.publicity_to = publicity_from, publicity_to
        elif step == "审核审批":
            if before.publicity_to and on <= before.publicity_to:
                raise _invalid(f"公示到 {before.publicity_to} 才结束，审核审批须在公示期满之后。", "on")
        elif step == "在保" and before.status == "审核审批":
            self._approve(e, household, members, on, monthly_amount_fen, class_code, start_month,
                          case_by_case_reason)
        elif step == "在保":   # back from 渐退: income fell under the standard again
            e.grace_until = None
        elif step == "渐退":
            grace = self.policy_book().for_month(months.of(on)).grace_months
            first = months.add(months.of(on), 1)
            e.grace_until = months.add(first, grace - 1)
        elif step in ("停保", "不予批准"):
            if not note.strip():
                raise _invalid(f"{step}须写明理由（将书面告知当事人）。", "note")
            if step == "停保":
                # Stops take effect from the next month (S1 第二十一条, S3 第二十六条).
                e.end_month = months.of(on)
                if e.start_month and e.end_month < e.start_month:
                    e.end_month = months.add(e.start_month, -1)   # stopped before the first payment
        if case_by_case_reason:
            e.case_by_case_reason = case_by_case_reason.strip()
        try:
            e.validate()
        except ValidationError as exc:
            raise _invalid(exc.message, exc.field) from None
        with self.store.transaction():
            self.store.save(e, self.s.user.username, f"{e.programme}{step}", before=before)
            self._step(e, step, on, note)
        return e

    def _check_publicity(self, start: date | None, end: date | None) -> None:
        if start is None or end is None:
            raise _invalid("请填写公示起止日期。", "publicity_from")
        if (end - start).days + 1 < PUBLICITY_DAYS:
            raise _invalid(f"公示期至少 {PUBLICITY_DAYS} 天（现为 {(end - start).days + 1} 天）。", "publicity_to")

    def _approve(self, e: Enrolment, household: Household, members: list[Member], on: date,
                 amount: int | None, class_code: str | None, start_month: str | None, case_reason: str) -> None:
        if household.official_relative:
            since = e.applied_on or on
            visited = self.db.scalar("SELECT count(*) FROM visits WHERE household_id = ? AND deleted = 0 "
                                     "AND visit_date >= ?", (household.id, since.isoformat()))
            if not visited:
                raise _invalid("该户是村干部或经办人的近亲属（已备案），批准前须先入户核查。", "official_relative")
        month = start_month or months.add(months.of(on), 1)   # paid from the month after approval
        decision = self._decision_for(e, month)
        computed = decision.monthly_amount_fen if decision and decision.eligible else None
        if amount is None:
            if computed is None:
                reasons = "；".join(decision.reasons[-2:]) if decision else "没有可用的测算结果"
                if not case_reason.strip():
                    raise _invalid(f"按政策测算不符合{e.programme}条件（{reasons}）；"
                                   "如经“一事一议”批准，请写明理由并填写金额。", "case_by_case_reason")
                raise _invalid("一事一议批准须填写月保障金额。", "monthly_amount_fen")
            amount = computed
        elif computed != amount and not case_reason.strip():
            shown = f"{computed / 100:.2f} 元" if computed is not None else "不符合"
            raise _invalid(f"金额与测算结果（{shown}）不同，须写明“一事一议”的理由。", "case_by_case_reason")
        if amount < 0:
            raise _invalid("月保障金额不能为负。", "monthly_amount_fen")
        e.monthly_amount_fen = amount
        e.class_code = class_code if class_code is not None else (decision.class_code if decision else e.class_code)
        e.approved_on = on
        e.start_month = month
        alive = [m for m in members if m.deceased_on is None]
        e.persons_covered = decision.persons_covered if decision and decision.eligible else (
            1 if (e.single_person or e.member_id) else len(alive))
        if decision and decision.single_person_member and not e.member_id:
            e.member_id, e.single_person = decision.single_person_member, True

    def _decision_for(self, e: Enrolment, month: str) -> Decision | None:
        result = self.assess(e.household_id, month)
        candidates = [d for d in result.decisions if d.programme == e.programme]
        if e.member_id:
            personal = [d for d in candidates if e.member_id in (d.covered_refs or ()) or
                        d.single_person_member == e.member_id]
            candidates = personal or candidates
        eligible = [d for d in candidates if d.eligible]
        return (eligible or candidates or [None])[0]

    def _step(self, e: Enrolment, step: str, on: date, note: str) -> None:
        record = EnrolmentStep(enrolment_id=e.id, step=step, done_on=on, done_by=self.s.user.username, note=note)
        self.store.save(record, self.s.user.username, f"办理环节：{step}")

    def filing_register(self) -> list[tuple[Household, list[Enrolment]]]:
        """The 备案 register: households of officials' close relatives and their enrolments (S1 第十一条)."""
        out = []
        for h in self.store.repo(Household).where("official_relative = 1 AND archived = 0", order="village_code"):
            out.append((h, self.store.repo(Enrolment).where("household_id = ?", (h.id,))))
        return out


def _in_force(e: Enrolment, month: str) -> bool:
    if not e.start_month or e.start_month > month:
        return False
    if e.status == "渐退" and e.grace_until and month > e.grace_until:
        return False
    return not (e.end_month and month > e.end_month)


def grace_since(e: Enrolment, grace_months: int) -> str | None:
    if e.status != "渐退" or not e.grace_until:
        return None
    return months.add(e.grace_until, -(grace_months - 1))


_FULL_TIME = ("高中", "中职", "大专及以上")


def person_case(m: Member) -> PersonCase:
    return PersonCase(ref=m.id, name=m.name, id_number=m.id_number, birth_date=m.birth_date, sex=m.sex,
                      relation=m.relation, deceased_on=m.deceased_on, labour_ability=m.labour_ability,
                      disability_type=m.disability_type, disability_grade=m.disability_grade,
                      serious_illness=m.serious_illness, full_time_student=m.schooling in _FULL_TIME,
                      schooling=m.schooling, employed=m.employed, self_care=m.self_care, left_behind=m.left_behind)


def build_case(household: Household, members: list[Member], income: list[IncomeRecord],
               in_force: list[Enrolment], last_visit: Visit | None, grace_months: int) -> HouseholdCase:
    """The rules' view of a household, from what the register holds."""
    items = tuple(IncomeItem(kind=i.kind, amount_fen=i.amount_fen, member_ref=i.member_id or None, months=i.months,
                             subtype=i.subtype, note=i.note) for i in income if i.kind != "刚性支出")
    deductions = tuple(Deduction(kind="刚性支出", amount_fen=i.amount_fen, months=i.months,
                                 member_ref=i.member_id or None, note=i.note) for i in income if i.kind == "刚性支出")
    dibao = next((e for e in in_force if e.programme == "低保" and e.status in IN_FORCE), None)
    current = None
    if dibao is not None:
        current = CurrentDibao(class_code=dibao.class_code, monthly_amount_fen=dibao.monthly_amount_fen,
                               persons=dibao.persons_covered, grace_since=grace_since(dibao, grace_months),
                               single_person_ref=dibao.member_id if dibao.single_person else None)
    signs = set(last_visit.risk_signs) if last_visit else set()
    return HouseholdCase(
        urban=household.urban, members=tuple(person_case(m) for m in members), income_items=items,
        deductions=deductions, property=PropertySummary(), disaster="因灾" in signs, accident="因意外" in signs,
        current_dibao=current, current_programmes=tuple(sorted({e.programme for e in in_force
                                                                if e.status in IN_FORCE})),
        official_relative=household.official_relative, formerly_poor="脱贫户" in household.categories)
