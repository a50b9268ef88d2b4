"""The UUID columns the office file keeps as their row's number (m0013), and the check every writer
from outside the program makes before handing one over.

A key kept as a row number must name a row this office holds: one that names nothing has no number
to become, and the view's trigger refuses the whole write. Rows that came in a package are checked
first, so that only the row that names nothing is quarantined, not the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .database import Database
from .migrations.m0013_integer_keys import KEYS
from .sync_rows import existing_ids

ROW_KEYS: Mapping[str, Mapping[str, str]] = KEYS


def unheld(db: Database, table: str, values: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """column -> the non-empty values among *values[column]* that name no held row of its parent
    table, for the columns of *table* kept as row numbers."""
    out: dict[str, set[str]] = {}
    for column, parent in ROW_KEYS.get(table, {}).items():
        wanted = {v for v in values.get(column, ()) if v}
        if wanted:
            missing = wanted - existing_ids(db, parent, wanted)
            if missing:
                out[column] = missing
    return out
