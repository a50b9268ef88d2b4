"""Reading what sync needs from the logs, generic over every syncable table.

A package carries the newest state of every row that changed after the receiver's
acknowledgement, and the audit entries that followed it (docs/exchange.md). These helpers read
exactly that, and turn a row as a package carries it (a JSON object) back into its entity.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.entities import SYNCABLE_TYPES, Syncable
from .database import Database
from .repository import _columns, from_row, to_dict

# Change-log entries that are this office's own changes (baseline re-hashes and rows received
# from other offices are not).
OWN_OPS = ("insert", "update", "delete")
_CHUNK = 500

TYPES_BY_TABLE: dict[str, type[Syncable]] = {cls.TABLE: cls for cls in SYNCABLE_TYPES}


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    username: str
    action: str
    entity: str
    row_id: str
    detail: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "username": self.username,
            "action": self.action,
            "entity": self.entity,
            "row_id": self.row_id,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def last_change_seq(db: Database) -> int:
    return int(db.scalar("SELECT coalesce(max(seq), 0) FROM change_log") or 0)


def last_audit_seq(db: Database) -> int:
    return int(db.scalar("SELECT coalesce(max(seq), 0) FROM audit_log") or 0)


def count_own_changes(db: Database, after_seq: int, tables: Iterable[str]) -> int:
    """Own change-log entries after *after_seq* in *tables* (what a peer has not acknowledged).

    The ``op IN`` term is spelled as in the partial index ``change_log_own`` (m0007), so the count
    reads that index and never the townships' received rows at the county.
    """
    names = sorted(tables)
    marks = ",".join("?" for _ in names)
    return int(
        db.scalar(
            "SELECT count(*) FROM change_log WHERE seq > ? AND op IN ('insert', 'update', 'delete') "
            f"AND +entity IN ({marks})",  # unary plus: not by the (entity, row_id) index
            (after_seq, *names),
        )
        or 0
    )


def changed_rows(
    db: Database, after_seq: int, upto_seq: int, owner: str, tables: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The newest state (tombstones included) of every row of *tables* owned by *owner* that has an
    own change-log entry in (after_seq, upto_seq], as JSON-ready dicts, by table."""
    wanted = set(tables) & set(TYPES_BY_TABLE)
    ids: dict[str, set[str]] = {}
    ops = ",".join("?" for _ in OWN_OPS)
    for entity, row_id in db.execute(
        f"SELECT DISTINCT entity, row_id FROM change_log WHERE seq > ? AND seq <= ? AND op IN ({ops})",
        (after_seq, upto_seq, *OWN_OPS),
    ):
        if entity in wanted:
            ids.setdefault(entity, set()).add(row_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in sorted(ids):
        cls = TYPES_BY_TABLE[table]
        rows = [to_dict(obj) for obj in rows_by_id(db, cls, sorted(ids[table])) if obj.owner_office == owner]
        if rows:
            out[table] = rows
    return out


def rows_by_id(db: Database, cls: type[Syncable], ids: list[str]) -> Iterator[Syncable]:
    names = [name for name, _ in _columns(cls)]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" for _ in chunk)
        for row in db.execute(f"SELECT {', '.join(names)} FROM {cls.TABLE} WHERE id IN ({marks})", tuple(chunk)):
            yield from_row(cls, row)


def stored_versions(db: Database, table: str, ids: list[str]) -> dict[str, Syncable]:
    """id -> the held row, for the rows among *ids* that this office holds."""
    return {obj.id: obj for obj in rows_by_id(db, TYPES_BY_TABLE[table], ids)}


def row_stamps(db: Database, table: str, ids: Iterable[str]) -> dict[str, set[str]]:
    """id -> every ``updated_at`` known for that row: the versions this office wrote or received
    (change log), and the earlier versions their senders listed (``known_versions``)."""
    wanted = sorted(set(ids))
    out: dict[str, set[str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" for _ in chunk)
        for row_id, stamp in db.execute(
            f"SELECT row_id, updated_at FROM change_log WHERE entity = ? AND row_id IN ({marks}) "
            f"UNION SELECT row_id, updated_at FROM known_versions WHERE entity = ? AND row_id IN ({marks})",
            (table, *chunk, table, *chunk),
        ):
            out.setdefault(row_id, set()).add(stamp)
    return out


def existing_ids(db: Database, table: str, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" for _ in chunk)
        found.update(r[0] for r in db.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", tuple(chunk)))
    return found


def row_from_dict(cls: type[Syncable], data: dict[str, Any]) -> Syncable:
    """The entity a package's JSON object describes; ValueError when a field is missing or of the wrong shape."""
    values: dict[str, Any] = {}
    nullable = _nullable(cls)
    for name, kind in _columns(cls):
        if name not in data:
            raise ValueError(f"缺少字段 {name}")
        value = data[name]
        if value is None:
            if name not in nullable:
                raise ValueError(f"字段 {name} 不能为空")
        elif kind in ("list", "dict"):
            if not isinstance(value, list if kind == "list" else dict):
                raise ValueError(f"字段 {name} 的类型不对")
            value = json.loads(json.dumps(value)) if _nested(value) else type(value)(value)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"字段 {name} 应为真或假")
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"字段 {name} 应为整数")
        elif not isinstance(value, str):
            raise ValueError(f"字段 {name} 应为文字")
        elif kind == "date":
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"字段 {name} 不是日期") from None
        values[name] = value
    if len(values) != len(data):
        extra = set(data) - set(values)
        raise ValueError(f"有本程序不认识的字段 {', '.join(sorted(extra))}")
    return cls(**values)


def _nested(value: list[Any] | dict[str, Any]) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, (list, dict)) for v in items)


_NULLABLE: dict[type[Syncable], frozenset[str]] = {}


def _nullable(cls: type[Syncable]) -> frozenset[str]:
    """The fields declared ``X | None`` (a NULL anywhere else would abort the whole import)."""
    if cls not in _NULLABLE:
        hints = typing.get_type_hints(cls)
        _NULLABLE[cls] = frozenset(n for n, _ in _columns(cls) if type(None) in typing.get_args(hints[n]))
    return _NULLABLE[cls]


def audit_after(db: Database, after_seq: int) -> list[AuditRow]:
    return [
        AuditRow(*row)
        for row in db.execute(
            "SELECT seq, at, username, action, entity, row_id, detail, prev_hash, hash FROM audit_log "
            "WHERE seq > ? ORDER BY seq",
            (after_seq,),
        )
    ]


def owned_row_keys(
    db: Database,
    owner: str,
    tables: Iterable[str],
    *,
    township: str | None = None,
    addressed: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, str, str, int]]:
    """(table, id, updated_at, deleted) of every row of *tables* that *owner* owns; with *township*,
    only those of the tables that carry a ``township_code`` (*addressed*) that are about it."""
    for table in sorted(set(tables) & set(TYPES_BY_TABLE)):
        where = "owner_office = ?"
        params: tuple[str, ...] = (owner,)
        if township is not None and table in addressed:
            where += " AND township_code = ?"
            params = (owner, township)
        for row_id, updated_at, deleted in db.execute(
            f"SELECT id, updated_at, deleted FROM {table} WHERE {where}", params
        ):
            yield table, row_id, updated_at, int(deleted)


def owners(db: Database, tables: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for table in sorted(set(tables) & set(TYPES_BY_TABLE)):
        found.update(r[0] for r in db.execute(f"SELECT DISTINCT owner_office FROM {table}"))
    return found
