"""The enrolment workflow (S1, S3), stated once.

申请 → 入户调查 → [民主评议] → 公示 (at least 7 days) → 审核审批 → 在保 ⇄ 渐退 → 停保;
不予批准 ends an application. A clerk records steps; a reviewer (or the county) approves,
refuses, starts the taper (渐退) and stops (停保). The enrolment service enforces these rules and
the screens ask them (which buttons to show, which fields are required), so neither restates
them. Stored values stay the Chinese words: ``Status`` is a ``StrEnum`` and compares equal to them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from . import months


class Status(StrEnum):
    APPLIED = "申请"
    SURVEY = "入户调查"  # 入户调查 (home investigation)
    REVIEW = "民主评议"  # 民主评议 (village democratic review; optional)
    PUBLICITY = "公示"
    APPROVAL = "审核审批"
    ENROLLED = "在保"  # in force, paid
    TAPER = "渐退"  # 渐退期: still paid while the income is above the standard
    STOPPED = "停保"
    REFUSED = "不予批准"
    WITHDRAWN = "申请人撤回"  # the applicant withdraws before a decision


IN_FORCE: frozenset[Status] = frozenset({Status.ENROLLED, Status.TAPER})
"""Statuses under which the enrolment is paid (within its months)."""

HAS_PAID: frozenset[Status] = IN_FORCE | {Status.STOPPED}
"""Statuses whose enrolment has (or had) months paid: in force, tapering or stopped."""

TERMINAL: frozenset[Status] = frozenset({Status.STOPPED, Status.REFUSED, Status.WITHDRAWN})
"""Statuses with no next step; an open application or enrolment is any other status."""

_NEXT: dict[Status, tuple[Status, ...]] = {
    Status.APPLIED: (Status.SURVEY, Status.REFUSED, Status.WITHDRAWN),
    Status.SURVEY: (Status.REVIEW, Status.PUBLICITY, Status.REFUSED, Status.WITHDRAWN),
    Status.REVIEW: (Status.PUBLICITY, Status.REFUSED, Status.WITHDRAWN),
    Status.PUBLICITY: (Status.APPROVAL, Status.REVIEW, Status.REFUSED, Status.WITHDRAWN),
    Status.APPROVAL: (Status.ENROLLED, Status.REFUSED, Status.WITHDRAWN),
    Status.ENROLLED: (Status.TAPER, Status.STOPPED),
    Status.TAPER: (Status.ENROLLED, Status.STOPPED),
    Status.STOPPED: (),
    Status.REFUSED: (),
    Status.WITHDRAWN: (),
}

OPEN_APPLICATION: frozenset[Status] = frozenset(
    {Status.APPLIED, Status.SURVEY, Status.REVIEW, Status.PUBLICITY, Status.APPROVAL}
)
"""An application not yet decided: the applicant may still withdraw it (申请人撤回)."""

APPROVER_STEPS: frozenset[Status] = frozenset({Status.ENROLLED, Status.REFUSED, Status.TAPER, Status.STOPPED})
"""Steps that need the right to approve (a reviewer or the county); a clerk records the others."""

REASONED_STEPS: frozenset[Status] = frozenset({Status.STOPPED, Status.REFUSED, Status.WITHDRAWN})
"""Steps whose reason is written down: a stop or a refusal is told to the household in writing
(S1 第十九条, 第二十一条); a withdrawal keeps the applicant's own reason on file."""

PUBLICITY_DAYS = 7
"""公示 lasts at least seven days, both ends counted (S1 第十九条)."""


def status_of(value: str) -> Status:
    """The status a stored word names; ValueError with a sentence for an unknown word."""
    try:
        return Status(value)
    except ValueError:
        raise ValueError(f"办理状态“{value}”不在可选值中（{'、'.join(Status)}）。") from None


def next_steps(status: str) -> tuple[Status, ...]:
    """The steps the workflow allows after ``status`` (empty once it has ended)."""
    return _NEXT.get(Status(status), ()) if status in _VALUES else ()


_VALUES = frozenset(s.value for s in Status)


def is_terminal(status: str) -> bool:
    return not next_steps(status)


def needs_approver(step: str) -> bool:
    """Whether recording ``step`` needs the right to approve, not only to record."""
    return step in APPROVER_STEPS


def is_approval(step: str, from_status: str) -> bool:
    """The step that approves an application: 在保 out of 审核审批 (not the return from 渐退)."""
    return step == Status.ENROLLED and from_status == Status.APPROVAL


def needs_written_reason(step: str, from_status: str) -> bool:
    """Whether the step's note is required: a stop or a refusal is told to the household in writing,
    and a withdrawal records the applicant's reason.

    ``from_status`` is part of the question because a future rule may depend on it (the return
    from 渐退 to 在保 does not need one today).
    """
    del from_status
    return step in REASONED_STEPS


def written_reason_problem(step: str, from_status: str, note: str) -> str | None:
    """Why the step cannot be recorded without a reason (one sentence), or None."""
    if needs_written_reason(step, from_status) and not note.strip():
        return f"{step}须写明理由（将书面告知当事人）。"
    return None


def undo_problem(steps: list[str], effect_month: str, locked_months: set[str]) -> str | None:
    """Why the latest of ``steps`` (in order, oldest first) cannot be undone, or None.

    Only a step after the application can be undone (the application itself is withdrawn, not
    undone), and not once a month from ``effect_month`` on has a locked (paid) roster, since the
    payment made on the strength of the step cannot be taken back by erasing it.
    """
    if len(steps) < 2:  # noqa: PLR2004 - the application and one step after it
        return "申请本身不能撤销；如申请人不再申请，请记录“申请人撤回”。"
    paid = sorted(m for m in locked_months if m >= effect_month)
    if paid:
        return f"{paid[0]} 的发放名册已审核锁定，“{steps[-1]}”已据以发放，不能撤销；请另行办理更正。"
    return None


def publicity_days(start: date, end: date) -> int:
    """Days the notice is up, both ends counted."""
    return (end - start).days + 1


def publicity_problem(start: date | None, end: date | None, applied_on: date | None = None) -> str | None:
    """Why the 公示 dates cannot be accepted (one sentence), or None when they can.

    ``applied_on`` is the earliest day the notice may start: the application, or the last
    step recorded before it.
    """
    if start is None or end is None:
        return "请填写公示起止日期。"
    if end < start:
        return "公示结束日期不能早于开始日期。"
    days = publicity_days(start, end)
    if days < PUBLICITY_DAYS:
        return f"公示期至少 {PUBLICITY_DAYS} 天（现为 {days} 天）。"
    if applied_on is not None and start < applied_on:
        return f"公示不能早于申请和入户调查（{applied_on}）。"
    return None


def publicity_end(start: date) -> date:
    """The first day the notice may come down: the shortest valid 公示 from ``start``."""
    return date.fromordinal(start.toordinal() + PUBLICITY_DAYS - 1)


def approval_problem(on: date, publicity_to: date | None) -> str | None:
    """Why 审核审批 cannot be recorded on ``on`` (it must follow the end of 公示), or None."""
    if publicity_to is not None and on <= publicity_to:
        return f"公示到 {publicity_to} 才结束，审核审批须在公示期满之后。"
    return None


def payment_start_month(approved_on: date) -> str:
    """Paid from the month after approval (S1 第二十条), as ``YYYY-MM``."""
    return months.add(months.of(approved_on), 1)


def needs_case_by_case_reason(amount_fen: int | None, assessed_fen: int | None) -> bool:
    """一事一议: an approved amount that differs from the assessment (or any amount where the
    assessment finds the household not eligible) needs a written reason."""
    return assessed_fen is None or amount_fen != assessed_fen


def taper_until(on: date, grace_months: int) -> str:
    """The last month of a 渐退期 started on ``on``: ``grace_months`` months from the next one."""
    first = months.add(months.of(on), 1)
    return months.add(first, grace_months - 1)


def taper_since(grace_until: str, grace_months: int) -> str:
    """The first month of the 渐退期 that ends with ``grace_until``."""
    return months.add(grace_until, -(grace_months - 1))


def stop_end_month(on: date, start_month: str | None) -> str:
    """The last month paid when stopped on ``on``: this month (a stop takes effect from the next,
    S1 第二十一条, S3 第二十六条), or the month before the first payment when stopped before it."""
    end = months.of(on)
    if start_month and end < start_month:
        return months.add(start_month, -1)
    return end


def paid_in(status: str, start_month: str | None, end_month: str | None, grace_until: str | None, month: str) -> bool:
    """Whether an enrolment with these fields is paid for ``month``."""
    if not start_month or start_month > month:
        return False
    if status == Status.TAPER and grace_until and month > grace_until:
        return False
    return not (end_month and month > end_month)


class AlertStatus(StrEnum):
    """An alert is raised open, acknowledged, followed by a visit, and closed with a note."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    FOLLOWED = "followed"
    CLOSED = "closed"


ALERT_OPEN: frozenset[AlertStatus] = frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.FOLLOWED})
