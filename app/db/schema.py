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


def migrate(db: Database, before_upgrade: Callable[[int, int], None] | None = None) -> int:
    """Bring the schema up to date; returns the number of migrations applied.

    ``before_upgrade(stored, latest)`` is called once, before the first step, when a database made
    by an older program is upgraded (not when a new, empty one is built): a newer program backs
    the office up before it changes its schema, and an exception from it leaves the file untouched.
    """
    version = current_version(db)
    if version > latest_version():
        raise DatabaseCorrupt(f"数据库的结构版本 {version} 比本程序新（{latest_version()}）；请升级兜底。")
    if before_upgrade is not None and 0 < version < latest_version():
        before_upgrade(version, latest_version())
    applied = 0
    for number, sql in MIGRATIONS:
        if number <= version:
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
