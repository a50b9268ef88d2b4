"""Enrolments: applications and the workflow steps, each with who and when, role-checked, in one transaction.

The workflow itself (which step may follow which, who approves, 公示 days, written reasons,
when payment starts, when an amount needs a 一事一议 reason) is :mod:`app.domain.workflow`;
this service applies it to the register and records the result.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date

from ..db.integrity import CONTENT_HASH, content_hash
from ..db.repository import from_row, to_row
from ..domain import money, months, workflow
from ..domain.entities import Enrolment, EnrolmentStep, Household, Member, ValidationError
from ..domain.policy.eligibility import Decision
from ..domain.workflow import Status
from ..errors import ChangedMeanwhile, InvalidInput, NotFound, PermissionDenied
from . import permissions
from .base import CHANGED_MEANWHILE, Service
from .county_work import COUNTY_NAME, CountyWorkService, refuses_local_approval
from .income import IncomeService
from .policy_book import PolicyBookService

HOUSEHOLD_PROGRAMMES = ("低保", "临时救助", "低收入")


@dataclass
class EnrolmentView:
    enrolment: Enrolment
    steps: list[EnrolmentStep]
    member_name: str = ""


def in_force(e: Enrolment, month: str) -> bool:
    """Whether the enrolment is paid for ``month``."""
    return workflow.paid_in(e.status, e.start_month, e.end_month, e.grace_until, month)


def _invalid(exc: ValidationError) -> InvalidInput:
    return InvalidInput(exc.message, field=exc.field)


class EnrolmentService(Service):
    def enrolments(self, household_id: str) -> list[EnrolmentView]:
        names = {m.id: m.name for m in self.s.households.members(household_id)}
        out = []
        for e in self.store.repo(Enrolment).where("household_id = ?", (household_id,), order="applied_on, id"):
            steps = self.store.repo(EnrolmentStep).where("enrolment_id = ?", (e.id,), order="updated_at")
            out.append(EnrolmentView(e, steps, names.get(e.member_id, "")))
        return out

    def enrolments_in_force(self, household_id: str, month: str) -> list[Enrolment]:
        paid = tuple(workflow.HAS_PAID)
        marks = ", ".join("?" * len(paid))
        return [
            e
            for e in self.store.repo(Enrolment).where(
                f"household_id = ? AND status IN ({marks})", (household_id, *paid)
            )
            if in_force(e, month)
        ]

    def get_enrolment(self, enrolment_id: str) -> Enrolment:
        e = self.store.repo(Enrolment).get(enrolment_id)
        if e is None or e.deleted:
            raise NotFound("没有找到这条救助记录。")
        return e

    def decision_for(self, household_id: str, programme: str, member_id: str, month: str) -> Decision | None:
        """The assessment's decision an approval starts from (the one :meth:`advance` compares with)."""
        result = IncomeService(self.s).assess(household_id, month)
        candidates = [d for d in result.decisions if d.programme == programme]
        if member_id:
            personal = [
                d for d in candidates if member_id in (d.covered_refs or ()) or d.single_person_member == member_id
            ]
            candidates = personal or candidates
        eligible = [d for d in candidates if d.eligible]
        pool = eligible or candidates
        return pool[0] if pool else None

    def apply(
        self,
        household_id: str,
        programme: str,
        *,
        applied_on: date,
        member_id: str = "",
        single_person: bool = False,
        class_code: str = "",
        note: str = "",
    ) -> Enrolment:
        """Record an application (申请)."""
        permissions.require(self.s.user, permissions.RECORD_ENROLMENT)
        _household, members = self.s.households.get(household_id)
        if member_id and member_id not in {m.id for m in members}:
            raise InvalidInput("所选成员不属于这一户。", field="member_id")
        ended = tuple(workflow.TERMINAL)
        open_same = self.store.repo(Enrolment).where(
            f"household_id = ? AND programme = ? AND member_id = ? AND status NOT IN ({', '.join('?' * len(ended))})",
            (household_id, programme, member_id, *ended),
        )
        if open_same:
            raise InvalidInput(
                f"该户（或该成员）已有一条{programme}记录（{open_same[0].status}），不能重复申请。", field="programme"
            )
        if class_code:
            self._check_class(class_code, months.of(applied_on))
        enrolment = Enrolment(
            household_id=household_id,
            member_id=member_id,
            programme=programme,
            class_code=class_code,
            single_person=single_person,
            status=Status.APPLIED.value,
            applied_on=applied_on,
            reason=note,
        )
        try:
            enrolment.validate()
        except ValidationError as exc:
            raise _invalid(exc) from None
        with self.store.transaction():
            self.store.save(enrolment, self.s.user.username, f"{programme}申请")
            self._step(enrolment, Status.APPLIED, applied_on, note)
        return enrolment

    def advance(  # noqa: PLR0913 - each step takes its own fields, all keyword-only
        self,
        enrolment_id: str,
        step: str,
        *,
        on: date,
        note: str = "",
        publicity_from: date | None = None,
        publicity_to: date | None = None,
        monthly_amount_fen: int | None = None,
        class_code: str | None = None,
        start_month: str | None = None,
        case_by_case_reason: str = "",
        read_version: str | None = None,
    ) -> Enrolment:
        """Record the next workflow step; each step checks its own rules and the role.

        ``read_version`` is the enrolment's ``updated_at`` as the dialog read it: if someone recorded
        a step since, the step is refused (:class:`ChangedMeanwhile`) instead of being laid over theirs.
        """
        before = self.get_enrolment(enrolment_id)
        if read_version is not None and read_version != before.updated_at:
            raise ChangedMeanwhile(f"这条{before.programme}记录{CHANGED_MEANWHILE}")
        if self._taken_by_county(
            before, step, on, note, monthly_amount_fen, class_code, start_month, case_by_case_reason
        ):
            return before
        allowed = workflow.next_steps(before.status)
        if step not in allowed:
            raise InvalidInput(
                f"当前状态为“{before.status}”，下一步只能是：{'、'.join(allowed) or '无'}。", field="step"
            )
        permissions.require(
            self.s.user,
            permissions.APPROVE_ENROLMENT if workflow.needs_approver(step) else permissions.RECORD_ENROLMENT,
        )
        if on > date.today():
            raise InvalidInput("办理日期不能晚于今天。", field="on")
        problem = workflow.written_reason_problem(step, before.status, note)
        if problem:
            raise InvalidInput(problem, field="note")
        e = dataclasses.replace(before, status=Status(step).value)
        household, members = self.s.households._unmasked(e.household_id)
        if step == Status.PUBLICITY:
            earliest = max(
                [before.applied_on or date.min]
                + [
                    st.done_on
                    for st in self.store.repo(EnrolmentStep).where("enrolment_id = ?", (before.id,))
                    if st.done_on is not None
                ]
            )
            problem = workflow.publicity_problem(publicity_from, publicity_to, earliest)
            if problem:
                field = (
                    "publicity_from"
                    if publicity_from is None or (publicity_to is not None and publicity_from < earliest)
                    else "publicity_to"
                )
                raise InvalidInput(problem, field=field)
            e.publicity_from, e.publicity_to = publicity_from, publicity_to
        elif step == Status.APPROVAL:
            problem = workflow.approval_problem(on, before.publicity_to)
            if problem:
                raise InvalidInput(problem, field="on")
        elif workflow.is_approval(step, before.status):
            self.work_out_approval(
                e,
                household,
                members,
                on,
                amount=monthly_amount_fen,
                class_code=class_code,
                start_month=start_month,
                case_reason=case_by_case_reason,
            )
        elif step == Status.ENROLLED:  # back from 渐退: income fell under the standard again
            e.grace_until = None
        elif step == Status.TAPER:
            grace = PolicyBookService(self.s).for_month(months.of(on)).grace_months
            e.grace_until = workflow.taper_until(on, grace)
        elif step == Status.STOPPED:
            e.end_month = workflow.stop_end_month(on, e.start_month)
        if case_by_case_reason:
            e.case_by_case_reason = case_by_case_reason.strip()
        try:
            e.validate()
        except ValidationError as exc:
            raise _invalid(exc) from None
        with self.store.transaction():
            # Everything above was worked out from ``before``; it must still be the stored row.
            self.current(Enrolment, enrolment_id, read_version or before.updated_at, f"这条{before.programme}记录")
            self.store.save(e, self.s.user.username, f"{e.programme}{step}", before=before)
            self._step(e, step, on, note)
        return e

    def _taken_by_county(  # noqa: PLR0917 - the step's fields, passed on to the county's decision
        self,
        before: Enrolment,
        step: str,
        on: date,
        note: str,
        amount: int | None,
        class_code: str | None,
        start_month: str | None,
        case_reason: str,
    ) -> bool:
        """Whether the county took this step as its own decision (True), or it is the office's to record.

        A township's application seen at the county is the township's row: the county's 审批 becomes a
        decision it owns (app/services/county_work.py), and every other change is refused. At a township
        whose 审批 is the county's, the reviewer may not approve or refuse.
        """
        county_work = CountyWorkService(self.s)
        if before.owner_office and before.owner_office != self.s.office.code:
            if county_work.is_county and refuses_local_approval(step, before.status):
                county_work.decide(
                    before,
                    step == Status.ENROLLED,
                    on=on,
                    amount=amount,
                    class_code=class_code,
                    start_month=start_month,
                    case_reason=case_reason,
                    reason=note,
                )
                return True
            owner = self.store.office_name(before.owner_office)
            raise PermissionDenied(f"这条{before.programme}记录属于{owner}，本单位只能查看。")
        if refuses_local_approval(step, before.status) and county_work.approval_is_county(on):
            raise InvalidInput(
                "审批由县民政局作出（政策参数“审批权限”为县级）：请把数据报送县里，县级决定随回执包下达。", field="step"
            )
        return False

    def work_out_approval(
        self,
        e: Enrolment,
        household: Household,
        members: list[Member],
        on: date,
        *,
        amount: int | None,
        class_code: str | None,
        start_month: str | None,
        case_reason: str,
    ) -> None:
        if household.official_relative:
            since = e.applied_on or on
            visited = self.db.scalar(
                "SELECT count(*) FROM visits WHERE household_id = ? AND deleted = 0 AND visit_date >= ?",
                (household.id, since.isoformat()),
            )
            if not visited:
                raise InvalidInput(
                    "该户是村干部或经办人的近亲属（已备案），批准前须先入户核查。", field="official_relative"
                )
        month = start_month or workflow.payment_start_month(on)
        decision = self.decision_for(e.household_id, e.programme, e.member_id, month)
        computed = decision.monthly_amount_fen if decision and decision.eligible else None
        if amount is None:
            if computed is None:
                reasons = "；".join(decision.reasons[-2:]) if decision else "没有可用的测算结果"
                if not case_reason.strip():
                    raise InvalidInput(
                        f"按政策测算不符合{e.programme}条件（{reasons}）；如经“一事一议”批准，请写明理由并填写金额。",
                        field="case_by_case_reason",
                    )
                raise InvalidInput("一事一议批准须填写月保障金额。", field="monthly_amount_fen")
            amount = computed
        elif workflow.needs_case_by_case_reason(amount, computed) and not case_reason.strip():
            shown = f"{money.yuan(computed)} 元" if computed is not None else "不符合"
            raise InvalidInput(f"金额与测算结果（{shown}）不同，须写明“一事一议”的理由。", field="case_by_case_reason")
        if amount < 0:
            raise InvalidInput("月保障金额不能为负。", field="monthly_amount_fen")
        if class_code:
            self._check_class(class_code, month)
        e.monthly_amount_fen = amount
        e.class_code = class_code if class_code is not None else (decision.class_code if decision else e.class_code)
        e.approved_on = on
        e.start_month = month
        alive = [m for m in members if m.deceased_on is None]
        e.persons_covered = (
            decision.persons_covered
            if decision and decision.eligible
            else (1 if (e.single_person or e.member_id) else len(alive))
        )
        if decision and decision.single_person_member and not e.member_id:
            e.member_id, e.single_person = decision.single_person_member, True

    def undo_last_step(self, enrolment_id: str, reason: str, *, read_version: str | None = None) -> Enrolment:
        """Undo the latest step recorded by mistake: the reviewer's correction, with a reason.

        The step row is tombstoned rather than answered by a compensating step: the workflow then
        stays a plain chain in which the latest step is the status, the steps table shows what
        really happened, and the audit log keeps the deleted row, who undid it and why. The
        enrolment gets back every field the step changed, read from the step's own audit entry.
        """
        permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)
        if not reason.strip():
            raise InvalidInput("撤销办理环节须写明理由。", field="reason")
        e = self.get_enrolment(enrolment_id)
        if read_version is not None and read_version != e.updated_at:
            raise ChangedMeanwhile(f"这条{e.programme}记录{CHANGED_MEANWHILE}")
        steps = self.store.repo(EnrolmentStep).where("enrolment_id = ?", (e.id,), order="updated_at")
        last = steps[-1] if steps else None
        if last is not None and last.done_by == COUNTY_NAME:
            raise InvalidInput(
                f"“{last.step}”是县民政局的审批决定，乡镇不能撤销；如有错误，请联系县民政局重新决定。", field="reason"
            )
        today = months.of(date.today())
        effect = today
        locked: set[str] = set()
        if last is not None and last.step in workflow.HAS_PAID:
            # The first month the step changed the payment of: approval pays from start_month, the
            # others (渐退, back to 在保, 停保) take effect from the month after the step.
            done = months.of(last.done_on) if last.done_on else today
            before_status = steps[-2].step if len(steps) > 1 else ""
            effect = (e.start_month or done) if workflow.is_approval(last.step, before_status) else months.add(done, 1)
            month, last_roster = effect, self.db.scalar("SELECT max(month) FROM payments WHERE deleted = 0") or ""
            while month <= last_roster:
                if self.s.payments.is_approved(month):
                    locked.add(month)
                month = months.add(month, 1)
        problem = workflow.undo_problem([st.step for st in steps], effect, locked)
        if problem or last is None:
            raise InvalidInput(problem or "这条记录没有可撤销的办理环节。", field="step")
        restored = self._before_last_step(e)
        with self.store.transaction():
            self.current(Enrolment, enrolment_id, read_version or e.updated_at, f"这条{e.programme}记录")
            last.deleted = True
            self.store.save(last, self.s.user.username, f"撤销办理环节：{last.step}（理由：{reason.strip()}）")
            self.store.save(
                restored, self.s.user.username, f"{e.programme}撤销“{last.step}”：{reason.strip()}", before=e
            )
        return restored

    def _before_last_step(self, e: Enrolment) -> Enrolment:
        """The enrolment as it was before its latest step, from that step's audit entry."""
        entries = [a for a in self.store.history([e.id]) if a.entity == Enrolment.TABLE]
        detail = entries[-1].detail if entries else {}
        if detail.get(CONTENT_HASH) != content_hash(e) or "changed" not in detail:
            # The row was last written elsewhere (a package from another office): no local record of before.
            raise InvalidInput("这条记录的最近一步不是在本机办理的，无法在本机撤销。", field="step")
        names = self.store.repo(Enrolment).names
        row = dict(zip(names, to_row(e), strict=True))
        for key, (old, _new) in detail["changed"].items():
            if key in row:
                row[key] = json.dumps(old, ensure_ascii=False) if isinstance(old, list) else old
        return from_row(Enrolment, row.values())

    def class_codes(self, month: str) -> list[str]:
        """The 分类施保 classes of the policy book in force in ``month``, in the book's order."""
        return [c.code for c in self.s.policy.for_month(month).classes]

    def _check_class(self, class_code: str, month: str) -> None:
        codes = self.class_codes(month)
        if class_code not in codes:
            raise InvalidInput(
                f"类别“{class_code}”不在 {month} 政策参数的类别表中（可选：{'、'.join(codes)}）。", field="class_code"
            )

    def _step(self, e: Enrolment, step: str, on: date, note: str) -> None:
        record = EnrolmentStep(enrolment_id=e.id, step=str(step), done_on=on, done_by=self.s.user.username, note=note)
        self.store.save(record, self.s.user.username, f"办理环节：{step}")

    def filing_register(self) -> list[tuple[Household, list[Enrolment]]]:
        """The 备案 register: households of officials' close relatives and their enrolments (S1 第十一条)."""
        households = self.store.repo(Household).where("official_relative = 1 AND archived = 0", order="village_code")
        return [(h, self.store.repo(Enrolment).where("household_id = ?", (h.id,))) for h in households]
