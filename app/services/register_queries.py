"""Read queries for the register screen: search as you type, and sorting by any column.

The household service's filters (village, category, risk, overdue) are reused as they
are; this module adds

* the search-as-you-type match through the session's in-memory index of ``member_search``
  (app/services/search_index.py), stopping after :data:`SEARCH_CAP` matching people, since a
  clerk who typed one letter wants to keep typing, not to page through 20,000 households;
* ordering by every sortable column of the list, up or down, in the database.

It can run on a worker thread: pass a connection of that thread as ``db``
(``session.worker_db()``); nothing here writes.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from ..domain import idnumber
from . import permissions
from .base import Service
from .households import HouseholdQuery, village_names

SEARCH_CAP = 1000  # people matched by a search before we stop looking

ORDERS = {
    "village": "h.village_code {d}, h.head_name {d}",
    "head": "h.head_name {d}, h.village_code {d}",
    "risk": "h.risk_level {d}, h.village_code, h.head_name",
    "size": (
        "(SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0 "
        "AND m.deceased_on IS NULL) {d}, h.village_code, h.head_name"
    ),
    "categories": "h.categories {d}, h.village_code, h.head_name",
    "last_visit": (
        "(SELECT max(v.visit_date) FROM visits v WHERE v.household_id = h.id AND v.deleted = 0) {d}, "
        "h.village_code, h.head_name"
    ),
    "updated": "h.updated_at {d}",
}


@dataclass
class IdsResult:
    ids: list[str]
    capped: bool  # the search stopped at SEARCH_CAP people; there may be more
    # household id → names of the members the search matched (empty without a search)
    matched: dict[str, list[str]] = field(default_factory=dict)


class RegisterQueries(Service):
    def ids(self, q: HouseholdQuery, order: str = "village", descending: bool = False) -> IdsResult:
        where, params = self.s.households._where(dataclasses.replace(q, text=""))
        capped = False
        matched: dict[str, list[str]] = {}
        text = q.text.strip()
        if text:
            matched, capped = self.s.search_index.matches(
                self.db, text, SEARCH_CAP, full_ids=self.s.can(permissions.VIEW_FULL_ID)
            )
            if not matched:
                return IdsResult([], False)
        direction = "DESC" if descending else "ASC"
        order_sql = ORDERS.get(order, ORDERS["village"]).format(d=direction)
        # With a search, look the few matched households up by their UUID and sort them (CROSS JOIN
        # keeps that order of the loops); without one, let the planner walk a covering index in list order.
        source = "households h"
        if text:
            source = "json_each(?) j CROSS JOIN households h ON h.id = j.value"
            params = [json.dumps(list(matched)), *params]
        ids = [r[0] for r in self.db.execute(f"SELECT h.id FROM {source} WHERE {where} ORDER BY {order_sql}", params)]
        return IdsResult(ids, capped, {hid: matched[hid] for hid in ids} if matched else {})

    def find_people(self, text: str, limit: int = 20) -> list[tuple[str, str, str, str]]:
        """(household id, member name, masked-or-full ID, village) for a search-as-you-type box.

        The same people as ``HouseholdService.find_people`` (of households not archived), found
        through the in-memory index instead of a LIKE scan of ``members`` (250 ms on county-L).
        """
        full = self.s.can(permissions.VIEW_FULL_ID)
        # Archived households are left out afterwards, so ask for more than needed: they are few.
        want = limit * 2 + 10
        while True:
            people = self.s.search_index.people(self.db, text, want, full_ids=full)
            households = sorted({hid for hid, _n, _i in people})
            live: dict[str, str] = dict(
                self.db.query(
                    # by UUID: left to itself the planner walks every living household
                    "SELECT h.id, h.village_code FROM json_each(?) j CROSS JOIN households h ON h.id = j.value "
                    "WHERE h.archived = 0 AND h.deleted = 0",
                    (json.dumps(households),),
                )
            )
            found = [p for p in people if p[0] in live][:limit]
            if len(found) >= limit or len(people) < want:
                break
            want *= 4
        names = village_names(self.db)
        return [
            (hid, name, number if full else idnumber.mask(number), names.get(live[hid], live[hid]))
            for hid, name, number in found
        ]

    def export_rows(self, ids: list[str], batch: int = 500):
        """(village, head, head ID, size, categories, risk, last visit) for the Excel export, in ``ids`` order.

        ID numbers come masked or in full by the role, as in the list (:meth:`HouseholdService.rows`).
        """
        service = self.s.households
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            rows = service.rows(chunk)
            for hid in chunk:
                r = rows.get(hid)
                if r is not None:
                    yield r


def categories_text(categories) -> str:
    if isinstance(categories, str):
        categories = json.loads(categories or "[]")
    return "、".join(categories)
