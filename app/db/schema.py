"""Apply the numbered migrations, each in its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import DatabaseCorrupt
from .database import Database
from .migrations import MIGRATIONS


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
    for number, sql in MIGRATIONS:
        if number <= version or number > goal:
            continue
        with db.transaction():
            # executescript would COMMIT our transaction; run statement by statement instead.
            for statement in _statements(sql):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        applied += 1
    return applied


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
