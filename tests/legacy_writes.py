"""Writing as a program from before m0013 did, for tests that build an office with an older schema
through today's store (the tables were plain tables then, and the change log named rows by UUID)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from app.db import repository, store


def _upsert(table: str, names: list[str]) -> str:
    return (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
        "ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    )


def _log_entry(_table: str) -> str:
    return "INSERT INTO change_log(entity, row_id, updated_at, op, content_hash) VALUES (?, ?, ?, ?, ?)"


@contextlib.contextmanager
def written_before_integer_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as older:
        older.setattr(repository, "upsert_sql", _upsert)
        older.setattr(store, "_log_entry", _log_entry)
        older.setattr(store, "LAST_ENTRY", "SELECT max(seq) FROM change_log")
        yield
