"""Work queues: the households waiting on the office, so each is one click from its record.

A clerk's day starts with what is due: applications waiting for the reviewer, publicity
periods that have run out, 渐退期 that end, and the households still to visit this month.
Which enrolment belongs in which queue is decided by the small predicates here, built on
:mod:`app.domain.workflow`; the page only shows the lists. The county's tasks, which its packages
bring, wait in their own queue until the township answers them (app/services/county_work.py); at
the county, an application it has already decided leaves 待审批 while the township takes it in.
A household the county moves between townships (app/services/handovers.py) waits in 迁入待接收 at
the receiver (it has no household of its own yet: the item names the hand-over) and in 迁出待办理
at the sender, until each has done its part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain import months as month_math
from ..domain.workflow import Status
from .base import Service
from .households import village_names

APPROVAL = "approval"  # 待审批
PUBLICITY = "publicity"  # 公示到期
TAPER = "taper"  # 渐退到期
VISITS = "visits"  # 本月待核查
TASKS = "tasks"  # 县级任务: work the county sent about a household, not yet answered
MOVING_IN = "moving_in"  # 迁入待接收: households the county moved here, to register
MOVING_OUT = "moving_out"  # 迁出待办理: households the county moved away, to release
QUEUES = (APPROVAL, PUBLICITY, TAPER, VISITS, TASKS, MOVING_IN, MOVING_OUT)


def awaiting_approval(status: str) -> bool:
    """The application is with the reviewer (审核审批)."""
    return status == Status.APPROVAL


def publicity_ended(status: str, publicity_to: date | None, today: date) -> bool:
    """In 公示 and the publicity period ends today or has ended: ready for 审核审批 (or a fresh review)."""
    return status == Status.PUBLICITY and publicity_to is not None and publicity_to <= today


def taper_ending(status: str, grace_until: str | None, month: str) -> bool:
    """In 渐退 and its last month is *month* or earlier: the reviewer decides 停保 or back to 在保."""
    return status == Status.TAPER and bool(grace_until) and str(grace_until) <= month


@dataclass(frozen=True)
class QueueItem:
    household_id: str
    village_code: str
    village: str
    head_name: str
    due: str  # what is due, one short sentence
    since: str  # ISO date or YYYY-MM; "" when never (a household never visited)
    handover_id: str = ""  # 迁入待接收: the hand-over to accept (household_id is the sender's, not held here)


@dataclass
class WorkQueues:
    month: str
    village_code: str  # "" for every village
    queues: dict[str, list[QueueItem]] = field(default_factory=dict)
    villages: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of villages with households

    def count(self, queue: str) -> int:
        return len(self.queues.get(queue, []))


class WorkQueueService(Service):
    def queues(self, today: date | None = None, village_code: str = "") -> WorkQueues:
        """Every queue for the month of *today*, for one village (``village_code``) or all (``""``)."""
        today = today or date.today()
        month = month_math.of(today)
        names = village_names(self.db)
        out: dict[str, list[QueueItem]] = {q: [] for q in QUEUES}
        submitted = self._submitted_for_approval()
        decided = {
            eid for (eid,) in self.db.query("SELECT DISTINCT enrolment_id FROM county_decisions WHERE deleted = 0")
        }
        rows = self.db.query(
            "SELECT e.id, e.household_id, h.village_code, h.head_name, e.programme, e.status, "
            "e.publicity_to, e.grace_until FROM enrolments e JOIN households h ON h.id = e.household_id "
            "WHERE e.deleted = 0 AND h.deleted = 0 AND h.archived = 0 AND e.status IN (?, ?, ?)",
            (Status.APPROVAL.value, Status.PUBLICITY.value, Status.TAPER.value),
        )
        for eid, hid, village, head, programme, status, publicity_to, grace_until in rows:
            if village_code and village != village_code:
                continue
            name = names.get(village, village)
            ends = date.fromisoformat(publicity_to) if publicity_to else None
            if awaiting_approval(status) and eid in decided:
                continue  # decided at the county; the township applies it when its package arrives
            if awaiting_approval(status):
                item = QueueItem(hid, village, name, head, f"{programme}待审核审批", submitted.get(eid, ""))
                out[APPROVAL].append(item)
            elif publicity_ended(status, ends, today):
                out[PUBLICITY].append(QueueItem(hid, village, name, head, f"{programme}公示期满", publicity_to))
            elif taper_ending(status, grace_until, month):
                out[TAPER].append(QueueItem(hid, village, name, head, f"{programme}渐退期满", grace_until))
        for queue in (APPROVAL, PUBLICITY, TAPER):
            out[queue].sort(key=lambda i: (i.since or "9999", i.village_code, i.head_name))

        codes = self._watched_villages()
        for d in self.s.visits.due(month):
            village = codes.get(d.household_id, "")
            if village_code and village != village_code:
                continue
            due = "本月入户核查（上月也未核查）" if d.overdue else "本月入户核查"
            out[VISITS].append(QueueItem(d.household_id, village, d.village, d.head_name, due, d.last_visit))

        for t in self.s.county_work.tasks():
            village = next((v for v, n in names.items() if n == t.village), "")
            if village_code and village != village_code:
                continue
            due = f"县级任务：{t.task.text}" + (f"（{t.task.due_on:%m月%d日}前）" if t.task.due_on else "")
            sent = str(t.task.sent_on or "")
            out[TASKS].append(QueueItem(t.task.household_id, village, t.village, t.head_name, due, sent))

        if self.s.office.kind != "county":
            self._handovers(out, names, village_code)

        villages = [
            (code, names.get(code, code))
            for (code,) in self.db.query(
                "SELECT DISTINCT village_code FROM households WHERE deleted = 0 AND archived = 0 ORDER BY village_code"
            )
        ]
        return WorkQueues(month, village_code, out, villages)

    def _handovers(self, out: dict[str, list[QueueItem]], names: dict[str, str], village_code: str) -> None:
        """The moves the county decided that wait on this township (an incoming one has no village
        here yet, so it shows under every village filter)."""
        for v in self.s.handovers.incoming():
            h = v.handover
            due = f"由{v.from_name}迁入：{h.reason}"
            item = QueueItem(h.household_id, "", v.from_name, v.head_name, due, str(h.decided_on or ""), h.id)
            out[MOVING_IN].append(item)
        # household id -> its village (village_code is NOT NULL); "" below when not held here
        villages: dict[str, str] = dict(self.db.query("SELECT id, village_code FROM households WHERE deleted = 0"))
        for v in self.s.handovers.outgoing():
            h = v.handover
            village = villages.get(h.household_id, "")
            if village_code and village != village_code:
                continue
            due = f"县民政局已批准迁往{v.to_name}，待办理迁出"
            out[MOVING_OUT].append(
                QueueItem(h.household_id, village, names.get(village, village), v.head_name, due, str(h.decided_on))
            )

    def _submitted_for_approval(self) -> dict[str, str]:
        """enrolment id -> the day it was sent to 审核审批 (its latest such step)."""
        return dict(
            self.db.query(
                "SELECT enrolment_id, max(done_on) FROM enrolment_steps WHERE deleted = 0 AND step = ? "
                "GROUP BY enrolment_id",
                (Status.APPROVAL.value,),
            )
        )

    def _watched_villages(self) -> dict[str, str]:
        """household id -> village code, for the households on the monthly visit list."""
        return dict(
            self.db.query(
                "SELECT id, village_code FROM households WHERE deleted = 0 AND archived = 0 AND under_watch = 1"
            )
        )
