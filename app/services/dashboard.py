"""The dashboard's numbers: who is in the register, this month's visits, the 25th.

Read-only SQL through the session's database (or a worker thread's own connection);
no Qt. The UI builds one :class:`DashboardService` per load and calls :meth:`summary`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..db import bulk_reads
from ..domain import months as month_math
from ..domain.deadline import days_until_deadline, deadline_for
from .backup import backup_stale, last_backup
from .base import Service
from .households import village_names

SERIES_MONTHS = 12

# The categories the dashboard always shows (in this order), even at zero.
MAIN_CATEGORIES = ("低保", "特困", "监测户", "脱贫户", "低收入", "低保边缘", "刚性支出困难", "临时救助")


@dataclass
class VillageCount:
    code: str
    name: str
    households: int  # active (not archived) households
    under_watch: int  # visited every month
    visited: int  # of those, visited in the month


@dataclass
class MonthVisits:
    month: str  # YYYY-MM
    done: int  # households under watch today that were visited that month
    due: int  # households under watch today (the register keeps no history of it)


@dataclass
class DashboardSummary:
    month: str
    households: int
    under_watch: int
    categories: list[tuple[str, int]]
    villages: list[VillageCount]
    visits_done: int
    visits_due: int
    overdue: int  # under watch, not visited this month nor last month
    series: list[MonthVisits] = field(default_factory=list)
    unsent_changes: int = 0
    deadline: date | None = None
    days_left: int = 0  # negative: this month's close is overdue by that many days
    month_closed: bool = False
    last_backup: datetime | None = None  # None: this office was never backed up on this PC
    backup_stale: bool = False  # no backup for more than 7 days: the page warns
    # A PC that joined its office and has no household yet: the register comes with the first PC's package.
    awaiting_register: bool = False


def months_back(month: str, n: int) -> list[str]:
    """The *n* months ending with *month*, oldest first."""
    return month_math.back(month, n)


_ACTIVE = "h.deleted = 0 AND h.archived = 0"


class DashboardService(Service):
    def unsent_changes(self) -> int:
        """This office's own changes that a trusted peer has not acknowledged yet (docs/exchange.md).

        Counted after the lowest acknowledgement among the unrevoked peers (every peer gets the
        office's rows), over the tables this office's kind sends; rows received from other offices,
        content re-baselines and the local users do not count.
        """
        from ..db.sync_rows import count_own_changes
        from ..domain import ownership

        # Per card (PC) since m0012; this office's own other PCs are not reported to (docs/exchange.md
        # §Two PCs in one office: each PC reports its own changes to the county).
        acked = self.db.scalar(
            "SELECT min(c.acked_change_seq) FROM channels c JOIN peers p ON p.fingerprint = c.peer_fingerprint "
            "WHERE p.revoked_at IS NULL AND p.office_code != ?",
            (self.s.office.code,),
        )
        return count_own_changes(self.db, int(acked or 0), ownership.tables_owned_by(self.s.office.kind))

    def _households(self) -> list[tuple[str, str, int, str]]:
        """(id, village code, under watch, categories JSON) of every active household: one scan."""
        return self.db.query(
            f"SELECT h.id, h.village_code, h.under_watch, h.categories FROM households h WHERE {_ACTIVE}"
        )

    def _visited_months(self, first_month: str, last_month: str) -> dict[str, set[str]]:
        """household id -> the months (YYYY-MM) it was visited in, between the two months.

        One sequential scan of the visits table (``bulk_reads.visit_dates`` says why).
        """
        start, _ = month_math.iso_bounds(first_month)
        _, end = month_math.iso_bounds(last_month)
        out: dict[str, set[str]] = {}
        cur = bulk_reads.visit_dates(self.db, start, end)
        while rows := cur.fetchmany(5000):
            for hid, day in rows:
                months = out.get(hid)
                if months is None:
                    months = out[hid] = set()
                months.add(day[:7])
        return out

    def summary(self, month: str | None = None, today: date | None = None) -> DashboardSummary:
        today = today or date.today()
        month = month or month_math.of(today)
        # The deadline is about the current month's close, whichever month the page shows.
        closed = self.s.monthly_close.closed(month_math.of(today)) is not None
        prev = month_math.previous(month)
        months = months_back(month, SERIES_MONTHS)
        households = self._households()
        visited = self._visited_months(months[0], month)
        names = village_names(self.db)
        last_at = last_backup(self.s.paths.data_dir)
        last = last_at[0] if last_at else None
        now = datetime.now() if today == date.today() else datetime.combine(today, time(12))

        categories: dict[str, int] = dict.fromkeys(MAIN_CATEGORIES, 0)
        villages: dict[str, VillageCount] = {}
        done_by_month = dict.fromkeys(months, 0)
        watched = overdue = 0
        parsed: dict[str, set[str]] = {}  # a few dozen distinct category lists among 40,000 rows
        for hid, village, under_watch, cats in households:
            cat_set = parsed.get(cats)
            if cat_set is None:
                cat_set = parsed[cats] = set(json.loads(cats or "[]"))
            for c in cat_set:
                categories[c] = categories.get(c, 0) + 1
            vc = villages.get(village)
            if vc is None:
                vc = villages[village] = VillageCount(village, names.get(village, village), 0, 0, 0)
            vc.households += 1
            if not under_watch:
                continue
            watched += 1
            vc.under_watch += 1
            seen = visited.get(hid, ())
            for m in seen:
                done_by_month[m] += 1
            if month in seen:
                vc.visited += 1
            elif prev not in seen:
                overdue += 1

        main = [(c, categories.pop(c)) for c in MAIN_CATEGORIES]
        rest = sorted(categories.items(), key=lambda cn: (-cn[1], cn[0]))
        return DashboardSummary(
            month=month,
            households=len(households),
            under_watch=watched,
            categories=main + rest,
            villages=[villages[code] for code in sorted(villages)],
            visits_done=done_by_month[month],
            visits_due=watched,
            overdue=overdue,
            series=[MonthVisits(m, done_by_month[m], watched) for m in months],
            unsent_changes=self.unsent_changes(),
            deadline=deadline_for(today, closed),
            days_left=days_until_deadline(today, closed),
            month_closed=closed,
            last_backup=last,
            backup_stale=backup_stale(last, now),
            awaiting_register=not households and self.store.node != self.s.office.code,
        )
