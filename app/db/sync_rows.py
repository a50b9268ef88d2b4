"""Reading what sync needs from the logs, generic over every syncable table.

A package carries the newest state of every row that changed after the receiver's
acknowledgement, and the audit entries that followed it (docs/exchange.md). These helpers read
exactly that, and turn a row as a package carries it (a JSON object) back into its entity.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from ..domain.entities import SYNCABLE_TYPES, Syncable
from .bulk_reads import gc_paused
from .database import Database
from .migrations.m0013_integer_keys import ENTITY_CODES
from .repository import _columns, from_row

# Change-log entries that are this office's own changes (baseline re-hashes and rows received
# from other offices are not).
OWN_OPS = ("insert", "update", "delete")
_CHUNK = 500
# Wanting at least a quarter of a table's rows (by rowid), scan it rather than look each row up.
_SCAN_FRACTION = 4

TYPES_BY_TABLE: dict[str, type[Syncable]] = {cls.TABLE: cls for cls in SYNCABLE_TYPES}

# What an SQLite INTEGER holds; a number outside it cannot come from any office's database.
SQLITE_MIN = -(2**63)
SQLITE_MAX = 2**63 - 1


def in_sqlite_range(value: int) -> bool:
    return SQLITE_MIN <= value <= SQLITE_MAX


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


@dataclass(frozen=True)
class RowTable:
    """One table's rows as stored (tuples, not dicts: a first package reads most of a register),
    with their columns sorted by name, the order canonical JSON writes an object's keys in."""

    table: str
    columns: tuple[tuple[str, str], ...]  # (name, kind), kinds as repository._columns gives them
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def index(self, name: str) -> int:
        return [n for n, _ in self.columns].index(name)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as a package carries them: what ``to_dict(from_row(row))`` gives."""
        names = [name for name, _ in self.columns]
        # Only the columns whose stored value is not already their JSON form are converted.
        converted = [(i, name, conv) for i, (name, kind) in enumerate(self.columns) if (conv := _JSON_FORM.get(kind))]
        out = []
        for row in self.rows:
            item = dict(zip(names, row))  # noqa: B905  (names are the SELECT's own columns)
            for i, name, conv in converted:
                item[name] = conv(row[i])
            out.append(item)
        return out

    def keep(self, wanted: Callable[[dict[str, Any]], bool]) -> RowTable:
        """The rows for which *wanted* (given the row as a dict) is true."""
        kept = [row for row, item in zip(self.rows, self.dicts()) if wanted(item)]  # noqa: B905
        return RowTable(self.table, self.columns, kept)


def changed_rows(
    db: Database, after_seq: int, upto_seq: int, owner: str, tables: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The newest state (tombstones included) of every row of *tables* owned by *owner* that has an
    own change-log entry in (after_seq, upto_seq], as JSON-ready dicts, by table."""
    with gc_paused():
        return {
            table: found.dicts() for table, found in changed_row_tables(db, after_seq, upto_seq, owner, tables).items()
        }


def changed_row_tables(
    db: Database, after_seq: int, upto_seq: int, owner: str, tables: Iterable[str]
) -> dict[str, RowTable]:
    """What :func:`changed_rows` reads, as stored tuples by table (sorted by id), for the export."""
    with gc_paused():
        return _changed_rows(db, after_seq, upto_seq, owner, tables)


def _changed_rows(
    db: Database, after_seq: int, upto_seq: int, owner: str, tables: Iterable[str]
) -> dict[str, RowTable]:
    wanted = set(tables) & set(TYPES_BY_TABLE)
    rids: dict[str, set[int]] = {table: set() for table in wanted}
    ops = ",".join("?" for _ in OWN_OPS)
    # Not SELECT DISTINCT: SQLite's temporary B-tree for it took longer than the read itself. The
    # base table, not the view: the rows are found by rid, and no UUID need be looked up per entry.
    by_code = {code: rids[table] for table, code in ENTITY_CODES.items() if table in rids}
    for code, row_rid in db.execute(
        f"SELECT entity_code, row_rid FROM change_log_rows WHERE seq > ? AND seq <= ? AND op IN ({ops})",
        (after_seq, upto_seq, *OWN_OPS),
    ):
        found = by_code.get(code)
        if found is not None:
            found.add(row_rid)
    out: dict[str, RowTable] = {}
    for table in sorted(rids):
        wanted_rids = rids.pop(table)  # let each table's keys go once read: a first package has most rows
        if not wanted_rids:
            continue
        rows = _row_tuples(db, TYPES_BY_TABLE[table], wanted_rids, owner, key="rid")
        if rows:
            out[table] = rows
    return out


def row_dicts(db: Database, cls: type[Syncable], ids: set[str]) -> list[dict[str, Any]]:
    """The held rows among *ids* as a package carries them, by id: what ``to_dict(from_row(row))``
    gives, straight from the stored values (a first package reads every row of the register, and
    building each entity only to take it apart again was most of an export's time)."""
    with gc_paused():
        return _row_tuples(db, cls, ids).dicts()


def _row_tuples(
    db: Database, cls: type[Syncable], ids: set[Any], owner: str | None = None, key: str = "id"
) -> RowTable:
    """The held rows among *ids* (UUIDs, or rids with ``key="rid"``), sorted by id."""
    columns = tuple(sorted(_columns(cls)))
    names = [name for name, _ in columns]
    by = len(names)  # the key is read as one more column, after the row's own
    select = f"SELECT {', '.join(names)}, {key} FROM {cls.TABLE}"
    mine, mine_args = (" AND owner_office = ?", (owner,)) if owner is not None else ("", ())
    found: list[tuple[Any, ...]]
    if len(ids) * _SCAN_FRACTION >= max_rid(db, cls.TABLE):
        # Most of the table: one pass over it is cheaper than a keyed look-up per row.
        where = " WHERE owner_office = ?" if owner is not None else ""
        found = [row[:by] for row in db.execute(select + where, mine_args) if row[by] in ids]
    else:
        found = []
        wanted = sorted(ids)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" for _ in chunk)
            found.extend(
                row[:by] for row in db.execute(f"{select} WHERE {key} IN ({marks}){mine}", (*chunk, *mine_args))
            )
    found.sort(key=itemgetter(names.index("id")))
    return RowTable(cls.TABLE, columns, found)


def max_rid(db: Database, table: str) -> int:
    """The highest row number of a syncable table (about its size: rows are rarely removed)."""
    return int(db.scalar(f"SELECT coalesce(max(rid), 0) FROM {table}_rows") or 0)


def _json_list(value: str | None) -> list[Any]:
    return json.loads(value) if value and value != "[]" else []


def _json_dict(value: str | None) -> dict[str, Any]:
    return json.loads(value) if value and value != "{}" else {}


def _date_text(value: str | None) -> str | None:
    return value or None  # stored as ISO text already (repository.to_row)


# Stored value -> its JSON form, per column kind (the others are stored as they travel).
_JSON_FORM: dict[str, Callable[[Any], Any]] = {"bool": bool, "date": _date_text, "list": _json_list, "dict": _json_dict}


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
        # The change log names its row by rid: joined to the base table, found by the (entity, row_rid) index.
        for row_id, stamp in db.execute(
            f"SELECT x.id, c.updated_at FROM {table}_rows x JOIN change_log_rows c "
            f"ON c.entity_code = ? AND c.row_rid = x.rid WHERE x.id IN ({marks}) "
            f"UNION SELECT row_id, updated_at FROM known_versions WHERE entity = ? AND row_id IN ({marks})",
            (ENTITY_CODES[table], *chunk, table, *chunk),
        ):
            out.setdefault(row_id, set()).add(stamp)
    return out


def earlier_stamps(db: Database, current: dict[str, dict[str, str]]) -> dict[str, dict[str, list[str]]]:
    """table -> id -> the stamps ``row_stamps`` knows for that row other than its current one
    (*current*: table -> id -> ``updated_at``), sorted; rows with none are left out.

    A first package carries most of the register, and a keyed look-up per row was a quarter of
    its export. Then only the rows with more than one stamp are looked up (found in one pass over
    the change log's (entity, row_id) index and over the known versions); when those too are many,
    one pass over the whole change log replaces the look-ups.
    """
    size = last_change_seq(db)
    wanted: Mapping[str, Iterable[str]] = current
    if sum(len(ids) for ids in current.values()) * _SCAN_FRACTION >= size:
        several: dict[str, set[str]] = {table: set() for table in current}
        for table, held in current.items():
            for (row_id,) in db.execute(
                f"SELECT x.id FROM change_log_rows c JOIN {table}_rows x ON x.rid = c.row_rid "
                "WHERE c.entity_code = ? GROUP BY c.row_rid HAVING count(*) > 1",
                (ENTITY_CODES[table],),
            ):
                if row_id in held:
                    several[table].add(row_id)
        for entity, row_id in db.execute("SELECT entity, row_id FROM known_versions"):
            if row_id in current.get(entity, ()):
                several[entity].add(row_id)
        wanted = several
        if sum(len(ids) for ids in several.values()) * _SCAN_FRACTION >= size:
            return _earlier_in_one_pass(db, current)
    out: dict[str, dict[str, list[str]]] = {}
    for table, ids in wanted.items():
        now = current[table]
        earlier = {
            row_id: sorted(stamps - {now[row_id]})
            for row_id, stamps in row_stamps(db, table, ids).items()
            if stamps - {now[row_id]}
        }
        if earlier:
            out[table] = earlier
    return out


def _earlier_in_one_pass(db: Database, current: dict[str, dict[str, str]]) -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, set[str]]] = {}
    join = (
        "SELECT x.id, c.updated_at FROM change_log_rows c JOIN {}_rows x ON x.rid = c.row_rid WHERE c.entity_code = ?"
    )
    logged = ((table, join.format(table)) for table in current)
    known = (("", "SELECT entity, row_id, updated_at FROM known_versions"),)
    for table, sql in (*logged, *known):
        for row in db.execute(sql, (ENTITY_CODES[table],) if table else ()):
            entity, row_id, stamp = (table, *row) if table else row
            held = current.get(entity, {}).get(row_id)
            if held is not None and held != stamp:
                found.setdefault(entity, {}).setdefault(row_id, set()).add(stamp)
    return {table: {row_id: sorted(stamps) for row_id, stamps in by_id.items()} for table, by_id in found.items()}


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
            if not in_sqlite_range(value):
                raise ValueError(f"字段 {name} 的数值超出可以保存的范围")
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


def owners(db: Database, tables: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for table in sorted(set(tables) & set(TYPES_BY_TABLE)):
        found.update(r[0] for r in db.execute(f"SELECT DISTINCT owner_office FROM {table}"))
    return found
