"""Integer row keys inside the file, the UUID kept once per row for exchange (issue 10 point 8).

Every UUID used to be stored as 36 characters of text in its row, in every foreign key, in every
change-log entry and in every index over those; on county-L that was a third of the file. Each
syncable table ``X`` becomes a base table ``X_rows`` keyed by an integer ``rid`` (the UUID stays as
``id``, unique and indexed, for lookups and packages), the foreign keys that always name a row this
office holds become that row's ``rid``, and the change log names its row by ``rid`` and its table by a
number, and keeps its content hash as 32 bytes instead of 64 hex characters. A view named
as the old table gives the old columns in the old order, the UUIDs joined back, so that reads above
``app/db`` are unchanged; INSTEAD OF triggers turn writes through a view into writes of the base
table (docs/id-storage.md has the measurements and what changed above ``app/db``).

This migration reads the shape schema version 12 left (``sqlite_master``), which no later program
changes, so it builds the same schema wherever it runs. It runs in the migration's transaction;
``schema.migrate`` reclaims the space afterwards with one VACUUM.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

# Parents before children: a child's key is looked up in its parent's old table while both exist.
TABLES: tuple[str, ...] = (
    "users",
    "households",
    "members",
    "enrolments",
    "enrolment_steps",
    "visits",
    "payments",
    "alerts",
    "income_items",
    "care_records",
    "policy_periods",
    "month_closes",
    "attachments",
    "county_decisions",
    "county_tasks",
    "task_replies",
    "handovers",
    "handover_replies",
    "comparisons",
    "comparison_findings",
)

# The UUID-valued columns stored as their row's rid: only keys that always name a row this office
# holds (the store and the exchange refuse one that does not). The others stay text: a county
# decision or a hand-over names rows another office may hold, an attachment's subject is any table.
KEYS: dict[str, dict[str, str]] = {
    "members": {"household_id": "households"},
    "enrolments": {"household_id": "households"},
    "enrolment_steps": {"enrolment_id": "enrolments"},
    "visits": {"household_id": "households"},
    "payments": {"household_id": "households"},
    "alerts": {"household_id": "households"},
    "income_items": {"household_id": "households"},
    "attachments": {"household_id": "households"},
}
SEARCH_KEYS = {"member_id": "members", "household_id": "households"}
# The change log names each row's table by a number: its place in TABLES (frozen with the migration).
ENTITY_CODES: dict[str, int] = {table: code for code, table in enumerate(TABLES, start=1)}
# The change log's SHA-256 is kept as its 32 bytes (it was 64 hex characters, a third of the log);
# the view gives it back as the text every reader and digest was written for.
HASH_TEXT = "iif({0} IS NULL, NULL, lower(hex({0})))"

Query = Callable[[str], Iterable[tuple[Any, ...]]]


def rid_column(column: str) -> str:
    """The base table's integer column for a UUID-valued column (``household_id`` → ``household_rid``)."""
    return column[: -len("_id")] + "_rid"


def statements(query: Query) -> list[str]:
    """The migration, as SQL statements built from the version-12 schema *query* reads."""
    tables = {name: sql for kind, name, sql in _objects(query) if kind == "table"}
    indexes = [(name, tbl, sql) for kind, name, sql, tbl in _indexes(query)]
    # (column, default, not null) in table order
    shapes: dict[str, list[tuple[str, Any, int]]] = {
        t: [(str(r[1]), r[4], int(r[3])) for r in query(f"PRAGMA table_info({t})")] for t in TABLES
    }
    _refuse_dangling_keys(query)
    out: list[str] = []
    for table in TABLES:
        out.append(_base_ddl(tables[table], table))
        out.append(_copy(table, shapes[table]))
    out.append(_search_ddl())
    out.append(
        "INSERT INTO member_search_rows(member_rid, household_rid, initials, pinyin, name, id_number) "
        "SELECT m.rowid, h.rowid, s.initials, s.pinyin, s.name, s.id_number FROM member_search s "
        "JOIN members m ON m.id = s.member_id JOIN households h ON h.id = s.household_id ORDER BY m.rowid"
    )
    out.append(
        "CREATE TABLE change_log_rows (\n    seq INTEGER PRIMARY KEY AUTOINCREMENT,\n    entity_code INTEGER NOT NULL, "
        "row_rid INTEGER NOT NULL, updated_at TEXT NOT NULL, op TEXT NOT NULL, content_hash BLOB\n)"
    )
    # An entry whose row is gone (deleted around the program: check reports it) keeps -seq, which
    # names no row, rather than stopping the upgrade.
    cases = " ".join(f"WHEN '{t}' THEN (SELECT x.rowid FROM {t} x WHERE x.id = c.row_id)" for t in TABLES)
    out.append(
        "INSERT INTO change_log_rows(seq, entity_code, row_rid, updated_at, op, content_hash) "
        f"SELECT c.seq, {_code_of('c.entity')}, coalesce(CASE c.entity {cases} END, -c.seq), c.updated_at, c.op, "
        "unhex(c.content_hash) FROM change_log c ORDER BY c.seq"
    )
    # AUTOINCREMENT's memory of the highest number ever used (entries cut off the end show as a gap).
    out.append(
        "INSERT OR REPLACE INTO sqlite_sequence(rowid, name, seq) SELECT "
        "(SELECT rowid FROM sqlite_sequence WHERE name = 'change_log_rows'), 'change_log_rows', seq "
        "FROM sqlite_sequence WHERE name = 'change_log'"
    )
    out += ["DROP TABLE change_log", "DROP TABLE member_search"]
    out += [f"DROP TABLE {t}" for t in reversed(TABLES)]
    for name, tbl, sql in indexes:
        if tbl in TABLES or tbl in ("member_search", "change_log"):
            out.append(_index_ddl(sql, name, tbl))
    for table in TABLES:
        out.append(_view(table, shapes[table]))
        out += _view_triggers(table, shapes[table])
    out += _search_objects()
    out += _log_objects()
    return out


def _refuse_dangling_keys(query: Query) -> None:
    """A key that names no row cannot become a rid: say which, rather than keep an empty one.

    The keys declared ``REFERENCES`` were enforced all along; the others (a payment's member and
    application) were not, so an office may hold one only through a fault elsewhere.
    """
    from ...errors import DatabaseCorrupt

    marks = ", ".join(f"'{t}'" for t in TABLES)
    for (entity,) in query(f"SELECT entity FROM change_log WHERE entity NOT IN ({marks}) LIMIT 1"):
        raise DatabaseCorrupt(
            f"升级数据库时发现变更日志中有本程序不认识的表 {entity}，升级未进行，"
            "数据库保持原样（旧版本程序仍能打开它），请联系技术支持。"
        )
    for table, keys in KEYS.items():
        for column, parent in keys.items():
            for (row_id,) in query(
                f"SELECT t.id FROM {table} t WHERE t.{column} <> '' "
                f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = t.{column}) LIMIT 1"
            ):
                raise DatabaseCorrupt(
                    f"升级数据库时发现表 {table} 的行 {row_id} 的 {column} 指向不存在的记录，升级未进行，"
                    "数据库保持原样（旧版本程序仍能打开它），请联系技术支持。"
                )


def _objects(query: Query) -> list[tuple[str, str, str]]:
    found = query("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return [(str(r[0]), str(r[1]), str(r[2])) for r in found]


def _indexes(query: Query) -> list[tuple[str, str, str, str]]:
    found = query("SELECT type, name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    return sorted((str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in found)


def _base_ddl(sql: str, table: str) -> str:
    # AUTOINCREMENT: a number freed by a deletion is never given again, or the change log's entries
    # of the deleted row (named by number) would become the next row's history.
    head = f"CREATE TABLE {table}_rows (\n    rid INTEGER PRIMARY KEY AUTOINCREMENT,"
    sql = re.sub(rf'^CREATE TABLE "?{table}"? \(', head, sql)
    sql = re.sub(r"\bid TEXT PRIMARY KEY", "id TEXT NOT NULL UNIQUE", sql, count=1)
    for column, parent in KEYS.get(table, {}).items():
        # A required key stays required: '' names no row and is refused, as its foreign key refused it.
        optional = re.search(rf"\b{column} TEXT NOT NULL DEFAULT ''", sql) is not None
        sql, n = re.subn(
            rf"\b{column} TEXT NOT NULL(?: DEFAULT '')?(?: REFERENCES \w+\(id\))?",
            f"{rid_column(column)} INTEGER{'' if optional else ' NOT NULL'} REFERENCES {parent}_rows(rid)",
            sql,
        )
        assert n == 1, (table, column)
    # A text key that still names a register row names it in the base table now.
    return re.sub(r"REFERENCES (\w+)\(id\)", r"REFERENCES \1_rows(id)", sql)


def _copy(table: str, shape: list[tuple[str, Any, int]]) -> str:
    keys = KEYS.get(table, {})
    names = ["rid"] + [rid_column(c) if c in keys else c for c, *_ in shape]
    exprs = ["t.rowid"] + [
        f"(SELECT p.rowid FROM {keys[c]} p WHERE p.id = t.{c})" if c in keys else f"t.{c}" for c, *_ in shape
    ]
    return f"INSERT INTO {table}_rows({', '.join(names)}) SELECT {', '.join(exprs)} FROM {table} t ORDER BY t.rowid"


def _search_ddl() -> str:
    return (
        "CREATE TABLE member_search_rows (\n    member_rid INTEGER PRIMARY KEY REFERENCES members_rows(rid),\n"
        "    household_rid INTEGER NOT NULL,\n    initials TEXT NOT NULL,\n    pinyin TEXT NOT NULL,\n"
        "    name TEXT NOT NULL DEFAULT '',\n    id_number TEXT NOT NULL DEFAULT ''\n)"
    )


def _index_ddl(sql: str, name: str, table: str) -> str:
    base = "change_log_rows" if table == "change_log" else f"{table}_rows"
    head, _, columns = sql.partition("(")
    keys = {"change_log": {"row_id": ""}, "member_search": SEARCH_KEYS}.get(table, KEYS.get(table, {}))
    for column in keys:
        columns = re.sub(rf"\b{column}\b", rid_column(column), columns)
    if table == "change_log":
        columns = re.sub(r"\bentity\b", "entity_code", columns)
    head = re.sub(rf"\bON \"?{table}\"?\s*$", f"ON {base}", head.rstrip())
    assert f"INDEX {name} ON {base}" in head, (name, head)
    return f"{head}({columns}"


def _view(table: str, shape: list[tuple[str, Any, int]]) -> str:
    keys = KEYS.get(table, {})
    exprs: list[str] = []
    joins: list[str] = []
    for column, default, _required in shape:
        if column not in keys:
            exprs.append(f"t.{column}")
            continue
        alias = f"p{len(joins)}"
        joins.append(f"LEFT JOIN {keys[column]}_rows {alias} ON {alias}.rid = t.{rid_column(column)}")
        # A required key stays a bare column, so that ``WHERE household_id = ?`` becomes an index
        # search of the parent's UUID; an optional one reads '' when unset, as it was stored.
        exprs.append(f"coalesce({alias}.id, '') AS {column}" if default == "''" else f"{alias}.id AS {column}")
    exprs.append("t.rid AS rid")
    return f"CREATE VIEW {table} AS SELECT {', '.join(exprs)} FROM {table}_rows t {' '.join(joins)}".rstrip()


def _rid_of(parent: str, value: str) -> str:
    return f"(SELECT rid FROM {parent}_rows WHERE id = {value})"


def _view_triggers(table: str, shape: list[tuple[str, Any, int]]) -> list[str]:
    keys = KEYS.get(table, {})
    names = [rid_column(c) if c in keys else c for c, *_ in shape]
    # A view has no defaults: a column an INSERT leaves out arrives as NULL, and gets the table's default.
    given = [f"coalesce(new.{c}, {d})" if d is not None and required else f"new.{c}" for c, d, required in shape]
    values = [_rid_of(keys[c], v) if c in keys else v for (c, *_), v in zip(shape, given, strict=True)]
    # A key that names no row cannot be kept as a rid: refused, as the foreign key refused it before.
    checks = "".join(
        f"SELECT RAISE(ABORT, 'row key: {table}.{c} names no row') WHERE coalesce(new.{c}, '') <> '' "
        f"AND NOT EXISTS (SELECT 1 FROM {p}_rows WHERE id = new.{c}); "
        for c, p in keys.items()
    )
    sets = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    assign = ", ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True))
    into = f"INSERT INTO {table}_rows({', '.join(names)}) VALUES ({', '.join(values)})"
    return [
        (
            f"CREATE TRIGGER {table}_insert INSTEAD OF INSERT ON {table} BEGIN {checks}"
            f"{into} ON CONFLICT(id) DO UPDATE SET {sets}; END"
        ),
        (
            f"CREATE TRIGGER {table}_update INSTEAD OF UPDATE ON {table} BEGIN {checks}"
            f"UPDATE {table}_rows SET {assign} WHERE rid = old.rid; END"
        ),
        (
            f"CREATE TRIGGER {table}_delete INSTEAD OF DELETE ON {table} BEGIN "
            f"DELETE FROM {table}_rows WHERE rid = old.rid; END"
        ),
    ]


def _search_objects() -> list[str]:
    member, household = _rid_of("members", "new.member_id"), _rid_of("households", "new.household_id")
    return [
        (
            # rid last, as in the register's views: the member's row number, the order members were added in.
            "CREATE VIEW member_search AS SELECT p0.id AS member_id, p1.id AS household_id, t.initials, t.pinyin, "
            "t.name, t.id_number, t.member_rid AS rid FROM member_search_rows t "
            "JOIN members_rows p0 ON p0.rid = t.member_rid JOIN households_rows p1 ON p1.rid = t.household_rid"
        ),
        # The search keys are written as they always were (an INSERT names the member and household by
        # UUID); the name and number follow the member row, as m0002's triggers made them do.
        (
            "CREATE TRIGGER member_search_insert INSTEAD OF INSERT ON member_search BEGIN "
            "INSERT INTO member_search_rows(member_rid, household_rid, initials, pinyin, name, id_number) "
            f"SELECT m.rid, {household}, new.initials, new.pinyin, m.name, m.id_number FROM members_rows m "
            "WHERE m.id = new.member_id ON CONFLICT(member_rid) DO UPDATE SET household_rid = excluded.household_rid, "
            "initials = excluded.initials, pinyin = excluded.pinyin, name = excluded.name, "
            "id_number = excluded.id_number; END"
        ),
        (
            "CREATE TRIGGER member_search_delete INSTEAD OF DELETE ON member_search BEGIN "
            f"DELETE FROM member_search_rows WHERE member_rid = {member.replace('new.', 'old.')}; END"
        ),
        (
            "CREATE TRIGGER member_search_follow AFTER UPDATE OF name, id_number ON members_rows BEGIN "
            "UPDATE member_search_rows SET name = new.name, id_number = new.id_number WHERE member_rid = new.rid; END"
        ),
    ]


def _code_of(entity: str) -> str:
    return f"CASE {entity} " + " ".join(f"WHEN '{t}' THEN {code}" for t, code in ENTITY_CODES.items()) + " END"


def _log_objects() -> list[str]:
    cases = " ".join(f"WHEN {ENTITY_CODES[t]} THEN (SELECT id FROM {t}_rows WHERE rid = t.row_rid)" for t in TABLES)
    rids = " ".join(f"WHEN '{t}' THEN (SELECT rid FROM {t}_rows WHERE id = new.row_id)" for t in TABLES)
    names = " ".join(f"WHEN {code} THEN '{t}'" for t, code in ENTITY_CODES.items())
    append_only = "SELECT RAISE(ABORT, 'change_log is append-only')"
    return [
        (
            f"CREATE VIEW change_log AS SELECT t.seq, CASE t.entity_code {names} END AS entity, "
            f"coalesce(CASE t.entity_code {cases} END, '') AS row_id, "
            f"t.updated_at, t.op, {HASH_TEXT.format('t.content_hash')} AS content_hash FROM change_log_rows t"
        ),
        (
            "CREATE TRIGGER change_log_insert INSTEAD OF INSERT ON change_log BEGIN "
            "INSERT INTO change_log_rows(entity_code, row_rid, updated_at, op, content_hash) "
            f"VALUES ({_code_of('new.entity')}, CASE new.entity {rids} END, new.updated_at, new.op, "
            "unhex(new.content_hash)); END"
        ),
        f"CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log_rows BEGIN {append_only}; END",
        f"CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log_rows BEGIN {append_only}; END",
        f"CREATE TRIGGER change_log_view_no_update INSTEAD OF UPDATE ON change_log BEGIN {append_only}; END",
        f"CREATE TRIGGER change_log_view_no_delete INSTEAD OF DELETE ON change_log BEGIN {append_only}; END",
    ]
