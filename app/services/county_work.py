"""What the county decides and asks, and how a township takes it in (county mode, issue 10 point 4).

Rows cross the line between offices only as rows their writer owns. So the county never edits a
township's enrolment: its 审批 is a :class:`CountyDecision` it owns, which travels back in its
package, and the township applies it to its own enrolment (:meth:`CountyWorkService.apply_decisions`,
run after every import). A task works the same way: the county owns the :class:`CountyTask`, the
township owns its :class:`TaskReply`.

Whether 审批 is the county's or delegated to the township (委托乡镇审核确认) is the dated policy
figure ``approval.level``; :meth:`approval_is_county` reads it for a day.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date

from ..db.store import now_text
from ..domain import months
from ..domain.entities import (
    CountyDecision,
    CountyTask,
    Enrolment,
    EnrolmentStep,
    Household,
    TaskReply,
    ValidationError,
)
from ..domain.workflow import Status
from ..errors import AlreadyExists, InvalidInput, NotFound, PermissionDenied
from . import permissions
from .base import Service
from .policy_book import PolicyBookService

COUNTY_NAME = "县民政局"


@dataclass(frozen=True)
class OpenTask:
    task: CountyTask
    village: str
    head_name: str
    reply: TaskReply | None


class CountyWorkService(Service):
    # --- who approves -------------------------------------------------------------------

    def approval_is_county(self, on: date) -> bool:
        params = PolicyBookService(self.s).for_month(months.of(on))
        return getattr(params, "approval_level", "township") == "county"

    @property
    def is_county(self) -> bool:
        return self.s.office.kind == "county"

    # --- the county's 审批 ------------------------------------------------------------

    def decision_of(self, enrolment_id: str) -> CountyDecision | None:
        found = self.store.repo(CountyDecision).where("enrolment_id = ?", (enrolment_id,), order="updated_at DESC")
        return found[0] if found else None

    def decide(
        self,
        enrolment: Enrolment,
        approve: bool,
        *,
        on: date,
        amount: int | None = None,
        class_code: str | None = None,
        start_month: str | None = None,
        case_reason: str = "",
        reason: str = "",
    ) -> CountyDecision:
        """The county approves or refuses a township's application that waits in 审核审批."""
        from .enrolments import EnrolmentService

        permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)
        if not self.is_county:
            raise PermissionDenied("县级审批只能在县民政局的兜底中作出。")
        if enrolment.status != Status.APPROVAL:
            raise InvalidInput(
                f"这条{enrolment.programme}申请的状态是“{enrolment.status}”，不在待审批中。", field="step"
            )
        if self.decision_of(enrolment.id) is not None:
            raise AlreadyExists(f"这条{enrolment.programme}申请已有县级决定，待乡镇接收后再办理。")
        if on > date.today():
            raise InvalidInput("审批日期不能晚于今天。", field="on")
        decision = CountyDecision(
            enrolment_id=enrolment.id,
            household_id=enrolment.household_id,
            township_code=enrolment.owner_office,
            approved=approve,
            decided_on=on,
            reason=reason.strip(),
            case_by_case_reason=case_reason.strip(),
        )
        if approve:
            worked = dataclasses.replace(enrolment)
            household, members = self.s.households._unmasked(enrolment.household_id)
            EnrolmentService(self.s).work_out_approval(
                worked,
                household,
                members,
                on,
                amount=amount,
                class_code=class_code,
                start_month=start_month,
                case_reason=case_reason,
            )
            decision.class_code = worked.class_code
            decision.monthly_amount_fen = worked.monthly_amount_fen
            decision.persons_covered = worked.persons_covered
            decision.start_month = worked.start_month
            decision.member_id = worked.member_id
        try:
            decision.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        with self.store.transaction():
            self.store.save(decision, self.s.user.username, f"县级审批：{'批准' if approve else '不予批准'}")
        return decision

    def apply_decisions(self) -> int:
        """At a township: apply every county decision on an application still waiting for it.

        Idempotent: an application already decided is left alone, so running it after every
        import (or twice) changes nothing more. Returns how many were applied.
        """
        if self.is_county:
            return 0
        waiting = {
            e.id: e
            for e in self.store.repo(Enrolment).where(
                "status = ? AND owner_office = ?", (Status.APPROVAL.value, self.s.office.code)
            )
        }
        if not waiting:
            return 0
        applied = 0
        with self.store.transaction():
            used = {i for (i,) in self.db.query("SELECT decision_id FROM decisions_applied")}
            for d in self.store.repo(CountyDecision).where("1", order="updated_at"):
                before = waiting.get(d.enrolment_id)
                # Once only, and only the decision made for this township's application of this household.
                if (
                    before is None
                    or d.id in used
                    or d.household_id != before.household_id
                    or d.township_code != self.s.office.code
                ):
                    continue
                e = dataclasses.replace(before)
                if d.approved:
                    e.status = Status.ENROLLED.value
                    e.approved_on = d.decided_on
                    e.start_month = d.start_month
                    e.class_code = d.class_code
                    e.monthly_amount_fen = d.monthly_amount_fen
                    e.persons_covered = d.persons_covered
                    if d.member_id:
                        e.member_id, e.single_person = d.member_id, True
                    if d.case_by_case_reason:
                        e.case_by_case_reason = d.case_by_case_reason
                else:
                    e.status = Status.REFUSED.value
                    e.reason = d.reason
                step = e.status
                self.store.save(e, self.s.user.username, f"{e.programme}{step}（县级审批）", before=before)
                note = f"{COUNTY_NAME}审批：{'批准' if d.approved else '不予批准'}" + (
                    f"；{d.reason}" if d.reason else ""
                )
                # One id per decision: two PCs of the township that both apply it before they exchange
                # write the same step, not two (docs/exchange.md §Two PCs in one office).
                record = EnrolmentStep(
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"doudi:decision-step:{d.id}")),
                    enrolment_id=e.id,
                    step=step,
                    done_on=d.decided_on,
                    done_by=COUNTY_NAME,
                    note=note,
                )
                self.store.save(record, self.s.user.username, f"办理环节：{step}（县级审批）")
                self.db.execute(
                    "INSERT INTO decisions_applied(decision_id, enrolment_id, applied_at) VALUES (?, ?, ?)",
                    (d.id, e.id, now_text()),
                )
                del waiting[d.enrolment_id]
                applied += 1
        return applied

    # --- tasks ---------------------------------------------------------------------------

    def send_task(self, household_id: str, text: str, due_on: date) -> CountyTask:
        permissions.require(self.s.user, permissions.COUNTY_DECIDE)
        household = self.store.repo(Household).get(household_id)
        if household is None or household.deleted:
            raise NotFound("找不到这户。")
        task = CountyTask(
            household_id=household_id,
            township_code=household.village_code[:9] + "000",
            text=text.strip(),
            due_on=due_on,
            sent_on=date.today(),
        )
        try:
            task.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        with self.store.transaction():
            self.store.save(task, self.s.user.username, "县级下发任务")
        return task

    def tasks(self, *, open_only: bool = True) -> list[OpenTask]:
        """The county's tasks (at the county: all it sent; at a township: those sent to it)."""
        where = "withdrawn = 0" if self.is_county else "withdrawn = 0 AND township_code = ?"
        params: tuple[str, ...] = () if self.is_county else (self.s.office.code,)
        tasks = self.store.repo(CountyTask).where(where, params, order="due_on, sent_on")
        replies: dict[str, TaskReply] = {}
        for r in self.store.repo(TaskReply).where("1", order="updated_at"):
            replies[r.task_id] = r
        heads = {
            hid: (village, head)
            for hid, village, head in self.db.query(
                "SELECT h.id, coalesce(d.name, h.village_code), h.head_name FROM households h "
                "LEFT JOIN divisions d ON d.code = h.village_code WHERE h.deleted = 0"
            )
        }
        out = []
        for t in tasks:
            reply = replies.get(t.id)
            if open_only and reply is not None:
                continue
            village, head = heads.get(t.household_id, ("", ""))
            out.append(OpenTask(t, village, head, reply))
        return out

    def tasks_of_household(self, household_id: str) -> list[OpenTask]:
        """Every task about one household, answered or not, newest first (for its household file)."""
        found = [t for t in self.tasks(open_only=False) if t.task.household_id == household_id]
        return sorted(found, key=lambda t: str(t.task.sent_on or ""), reverse=True)

    def reply(self, task_id: str, note: str, done_on: date | None = None) -> TaskReply:
        """The township says what it did about a task."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        task = self.store.repo(CountyTask).get(task_id)
        if task is None or task.deleted or task.withdrawn:
            raise NotFound("找不到这项县级任务（可能已撤回）。")
        done_on = done_on or date.today()
        if done_on > date.today():
            raise InvalidInput("完成日期不能晚于今天。", field="done_on")
        reply = TaskReply(task_id=task_id, household_id=task.household_id, done_on=done_on, note=note.strip())
        try:
            reply.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        with self.store.transaction():
            self.store.save(reply, self.s.user.username, "答复县级任务")
        return reply


def refuses_local_approval(step: str, from_status: str) -> bool:
    """The steps a township may not record itself when 审批 is the county's."""
    return from_status == Status.APPROVAL and step in (Status.ENROLLED, Status.REFUSED)
