"""Apply the numbered migrations, each in its own transaction."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import DatabaseCorrupt
from .database import Database
from .migrations import MIGRATIONS, REBUILDS, Planned

log = logging.getLogger(__name__)

# meta key: a rebuild's space is still to be reclaimed (VACUUM)
COMPACT_PENDING = "compact_pending"


def current_version(db: Database) -> int:
    return int(db.scalar("PRAGMA user_version"))


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def newer_database_message(version: int) -> str:
    """The one sentence an older program says about a database made by a newer one."""
    return (
        f"此数据库由较新版本的兜底创建（数据库版本 {version}，本程序支持到 {latest_version()}），请升级程序后再打开。"
    )


def migrate(
    db: Database, before_upgrade: Callable[[int, int], object] | None = None, *, target: int | None = None
) -> int:
    """Bring the schema up to date (or up to *target*); returns the number of migrations applied.

    ``before_upgrade(stored, latest)`` is called once, before the first step, when a database made
    by an older program is upgraded (not when a new, empty one is built): a newer program backs
    the office up before it changes its schema, and an exception from it leaves the file untouched.
    A database newer than this program is refused before anything is written to it.

    *target* builds the database an earlier program would have made (the upgrade tests do); the
    program itself always migrates to the latest version.
    """
    version = current_version(db)
    if version > latest_version():
        raise DatabaseCorrupt(newer_database_message(version))
    goal = latest_version() if target is None else target
    if before_upgrade is not None and 0 < version < goal:
        before_upgrade(version, goal)
    applied = 0
    for number, step in MIGRATIONS:
        if number <= version or number > goal:
            continue
        with db.transaction():
            # executescript would COMMIT our transaction; run statement by statement instead.
            for statement in statements_of(step, db.query):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
            if number in REBUILDS and version > 0:
                # Committed with the rebuild: a VACUUM cut off by a crash or a full disk is done at
                # the next opening (a new, empty database has nothing to reclaim).
                db.execute(f"INSERT OR REPLACE INTO meta(key, value) VALUES ('{COMPACT_PENDING}', '1')")
        applied += 1
    if db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'meta'") and db.scalar(
        f"SELECT value FROM meta WHERE key = '{COMPACT_PENDING}'"
    ):
        _reclaim(db)
    return applied


def statements_of(step: str | Planned, query: Callable[[str], Iterable[tuple[Any, ...]]]) -> Iterator[str]:
    """A migration's statements: split from its script, or planned from the schema *query* reads."""
    if isinstance(step, str):
        yield from _statements(step)
    else:
        yield from step(query)


def _reclaim(db: Database) -> None:
    """VACUUM after a migration that rebuilt the tables (it cannot run inside the transaction).

    VACUUM writes a copy of the file beside it: without room for that, the office stays as it is
    (correct, only larger), and the mark left in ``meta`` has it tried again at the next opening.
    """
    size = db.path.stat().st_size
    if shutil.disk_usage(db.path.parent).free < 2 * size:
        log.warning(
            "not enough free disk space to compact the database after the upgrade; tried again at the next opening"
        )
        return
    db.execute("VACUUM")
    db.execute(f"DELETE FROM meta WHERE key = '{COMPACT_PENDING}'")


def _statements(sql: str) -> Iterator[str]:
    """Split a script on ';' at statement ends, keeping trigger bodies whole."""
    import sqlcipher3

    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlcipher3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()
