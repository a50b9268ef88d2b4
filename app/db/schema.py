"""Apply the numbered migrations, each in its own transaction."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import DatabaseCorrupt
from .database import Database
from .migrations import MIGRATIONS


def current_version(db: Database) -> int:
    return int(db.scalar("PRAGMA user_version"))


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def migrate(db: Database) -> int:
    """Bring the schema up to date; returns the number of migrations applied."""
    version = current_version(db)
    if version > latest_version():
        raise DatabaseCorrupt(f"数据库的结构版本 {version} 比本程序新（{latest_version()}）；请升级兜底。")
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
