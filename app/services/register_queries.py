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
from dataclasses import dataclass

from . import permissions
from .base import Service
from .households import HouseholdQuery

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


class RegisterQueries(Service):
    def ids(self, q: HouseholdQuery, order: str = "village", descending: bool = False) -> IdsResult:
        where, params = self.s.households._where(dataclasses.replace(q, text=""))
        capped = False
        text = q.text.strip()
        if text:
            matched, capped = self.s.search_index.households(
                self.db, text, SEARCH_CAP, full_ids=self.s.can(permissions.VIEW_FULL_ID)
            )
            if not matched:
                return IdsResult([], False)
            where += " AND h.id IN (SELECT value FROM json_each(?))"
            params = [*params, json.dumps(matched)]
        direction = "DESC" if descending else "ASC"
        order_sql = ORDERS.get(order, ORDERS["village"]).format(d=direction)
        # With a search, look the few matched households up by primary key and sort them; without
        # one, let the planner walk a covering index in list order.
        hint = "INDEXED BY sqlite_autoindex_households_1 " if text else ""
        ids = [
            r[0]
            for r in self.db.execute(f"SELECT h.id FROM households h {hint}WHERE {where} ORDER BY {order_sql}", params)
        ]
        return IdsResult(ids, capped)

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
