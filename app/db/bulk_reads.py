"""Pausing the cyclic garbage collector while a county's register is read into memory (the monthly
rules, the roster, a package's rows).

The monthly rules and the roster build several hundred thousand small objects that all live
until the work is done. Python's collector is triggered by allocations, so it re-scans that
growing heap again and again, about a fifth of the run on county-L, to find no cycles: the
rows and rule inputs hold none. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it as it was (nested use is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def group_by(rows: Iterable[T], attr: str) -> dict[Any, list[T]]:
    """*rows* in lists by the value of *attr* (a register read in one query, then split per household)."""
    out: dict[Any, list[T]] = {}
    for r in rows:
        out.setdefault(getattr(r, attr), []).append(r)
    return out


def visit_dates(db: Any, start: str, end: str) -> Any:
    """A cursor of (household id, visit date) for the living visits dated in [start, end).

    One sequential pass over the visits' base table (``NOT INDEXED``): on county-L the date index
    costs a random row read per visit, about five times slower than reading straight through. A
    hint on the ``visits`` view no longer steers the plan (m0013), so the base table is read here.
    """
    return db.execute(
        "SELECT h.id, v.visit_date FROM visits_rows v NOT INDEXED CROSS JOIN households_rows h "
        "ON h.rid = v.household_rid WHERE v.deleted = 0 AND v.visit_date >= ? AND v.visit_date < ?",
        (start, end),
    )
