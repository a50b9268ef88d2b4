"""Numbered schema migrations, applied in order at open (``PRAGMA user_version`` holds the number).

Add a migration by adding ``mNNNN_<what>.py`` with a ``SQL`` string and listing it
below; never edit one that has shipped. A migration whose statements depend on the shape it
finds (m0013 rebuilds every register table) is a function from a query to its statements.
A migration that adds a column to a register table changes every row's content hash
(docs/integrity.md): it must also owe a new baseline: list the table in the
``content_rebaseline`` mark, as m0005 does. Since m0013 a register table is a view over its
base table ``X_rows``: a new column goes into the base table and the view is made again.
"""

from collections.abc import Callable, Iterable
from typing import Any

from . import (
    m0001_initial,
    m0002_search,
    m0003_programmes,
    m0004_content_hash,
    m0005_visit_kind,
    m0006_attachments,
    m0007_exchange,
    m0008_county_work,
    m0009_decisions_applied,
    m0010_handovers,
    m0011_comparison,
    m0012_replicas,
    m0013_integer_keys,
)

# A query of the database being migrated -> that migration's statements, in order.
Planned = Callable[[Callable[[str], Iterable[tuple[Any, ...]]]], list[str]]

MIGRATIONS: list[tuple[int, str | Planned]] = [
    (1, m0001_initial.SQL),
    (2, m0002_search.SQL),
    (3, m0003_programmes.SQL),
    (4, m0004_content_hash.SQL),
    (5, m0005_visit_kind.SQL),
    (6, m0006_attachments.SQL),
    (7, m0007_exchange.SQL),
    (8, m0008_county_work.SQL),
    (9, m0009_decisions_applied.SQL),
    (10, m0010_handovers.SQL),
    (11, m0011_comparison.SQL),
    (12, m0012_replicas.SQL),
    (13, m0013_integer_keys.statements),
]

# Rebuilt every table: the space the old ones took is reclaimed (VACUUM) after an upgrade.
REBUILDS = frozenset({13})


def script(number: int) -> str:
    """The SQL of migration *number*, one written as a script (tests build old schemas from them)."""
    step = dict(MIGRATIONS)[number]
    if not isinstance(step, str):
        raise TypeError(f"migration {number} is planned from the schema it finds, not a script")
    return step
