"""Home visits (入户核查): record, correct or delete one, and list who is due this month.

The county's notice asks for a visit every month to every household under
watch; a household is due in a month until a visit dated in that month exists.
A visit of any household may be recorded (临时救助入户, 回访), not only of those due.
Any visit dated in the month ticks the household off, whatever its kind: an ad-hoc visit is
made by two investigators who check the same six items, so a second routine visit that
month would repeat it (the rule before visits had a kind column, kept on purpose).
A wrong visit is corrected or deleted (a tombstone, with the reason in the audit log),
never silently overwritten: both state the version the clerk read (ChangedMeanwhile).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from datetime import date

from ..domain import months, vocab
from ..domain.entities import Household, ValidationError, Visit
from ..errors import InvalidInput, NotFound
from . import permissions
from .base import Service
from .households import village_names


@dataclass
class DueHousehold:
    household_id: str
    village: str
    head_name: str
    risk_level: int
    last_visit: str  # ISO date or ""
    overdue: bool  # also missed last month


WHAT = "这次入户核查"


class VisitService(Service):
    def record(self, visit: Visit) -> Visit:
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        visit = copy.deepcopy(visit)
        visit.id = ""
        self._check(visit)
        if self.store.repo(Household).get(visit.household_id) is None:
            raise InvalidInput("被核查的户不存在。")
        with self.store.transaction():
            self.store.save(visit, self.s.user.username, "入户核查")
        return visit

    def correct(self, visit: Visit, read_version: str | None = None) -> Visit:
        """Save a corrected visit; ``read_version`` (default: ``visit.updated_at``) is the version the clerk read.

        The household stays the one visited: a visit recorded against the wrong household is deleted
        and recorded again, so each household's history shows what happened.
        """
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        visit = copy.deepcopy(visit)
        with self.store.transaction():
            before = self.current(Visit, visit.id, read_version or visit.updated_at or None, WHAT)
            visit.household_id = before.household_id
            visit.owner_office, visit.deleted = before.owner_office, False
            self._check(visit)
            self.store.save(visit, self.s.user.username, "修改入户核查", before=before)
        return visit

    def delete(self, visit_id: str, reason: str, read_version: str | None = None) -> None:
        """Delete a visit recorded by mistake (a tombstone); the reason goes into the audit log."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        if not reason.strip():
            raise InvalidInput("删除入户核查记录需写明原因。", field="reason")
        with self.store.transaction():
            before = self.current(Visit, visit_id, read_version, WHAT)
            gone = dataclasses.replace(before, deleted=True)
            self.store.save(gone, self.s.user.username, f"删除入户核查：{reason.strip()}", before=before)

    def get(self, visit_id: str) -> Visit:
        visit = self.store.repo(Visit).get(visit_id)
        if visit is None or visit.deleted:
            raise NotFound(f"没有找到{WHAT}（可能已被删除）。")
        return visit

    def _check(self, visit: Visit) -> None:
        # A note explains an item not assured; a note left on an item later found assured would
        # tell a reviewer of a problem that is no longer there.
        visit.item_notes = {
            attr: note.strip()
            for attr, note in visit.item_notes.items()
            if note.strip() and not (attr in vocab.CONCERNS and getattr(visit, attr))
        }
        if visit.next_due is None and visit.visit_date is not None:
            visit.next_due = months.next_month_start(visit.visit_date)
        try:
            visit.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        assert visit.visit_date is not None  # validate() requires it
        if visit.visit_date > date.today():
            raise InvalidInput("核查日期不能晚于今天。", field="visit_date")

    def for_household(self, household_id: str, kind: str | None = None) -> list[Visit]:
        """The household's visits, newest first; only those of ``kind`` when given."""
        where, params = "household_id = ?", [household_id]
        if kind is not None:
            where, params = where + " AND kind = ?", [*params, kind]
        return self.store.repo(Visit).where(where, tuple(params), order="visit_date DESC, updated_at DESC")

    def count_by_kind(self, month: str) -> dict[str, int]:
        """How many visits of each kind are dated in ``month`` (every kind listed, zero or not)."""
        start, end = months.iso_bounds(month)
        counts = dict.fromkeys(Visit.KINDS, 0)
        rows = self.db.query(
            "SELECT kind, count(*) FROM visits WHERE deleted = 0 AND visit_date >= ? AND visit_date < ? GROUP BY kind",
            (start, end),
        )
        counts.update(dict(rows))
        return counts

    def due(self, month: str) -> list[DueHousehold]:
        """Households under watch with no visit yet in ``month``, the overdue and riskiest first."""
        start, end = months.iso_bounds(month)
        prev_start, _ = months.iso_bounds(months.previous(month))
        names = village_names(self.db)
        rows = self.db.query(
            "SELECT h.id, h.village_code, h.head_name, h.risk_level, "
            "(SELECT max(visit_date) FROM visits v WHERE v.household_id = h.id AND v.deleted = 0 "
            " AND v.visit_date < ?) AS last "
            "FROM households h WHERE h.deleted = 0 AND h.archived = 0 AND h.under_watch = 1 "
            "AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.deleted = 0 "
            "AND v.visit_date >= ? AND v.visit_date < ?)",
            (end, start, end),
        )
        due = [
            DueHousehold(hid, names.get(v, v), head, risk, last or "", not last or last < prev_start)
            for hid, v, head, risk, last in rows
        ]
        due.sort(key=lambda d: (not d.overdue, -d.risk_level, d.village, d.head_name))
        return due

    def progress(self, month: str) -> tuple[int, int]:
        """(visited, due in total) for the month."""
        start, end = months.iso_bounds(month)
        total = self.db.scalar("SELECT count(*) FROM households WHERE deleted = 0 AND archived = 0 AND under_watch = 1")
        done = self.db.scalar(
            "SELECT count(DISTINCT v.household_id) FROM visits v JOIN households h "
            "ON h.id = v.household_id WHERE v.deleted = 0 AND h.deleted = 0 AND h.archived = 0 "
            "AND h.under_watch = 1 AND v.visit_date >= ? AND v.visit_date < ?",
            (start, end),
        )
        return done, total
