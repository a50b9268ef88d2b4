"""The monthly payment roster (发放名册): computed, reviewed, locked; corrections as new lines.

Amounts come from ``app.domain.policy.payments`` with the parameters in force that
month. Until approved the roster is a draft and may be rebuilt; once approved its
lines are locked, and a later rebuild adds ± correction lines instead of changing
them — a locked month never changes silently.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.entities import Enrolment, MonthClose, Payment
from ..domain.policy import months
from ..domain.policy.payments import (
    CoveredMember,
    EnrolmentInForce,
    HolidayBatch,
    RosterLine,
    corrections,
    holiday_lines,
    roster_for_month,
)
from ..errors import InvalidInput
from . import permissions
from .base import Service
from .households import village_names
from .income import grace_since
from .policy_book import PolicyBookService


@dataclass
class RosterRow:
    payment: Payment
    village: str
    head_name: str
    member_name: str


class PaymentService(Service):
    # --- computing -------------------------------------------------------------

    def enrolments_in_force(self, month: str, params) -> list[EnrolmentInForce]:
        """Every enrolment that may pay in ``month``, as the pure roster code wants it."""
        out: list[EnrolmentInForce] = []
        rows = self.store.repo(Enrolment).where(
            "status IN ('在保', '渐退', '停保') AND start_month IS NOT NULL AND start_month <= ? "
            "AND (end_month IS NULL OR end_month >= ?) "
            "AND household_id IN (SELECT id FROM households WHERE archived = 0 AND deleted = 0)",
            (month, month),
        )
        if not rows:
            return out
        hh_ids = sorted({e.household_id for e in rows})
        # Only the three columns the roster reads: a county pays some ten thousand households.
        members: dict[str, list[CoveredMember]] = {}
        for chunk in _chunks(hh_ids, 500):
            marks = ",".join("?" for _ in chunk)
            for mid, hid, born, died in self.db.execute(
                f"SELECT id, household_id, birth_date, deceased_on FROM members "
                f"WHERE deleted = 0 AND (household_id IN ({marks}))",
                tuple(chunk),
            ):
                members.setdefault(hid, []).append(CoveredMember(mid, _date(born), _date(died)))
        urban = dict(self.db.query("SELECT id, urban FROM households"))
        for e in rows:
            family = members.get(e.household_id, [])
            covered = [m for m in family if m.member_id == e.member_id] if e.member_id else family
            assert e.start_month is not None  # the query keeps only enrolments with a start month
            out.append(
                EnrolmentInForce(
                    enrolment_id=e.id,
                    household_id=e.household_id,
                    programme=e.programme,
                    start_month=e.start_month,
                    members=tuple(covered),
                    class_code=e.class_code,
                    urban=bool(urban.get(e.household_id)),
                    single_person=e.single_person,
                    monthly_amount_fen=e.monthly_amount_fen,
                    approved_persons=e.persons_covered or len(covered),
                    end_month=e.end_month,
                    grace_since=grace_since(e, params.grace_months),
                )
            )
        return out

    def compute(self, month: str) -> list[RosterLine]:
        params = PolicyBookService(self.s).for_month(month)
        return roster_for_month(self.enrolments_in_force(month, params), month, params)

    # --- writing ---------------------------------------------------------------

    def build(self, month: str, progress: Any = None) -> dict:
        """(Re)build the month's draft; for a locked month, add correction lines.

        Returns a summary of the new draft; ``before_*`` are the draft being replaced (zero on a
        first build), so the clerk sees what a rebuild changed. A draft line the rebuild computes
        again unchanged is kept as it is rather than deleted and written anew: a rebuild writes (and
        sends to the county) only what changed. *progress* (``update(done, total, label)``) hears
        each step: a county's roster takes long enough to need saying what is going on.
        """
        permissions.require(self.s.user, permissions.RECORD_ENROLMENT)
        self._refuse_closed(month)
        report(progress, 0, BUILD_STEPS, f"正在计算 {month} 在保对象的发放金额…")
        computed = self.compute(month)
        report(progress, 1, BUILD_STEPS, f"正在核对 {month} 已有的名册…")
        existing = self.lines(month)
        locked = [p for p in existing if p.locked]
        drafts = [p for p in existing if not p.locked and p.kind != "holiday"]
        if locked:
            locked_lines = [_as_line(p) for p in locked]
            new_lines = corrections(locked_lines, computed, note=f"{month} 名册锁定后的更正")
            action = "生成更正行"
        else:
            new_lines = computed
            action = "生成发放名册"
        report(progress, 2, BUILD_STEPS, f"正在写入 {len(new_lines)} 行名册…")
        unchanged: dict[tuple, list[Payment]] = {}
        for p in drafts:
            unchanged.setdefault(_stored(_as_line(p)), []).append(p)
        added = []
        for line in new_lines:
            same = unchanged.get(_stored(line))
            if same:
                same.pop()
            else:
                added.append(_as_payment(line))
        gone = [dataclasses.replace(p, deleted=True) for left in unchanged.values() for p in left]
        total_fen = sum(line.amount_fen for line in new_lines)
        with self.store.transaction():
            self.store.bulk_save(gone + added, self.s.user.username)
            self.store.audit(
                self.s.user.username,
                action,
                "payments",
                month,
                {
                    "month": month,
                    "lines": len(new_lines),
                    "replaced": len(drafts),
                    "written": len(added),
                    "removed": len(gone),
                    "total_fen": total_fen,
                },
            )
        report(progress, BUILD_STEPS, BUILD_STEPS, "完成")
        return {
            "month": month,
            "lines": len(new_lines),
            "total_fen": total_fen,
            "persons": _persons(new_lines),
            "corrections": bool(locked),
            "before_lines": len(drafts),
            "before_fen": sum(p.amount_fen for p in drafts),
            "before_persons": _persons(drafts),
        }

    def approve(self, month: str, progress: Any = None) -> int:
        """Lock every draft line of the month (审核人). Returns how many were locked."""
        permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)
        self._refuse_closed(month)
        report(progress, 0, APPROVE_STEPS, f"正在读取 {month} 的发放名册…")
        drafts = [p for p in self.lines(month) if not p.locked]
        if not drafts and not any(p.locked for p in self.lines(month)):
            raise InvalidInput(f"{month} 还没有发放名册，请先生成。")
        report(progress, 1, APPROVE_STEPS, f"正在锁定 {len(drafts)} 行名册…")
        with self.store.transaction():
            self.store.bulk_save([dataclasses.replace(p, locked=True) for p in drafts], self.s.user.username)
            self.store.audit(
                self.s.user.username,
                "审核锁定发放名册",
                "payments",
                month,
                {"month": month, "lines": len(drafts), "total_fen": sum(p.amount_fen for p in drafts)},
            )
        report(progress, APPROVE_STEPS, APPROVE_STEPS, "完成")
        return len(drafts)

    def add_holiday(self, month: str, name: str, per_person_fen: int, programmes: tuple[str, ...]) -> int:
        """One-off holiday subsidy lines for the households paid under ``programmes`` this month."""
        permissions.require(self.s.user, permissions.RECORD_ENROLMENT)
        self._refuse_closed(month)
        if per_person_fen <= 0:
            raise InvalidInput("节日补助的每人金额须大于 0。")
        if not name.strip():
            raise InvalidInput("请写明节日补助的名称（如 春节一次性生活补贴）。")
        if any(p.kind == "holiday" and p.note.startswith(name.strip() + "：") for p in self.lines(month)):
            raise InvalidInput(f"{month} 已发过“{name.strip()}”，不能重复生成。")
        batch = HolidayBatch(name=name.strip(), month=month, amount_fen=per_person_fen, programmes=programmes)
        lines = holiday_lines(batch, self.compute(month))
        with self.store.transaction():
            added = [_as_payment(line) for line in lines]
            self.store.bulk_save(added, self.s.user.username)
            self.store.audit(
                self.s.user.username,
                "生成节日补助",
                "payments",
                month,
                {"name": name, "lines": len(added), "total_fen": sum(p.amount_fen for p in added)},
            )
        return len(lines)

    def _refuse_closed(self, month: str) -> None:
        if self.store.repo(MonthClose).where("month = ?", (month,)):
            raise InvalidInput(f"{month} 已月结，数字已冻结；更正请记入下个月。")

    # --- reading ---------------------------------------------------------------

    def lines(self, month: str) -> list[Payment]:
        return self.store.repo(Payment).where("month = ?", (month,), order="programme, household_id")

    def roster_lines(self, month: str) -> list[RosterLine]:
        """The month's lines as the roster code reads them (what :func:`lines_as_roster` makes of
        :meth:`lines`), read straight from their columns: the 增减名单 compares two whole months."""
        return [
            RosterLine(
                month=m,
                household_id=hid,
                programme=programme,
                amount_fen=amount,
                persons=persons,
                enrolment_id=eid,
                member_id=mid,
                kind=kind,
                note=note,
                class_code=class_code,
                flags=tuple(json.loads(flags)) if flags and flags != "[]" else (),
            )
            for m, hid, programme, amount, persons, eid, mid, kind, note, class_code, flags in self.db.execute(
                "SELECT month, household_id, programme, amount_fen, persons, enrolment_id, member_id, kind, note, "
                "class_code, flags FROM payments WHERE deleted = 0 AND (month = ?) ORDER BY programme, household_id",
                (month,),
            )
        ]

    def is_approved(self, month: str) -> bool:
        rows = self.lines(month)
        return bool(rows) and all(p.locked for p in rows)

    def roster(self, month: str) -> list[RosterRow]:
        names = village_names(self.db)
        heads = {hid: (v, head) for hid, v, head in self.db.query("SELECT id, village_code, head_name FROM households")}
        member_names: dict[str, str] = {}
        rows = self.lines(month)
        ids = sorted({p.member_id for p in rows if p.member_id})
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" for _ in chunk)
            member_names.update(self.db.query(f"SELECT id, name FROM members WHERE id IN ({marks})", tuple(chunk)))
        out = []
        for p in rows:
            v, head = heads.get(p.household_id, ("", ""))
            out.append(RosterRow(p, names.get(v, v), head, member_names.get(p.member_id, "")))
        out.sort(key=lambda r: (r.village, r.head_name, r.payment.programme))
        return out

    def totals(self, month: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for programme, kind, households, persons, fen in self.db.query(
            "SELECT programme, kind, count(DISTINCT household_id), sum(persons), sum(amount_fen) FROM payments "
            "WHERE month = ? AND deleted = 0 GROUP BY programme, kind",
            (month,),
        ):
            t = out.setdefault(programme, {"households": 0, "persons": 0, "amount_fen": 0})
            if kind == "regular":
                t["households"] += households
                t["persons"] += persons or 0
            t["amount_fen"] += fen or 0
        return out


BUILD_STEPS = 3
APPROVE_STEPS = 2


def report(progress: Any, done: int, total: int, label: str) -> None:
    """Tell *progress* (an op's ``Progress``, or None) which step a long write is on.

    Called only outside transactions: an op's ``update`` may raise ``Cancelled``, and a step
    stopped there must leave nothing half-written.
    """
    if progress is not None:
        progress.update(done, total, label)


def _persons(lines: Sequence[Payment] | Sequence[RosterLine]) -> int:
    """Persons paid: regular lines only (holiday and correction lines name the same persons again)."""
    return sum(p.persons for p in lines if p.kind == "regular")


def _stored(line: RosterLine) -> tuple:
    """What of a line its Payment row keeps (every field :func:`_as_payment` copies): two lines
    equal here make the same row."""
    return (
        line.month,
        line.household_id,
        line.member_id,
        line.enrolment_id,
        line.programme,
        line.kind,
        line.amount_fen,
        line.persons,
        line.note,
        line.class_code,
        tuple(line.flags),
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _as_payment(line: RosterLine) -> Payment:
    return Payment(
        month=line.month,
        household_id=line.household_id,
        member_id=line.member_id,
        enrolment_id=line.enrolment_id,
        programme=line.programme,
        kind=line.kind,
        amount_fen=line.amount_fen,
        persons=line.persons,
        note=line.note,
        class_code=line.class_code,
        flags=list(line.flags),
    )


def _as_line(p: Payment) -> RosterLine:
    return RosterLine(
        month=p.month,
        household_id=p.household_id,
        programme=p.programme,
        amount_fen=p.amount_fen,
        persons=p.persons,
        enrolment_id=p.enrolment_id,
        member_id=p.member_id,
        kind=p.kind,
        note=p.note,
        class_code=p.class_code,
        flags=tuple(p.flags),
    )


def lines_as_roster(payments: list[Payment]) -> list[RosterLine]:
    return [_as_line(p) for p in payments]


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def previous(month: str) -> str:
    return months.add(month, -1)
