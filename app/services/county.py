"""The county's view of its townships (county mode, issue 10 point 4): who sent what and when,
how many households and persons each supports, whether its month is closed, and its overdue visits.

Everything here is read from what the townships' packages brought in: the rows keep the
township's office code as ``owner_office``, and the package history is in ``packages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain import months as month_math
from ..domain.deadline import package_overdue
from ..domain.workflow import IN_FORCE
from .base import Service

PROGRAMMES = ("低保", "特困")


@dataclass
class TownshipStatus:
    code: str  # 12-digit office code
    name: str
    last_package_at: str = ""  # ISO time the newest package from it was applied; "" when none
    packages: int = 0
    package_overdue: bool = True
    households: int = 0
    supported: dict[str, tuple[int, int]] = field(default_factory=dict)  # programme -> (households, persons)
    month_closed_on: str = ""  # "" while the month is open
    overdue_visits: int = 0
    open_quarantine: int = 0


@dataclass
class CountyOverview:
    month: str
    townships: list[TownshipStatus]

    @property
    def late(self) -> list[TownshipStatus]:
        return [t for t in self.townships if t.package_overdue]


class CountyService(Service):
    def township_names(self) -> list[tuple[str, str]]:
        """(12-digit code, name) of every township in the division table, in code order."""
        return [(c, n) for c, n in self.db.query("SELECT code, name FROM divisions WHERE level = 'town' ORDER BY code")]

    def overview(self, today: date | None = None) -> CountyOverview:
        today = today or date.today()
        month = month_math.of(today)
        rows: dict[str, TownshipStatus] = {
            code: TownshipStatus(code, name)
            for code, name in self.db.query("SELECT code, name FROM divisions WHERE level = 'town' ORDER BY code")
        }

        def town(code: str) -> TownshipStatus:
            if code not in rows:
                rows[code] = TownshipStatus(code, code)
            return rows[code]

        for peer, n, last in self.db.query(
            "SELECT peer_code, count(*), max(handled_at) FROM packages WHERE direction = 'in' GROUP BY peer_code"
        ):
            t = town(peer)
            t.packages, t.last_package_at = n, last or ""
        for t in rows.values():
            t.package_overdue = package_overdue(
                date.fromisoformat(t.last_package_at[:10]) if t.last_package_at else None, today
            )
        for code, n in self.db.query(
            "SELECT substr(village_code, 1, 9) || '000', count(*) FROM households "
            "WHERE deleted = 0 AND archived = 0 GROUP BY 1"
        ):
            town(code).households = n
        marks = ",".join("?" for _ in IN_FORCE)
        for code, programme, households, persons in self.db.query(
            "SELECT substr(h.village_code, 1, 9) || '000', e.programme, count(DISTINCT e.household_id), "
            "sum(e.persons_covered) FROM enrolments e JOIN households h ON h.id = e.household_id "
            f"WHERE e.deleted = 0 AND h.deleted = 0 AND e.status IN ({marks}) GROUP BY 1, 2",
            tuple(s.value for s in IN_FORCE),
        ):
            if programme in PROGRAMMES:
                town(code).supported[programme] = (households, persons or 0)
        for owner, closed_on in self.db.query(
            "SELECT owner_office, max(closed_on) FROM month_closes WHERE deleted = 0 AND month = ? "
            "AND closed_on IS NOT NULL GROUP BY owner_office",
            (month,),
        ):
            town(owner).month_closed_on = closed_on or ""
        # Overdue as on the dashboard: under watch, visited neither this month nor the one before.
        since, _ = month_math.iso_bounds(month_math.previous(month))
        for code, n in self.db.query(
            "SELECT substr(h.village_code, 1, 9) || '000', count(*) FROM households h "
            "WHERE h.deleted = 0 AND h.archived = 0 AND h.under_watch = 1 AND NOT EXISTS ("
            "SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.deleted = 0 AND v.visit_date >= ?) GROUP BY 1",
            (since,),
        ):
            town(code).overdue_visits = n
        if self.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'quarantine'"):
            for peer, n in self.db.query(
                "SELECT peer_code, count(*) FROM quarantine WHERE resolved_at IS NULL GROUP BY peer_code"
            ):
                town(peer).open_quarantine = n
        return CountyOverview(month, [rows[c] for c in sorted(rows)])
