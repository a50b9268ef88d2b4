"""Map the domain dataclasses to rows and back, one generic repository per entity.

Lists and dicts are stored as JSON, dates as ISO text, booleans as 0/1, money as integer
fen. The column order is the dataclass field order, so adding a field means
adding a column in a migration and nothing else here.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Generic, TypeVar

from ..domain.entities import Syncable
from .database import Database, Params

T = TypeVar("T", bound=Syncable)

Columns = tuple[tuple[str, str], ...]
Readers = tuple[tuple[str, Callable[[Any], Any] | None], ...]

# Built once per class and kept (as lru_cache did): a plain dict, because the entity
# dataclasses set __hash__ = None and so do not type-check as lru_cache's Hashable keys.
_COLUMNS: dict[type[Syncable], Columns] = {}
_READERS: dict[type[Syncable], Readers] = {}


def _columns(cls: type[Syncable]) -> Columns:
    """(field name, kind) where kind is one of str/int/bool/date/list/dict."""
    cached = _COLUMNS.get(cls)
    if cached is None:
        cached = _COLUMNS[cls] = _find_columns(cls)
    return cached


def _find_columns(cls: type[Syncable]) -> Columns:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint)
        if hint is bool:
            kind = "bool"
        elif hint is int:
            kind = "int"
        elif hint is date or date in args:
            kind = "date"
        elif typing.get_origin(hint) is list:
            kind = "list"
        elif typing.get_origin(hint) is dict:
            kind = "dict"
        else:
            kind = "str"
        out.append((f.name, kind))
    return tuple(out)


def to_row(obj: Syncable) -> tuple[Any, ...]:
    values: list[Any] = []
    for name, kind in _columns(type(obj)):
        value = getattr(obj, name)
        if kind == "bool":
            value = 1 if value else 0
        elif kind == "date":
            value = value.isoformat() if value else None
        elif kind == "list":
            value = json.dumps(list(value), ensure_ascii=False)
        elif kind == "dict":
            value = json.dumps(dict(value), ensure_ascii=False, sort_keys=True)
        values.append(value)
    return tuple(values)


def _to_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _to_list(value: str | None) -> list[Any]:
    return json.loads(value) if value and value != "[]" else []


def _to_dict(value: str | None) -> dict[str, Any]:
    return json.loads(value) if value and value != "{}" else {}


_CONVERT: dict[str, Callable[[Any], Any]] = {"bool": bool, "date": _to_date, "list": _to_list, "dict": _to_dict}


def _readers(cls: type[Syncable]) -> Readers:
    """Per column: (name, converter or None); built once per class, since rows are read by the 100,000."""
    cached = _READERS.get(cls)
    if cached is None:
        cached = _READERS[cls] = tuple((name, _CONVERT.get(kind)) for name, kind in _columns(cls))
    return cached


def from_row(cls: type[T], row: Iterable[Any]) -> T:
    # The columns are in field order (see _find_columns), so the dataclass is built positionally.
    return cls(
        *[conv(value) if conv is not None else value for (_name, conv), value in zip(_readers(cls), row, strict=True)]
    )


def to_dict(obj: Syncable) -> dict[str, Any]:
    """JSON-ready dict of an entity (dates as ISO text), for audit details and packages."""
    out: dict[str, Any] = {}
    for (name, kind), value in zip(_columns(type(obj)), to_row(obj), strict=True):
        out[name] = json.loads(value) if kind in ("list", "dict") else (bool(value) if kind == "bool" else value)
    return out


def upsert_sql(table: str, names: list[str]) -> str:
    """Insert or update a row by id. The table is a view over its base table (m0013): the view's
    INSERT trigger turns the UUID keys into row numbers and upserts by id."""
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"


class Repository(Generic[T]):
    def __init__(self, db: Database, cls: type[T]) -> None:
        self.db = db
        self.cls = cls
        self.table = cls.TABLE
        self.names = [name for name, _ in _columns(cls)]
        self._select = f"SELECT {', '.join(self.names)} FROM {self.table}"
        self._upsert = upsert_sql(self.table, self.names)

    def get(self, row_id: str) -> T | None:
        row = self.db.execute(f"{self._select} WHERE id = ?", (row_id,)).fetchone()
        return from_row(self.cls, row) if row else None

    def where(self, clause: str = "1", params: Params = (), order: str = "") -> list[T]:
        sql = f"{self._select} WHERE deleted = 0 AND ({clause})" + (f" ORDER BY {order}" if order else "")
        return [from_row(self.cls, r) for r in self.db.execute(sql, params)]

    def upsert(self, obj: T) -> None:
        self.db.execute(self._upsert, to_row(obj))

    def upsert_many(self, objs: Iterable[T]) -> None:
        self.upsert_rows(to_row(o) for o in objs)

    def upsert_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows already turned into column values (:func:`to_row`), in field order."""
        self.db.executemany(self._upsert, rows)
