"""How ids are stored: file size and register query time of county-L in three layouts (issue 10, point 8).

The package format fixes how rows are named between offices, so before it is written down we
measure what the ids cost inside the file. County-L's rows are copied (SQLCipher to SQLCipher,
fresh random keys, as bench/store_ratio.py does) into

* ``text``    — as today: every UUID a 36-character TEXT (ids, foreign keys, change_log/audit_log.row_id);
* ``blob``    — the same tables with every UUID a 16-byte BLOB;
* ``integer`` — an INTEGER PRIMARY KEY per row (foreign keys, change_log/audit_log.row_id and
  member_search's key as integers), the UUID kept once per row as a 16-byte BLOB (unique) for exchange;
* ``compact`` — ``integer`` plus a change log that keeps only the newest entry of each row, with its
  content hash as a 32-byte BLOB (what the budget needs beyond the ids; the lead decides);
* ``lean``    — ``compact`` plus the clock ``updated_at`` as an integer (ms × 65536 + counter; the node is
  the row's owner_office) in every row and the log, and the log's entity as a small integer;
* ``blob_lean`` — ``lean`` with 16-byte BLOB keys instead of integer keys (is the key change needed?);
* ``views``   — the migration's design (docs/id-storage.md): base tables ``X_rows(rid INTEGER PRIMARY KEY,
  id TEXT UNIQUE, …, household_rid INTEGER, …)`` behind views named as today that join the UUID text
  back, INSTEAD OF triggers for writes through the views, change_log/audit_log.row_id as the rid.
  It is measured through the views, as the code above app/db would read it. All layouts also time the
  monthly close's full read and roster query and the export's change-log reads; ``text`` and ``views``
  store-shaped writes (row + change-log entry) through the views' triggers, straight into the base
  tables, and into ``text`` (``--writes``).

For each: file size after VACUUM, pages per table and index (SQLCipher's build has no dbstat, so
the copy is replayed into an in-memory stdlib SQLite with the same 4 KiB pages and measured
there, then scaled to the encrypted file), and p50/p95 of the queries the register page and
bench.search_typing depend on (app/services/register_queries.py, households.rows, the search
index build of app/services/search_index.py), adapted to each layout and interleaved run by run.

    python -m bench.id_storage [--runs 300] [--work /tmp/idstore] [--keep] [--layouts text,integer,views]

Nothing leaves the encrypted files but sizes and timings; the JSON goes to bench/results/id_storage.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from app.db.database import Database

from .common import median, p95, save
from .datasets import END_MONTH, PASSWORD, office_dir

LAYOUTS = ("text", "blob", "integer", "compact", "lean", "blob_lean", "views")
BLOB_KEYS = ("blob", "blob_lean")
INTEGER_KEYS = ("integer", "compact", "lean")
COMPACT_LOG = ("compact", "lean", "blob_lean")
LEAN = ("lean", "blob_lean")
# The hybrid-logical-clock text (13 digits of ms, 5 of counter, the node) as one integer; the node is
# the row's owner_office already.
HLC_INT = "CAST(substr({0}, 1, 13) AS INTEGER) * 65536 + CAST(substr({0}, 15, 5) AS INTEGER)"
# The tables whose rows have a UUID ``id`` (and the common columns of app.domain.entities).
ENTITIES = (
    "users",
    "households",
    "members",
    "visits",
    "enrolments",
    "enrolment_steps",
    "payments",
    "alerts",
    "income_items",
    "care_records",
    "policy_periods",
    "month_closes",
)
# UUID-valued foreign-key columns → the table they name.
FKS = {"household_id": "households", "member_id": "members", "enrolment_id": "enrolments", "follow_visit_id": "visits"}
UUID_BLOB = "coalesce(unhex(replace({}, '-', '')), x'')"  # '' (no such row) stays an empty value
IN_FORCE = ("在保", "渐退")


# --- copying ------------------------------------------------------------------------------


def source_key(data: Path) -> bytes:
    from app.db import device_secret
    from app.db.keyslots import KeySlotFile

    slots = KeySlotFile.load(data / "keyslots.json")
    return slots.unlock_user("admin", PASSWORD, device_secret.load(slots.store_id) or b"")


def _columns(conn, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def table_ddl(sql: str, table: str, layout: str) -> str:
    """The CREATE TABLE of *table* rewritten for *layout*."""
    fk = "|".join(FKS)
    if layout in BLOB_KEYS:
        sql = re.sub(r"\bid TEXT PRIMARY KEY", "id BLOB PRIMARY KEY", sql)
        sql = re.sub(rf"\b({fk}|row_id) TEXT\b", r"\1 BLOB", sql)
    elif layout in INTEGER_KEYS:
        sql = re.sub(r"\bid TEXT PRIMARY KEY", "rid INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE", sql)
        if table == "member_search":
            sql = sql.replace("member_id TEXT PRIMARY KEY REFERENCES members(id)", "member_id INTEGER PRIMARY KEY")
        sql = re.sub(rf"\b({fk}) TEXT NOT NULL(?: DEFAULT '')?(?: REFERENCES (\w+)\(id\))?", _fk_int, sql)
        sql = re.sub(r"\brow_id TEXT NOT NULL(?: DEFAULT '')?", "row_id INTEGER", sql)
    if layout in COMPACT_LOG:
        sql = sql.replace("content_hash TEXT", "content_hash BLOB")
    if layout in LEAN:
        sql = sql.replace("updated_at TEXT NOT NULL", "updated_at INTEGER NOT NULL")
        if table == "change_log":
            sql = sql.replace("entity TEXT NOT NULL", "entity INTEGER NOT NULL")
    return sql


def _fk_int(m: re.Match) -> str:
    return f"{m.group(1)} INTEGER" + (f" REFERENCES {m.group(2)}(rid)" if m.group(2) else "")


def index_ddl(sql: str, layout: str) -> str:
    if layout in INTEGER_KEYS:  # the rowid is in every index already
        sql = sql.replace(", id)", ")")
    return sql


def select_list(table: str, dst_cols: list[str], layout: str) -> str:
    """Source expressions, in the order of *dst_cols*, that give the row in *layout*."""
    out = []
    for col in dst_cols:
        is_uuid = (col == "id" and table in ENTITIES) or col in FKS or col == "row_id"
        if col == "updated_at" and layout in LEAN and (table in ENTITIES or table == "change_log"):
            out.append(HLC_INT.format("s.updated_at"))
        elif col == "entity" and layout in LEAN and table == "change_log":
            out.append(f"CASE s.entity {' '.join(f'WHEN {e!r} THEN {i}' for i, e in enumerate(ENTITIES))} END")
        elif col == "content_hash" and layout in COMPACT_LOG:
            out.append("unhex(s.content_hash)")
        elif layout not in INTEGER_KEYS:
            blob = layout in BLOB_KEYS and is_uuid
            out.append(UUID_BLOB.format(f"s.{col}") if blob else f's."{col}"')
        elif col == "rid":
            out.append("s.rowid")
        elif col == "uuid":
            out.append(UUID_BLOB.format("s.id"))
        elif table == "member_search" and col == "member_id":
            out.append("(SELECT p.rowid FROM main.members p WHERE p.id = s.member_id)")
        elif col in FKS:
            out.append(f"(SELECT p.rowid FROM main.{FKS[col]} p WHERE p.id = s.{col})")
        elif col == "row_id":
            # Rows deleted for good leave no integer to point at: this layout would need their UUID in
            # a tombstone; here they get a number of their own (-seq) so the size is what it would be.
            cases = " ".join(
                f"WHEN '{e}' THEN (SELECT p.rowid FROM main.{e} p WHERE p.id = s.row_id)" for e in ENTITIES
            )
            out.append(f"CASE WHEN s.entity = '' THEN NULL ELSE coalesce(CASE s.entity {cases} END, -s.seq) END")
        else:
            out.append(f's."{col}"')
    return ", ".join(out)


def build(src: Database, path: Path, layout: str) -> tuple[bytes, dict]:
    """Copy the source office into a new SQLCipher file in *layout*; its key and build facts."""
    if layout == "views":
        return build_views(src, path)
    key = secrets.token_bytes(32)
    path.unlink(missing_ok=True)
    conn = src.conn
    assert conn is not None
    started = time.perf_counter()
    conn.execute(f"ATTACH DATABASE '{path}' AS dst KEY \"x'{key.hex()}'\"")
    conn.execute("PRAGMA dst.journal_mode = OFF")
    conn.execute("PRAGMA dst.synchronous = OFF")
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE sql IS NOT NULL AND name != 'sqlite_sequence'"
    ).fetchall()
    tables = [(n, sql) for t, n, _, sql in objects if t == "table"]
    unmatched = 0
    conn.execute("BEGIN")
    for name, sql in tables:
        ddl = table_ddl(sql, name, layout)
        conn.execute(ddl.replace(f"CREATE TABLE {name}", f"CREATE TABLE dst.{name}", 1))
        cols = _columns(conn, "dst", name)
        where = ""
        if layout in COMPACT_LOG and name == "change_log":
            # Only the newest entry of each row: what an export and the search index's refresh read.
            where = "WHERE s.seq IN (SELECT max(seq) FROM main.change_log GROUP BY entity, row_id)"
        conn.execute(
            f"INSERT INTO dst.{name}({', '.join(cols)}) SELECT {select_list(name, cols, layout)} "
            f"FROM main.{name} s {where} ORDER BY s.rowid"
        )
        if layout in INTEGER_KEYS and name in ("change_log", "audit_log"):
            unmatched += conn.execute(f"SELECT count(*) FROM dst.{name} WHERE row_id < 0").fetchone()[0]
    for kind, name, _tbl, sql in objects:
        if kind == "index":
            conn.execute(index_ddl(sql, layout).replace(f"CREATE INDEX {name}", f"CREATE INDEX dst.{name}", 1))
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE dst")
    copied = time.perf_counter() - started
    db = Database(path, key)
    started = time.perf_counter()
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vacuum = time.perf_counter() - started
    db.close()
    return key, {"copy_s": round(copied, 1), "vacuum_s": round(vacuum, 1), "unmatched_log_rows": unmatched}


# --- the views layout: integer base tables behind views named as today --------------------------

VIEWED = (*ENTITIES, "member_search", "change_log", "audit_log")
LOGS = ("change_log", "audit_log")


def base(table: str) -> str:
    return f"{table}_rows" if table in VIEWED else table


def rid_col(col: str) -> str:
    """The base table's integer column for a UUID-valued column of today's table."""
    return "row_rid" if col == "row_id" else col[: -len("_id")] + "_rid"


def views_table_ddl(sql: str, table: str) -> str:
    sql = sql.replace(f"CREATE TABLE {table}", f"CREATE TABLE dst.{base(table)}", 1)
    if table not in VIEWED:
        return sql
    fk = "|".join(FKS)
    sql = re.sub(r"\bid TEXT PRIMARY KEY", "rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE", sql)
    sql = sql.replace("member_id TEXT PRIMARY KEY REFERENCES members(id)", "member_rid INTEGER PRIMARY KEY")
    sql = re.sub(
        rf"\b({fk}) TEXT NOT NULL(?: DEFAULT '')?(?: REFERENCES (\w+)\(id\))?",
        lambda m: f"{rid_col(m.group(1))} INTEGER" + (f" REFERENCES {m.group(2)}_rows(rid)" if m.group(2) else ""),
        sql,
    )
    return re.sub(r"\brow_id TEXT NOT NULL(?: DEFAULT '')?", "row_rid INTEGER", sql)


def views_index_ddl(sql: str, table: str) -> str:
    """The index on the base table; the UUID stays at the end of the list indexes (covering, as today)."""
    head, _, cols = sql.partition(f" ON {table}(")
    for col in (*FKS, "row_id"):
        cols = re.sub(rf"\b{col}\b", rid_col(col), cols)
    name = head.split()[-1]
    return f"{head.replace(f'INDEX {name}', f'INDEX dst.{name}', 1)} ON {base(table)}({cols}"


def views_select_list(table: str, dst_cols: list[str]) -> str:
    out = []
    for col in dst_cols:
        if col == "rid":
            out.append("s.rowid")
        elif col == "member_rid" and table == "member_search":
            out.append("(SELECT p.rowid FROM main.members p WHERE p.id = s.member_id)")
        elif col.endswith("_rid") and col != "row_rid" and table in VIEWED:
            fk = col[: -len("_rid")] + "_id"
            out.append(f"(SELECT p.rowid FROM main.{FKS[fk]} p WHERE p.id = s.{fk})")
        elif col == "row_rid":
            out.append(select_list(table, ["row_id"], "integer"))  # as ``integer`` does, -seq if gone
        else:
            out.append(f's."{col}"')
    return ", ".join(out)


def view_ddl(table: str, cols: list[tuple[str, str | None]]) -> str:
    """CREATE VIEW *table*: today's columns in today's order, UUID text joined back from the rids."""
    exprs: list[str] = []
    joins: list[str] = []
    for col, default in cols:
        if col in FKS or (table == "member_search" and col == "member_id"):
            alias = f"p{len(joins)}"
            parent = "members" if col == "member_id" else FKS[col]
            joins.append(f"LEFT JOIN {parent}_rows {alias} ON {alias}.rid = t.{rid_col(col)}")
            # A required key stays a plain column so `WHERE household_id = ?` turns the LEFT JOIN into an
            # inner one searched by the parent's UUID index; an optional one ('' when unset) cannot.
            exprs.append(f"coalesce({alias}.id, '') AS {col}" if default == "''" else f"{alias}.id AS {col}")
        elif col == "row_id" and table in LOGS:
            cases = " ".join(f"WHEN '{e}' THEN (SELECT id FROM {e}_rows WHERE rid = t.row_rid)" for e in ENTITIES)
            exprs.append(f"coalesce(CASE t.entity {cases} END, '') AS row_id")
        else:
            exprs.append(f"t.{col}")
    return f"CREATE VIEW {table} AS SELECT {', '.join(exprs)} FROM {base(table)} t {' '.join(joins)}"


def _rid_of(col: str, table: str, value: str) -> str:
    if col == "row_id":
        cases = " ".join(f"WHEN '{e}' THEN (SELECT rid FROM {e}_rows WHERE id = {value})" for e in ENTITIES)
        return f"CASE new.entity {cases} END"
    parent = "members" if col == "member_id" else FKS[col]
    return f"(SELECT rid FROM {parent}_rows WHERE id = {value})"


def base_values(table: str, cols: list[str], value: str = "new.{}") -> tuple[list[str], list[str]]:
    """(base columns, expressions) that write today's *cols* into the base table of *table*."""
    names, exprs = [], []
    for col in cols:
        is_key = col in FKS or (col == "row_id" and table in LOGS)
        names.append(rid_col(col) if is_key else col)
        exprs.append(_rid_of(col, table, value.format(col)) if is_key else value.format(col))
    return names, exprs


def view_triggers(table: str, cols: list[str]) -> list[str]:
    names, exprs = base_values(table, cols)
    into = f"INSERT INTO {base(table)}({', '.join(names)}) VALUES ({', '.join(exprs)})"
    if table in LOGS:  # append-only: inserts only
        return [f"CREATE TRIGGER {table}_insert INSTEAD OF INSERT ON {table} BEGIN {into}; END"]
    sets = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    assign = ", ".join(f"{n} = {e}" for n, e in zip(names, exprs, strict=True))
    head = "CREATE TRIGGER {0}_{1} INSTEAD OF {2} ON {0} BEGIN "
    return [
        head.format(table, "insert", "INSERT") + f"{into} ON CONFLICT(id) DO UPDATE SET {sets}; END",
        head.format(table, "update", "UPDATE") + f"UPDATE {base(table)} SET {assign} WHERE id = old.id; END",
        head.format(table, "delete", "DELETE") + f"DELETE FROM {base(table)} WHERE id = old.id; END",
    ]


def build_views(src: Database, path: Path) -> tuple[bytes, dict]:
    """Copy the source office into base tables with integer keys, then the views and their triggers."""
    key = secrets.token_bytes(32)
    path.unlink(missing_ok=True)
    conn = src.conn
    assert conn is not None
    started = time.perf_counter()
    conn.execute(f"ATTACH DATABASE '{path}' AS dst KEY \"x'{key.hex()}'\"")
    conn.execute("PRAGMA dst.journal_mode = OFF")
    conn.execute("PRAGMA dst.synchronous = OFF")
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE sql IS NOT NULL AND name != 'sqlite_sequence'"
    ).fetchall()
    shapes: dict[str, list[tuple[str, str | None]]] = {}
    conn.execute("BEGIN")
    for kind, name, _tbl, sql in objects:
        if kind != "table":
            continue
        shapes[name] = [(r[1], r[4]) for r in conn.execute(f'PRAGMA main.table_info("{name}")')]
        conn.execute(views_table_ddl(sql, name))
        cols = _columns(conn, "dst", base(name))
        conn.execute(
            f"INSERT INTO dst.{base(name)}({', '.join(cols)}) SELECT {views_select_list(name, cols)} "
            f"FROM main.{name} s ORDER BY s.rowid"
        )
    for kind, _name, tbl, sql in objects:
        if kind == "index":
            conn.execute(views_index_ddl(sql, tbl))
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE dst")
    copied = time.perf_counter() - started
    db = Database(path, key)
    started = time.perf_counter()
    with db.transaction():
        for name in VIEWED:
            db.execute(view_ddl(name, shapes[name]))
            # member_search is a derived index, not a store row: the plan moves its writers into app/db.
            for trigger in view_triggers(name, [c for c, _ in shapes[name]]) if name != "member_search" else ():
                db.execute(trigger)
        for log in LOGS:  # append-only, on the base now
            for op in ("UPDATE", "DELETE"):
                db.execute(
                    f"CREATE TRIGGER {log}_rows_no_{op.lower()} BEFORE {op} ON {log}_rows "
                    f"BEGIN SELECT RAISE(ABORT, '{log} is append-only'); END"
                )
    views_s = time.perf_counter() - started
    lost = db.scalar("SELECT count(*) FROM members_rows WHERE household_rid IS NULL")
    started = time.perf_counter()
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vacuum = time.perf_counter() - started
    db.close()
    return key, {
        "copy_s": round(copied, 1),
        "views_and_triggers_s": round(views_s, 2),
        "vacuum_s": round(vacuum, 1),
        "members_without_household": lost,
    }


# --- where the space goes -------------------------------------------------------------------


def space(db: Database) -> dict[str, int]:
    """Bytes per table and index: the rows replayed into an in-memory stdlib SQLite, measured with dbstat.

    Same 4 KiB pages; SQLCipher keeps 80 bytes of each for IV and HMAC, so its pages hold about 2 %
    less and the figures are scaled to the encrypted file's size.
    """
    conn = db.conn
    assert conn is not None
    mem = sqlite3.connect(":memory:")
    mem.execute("PRAGMA page_size = 4096")
    objects = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'sqlite_sequence' "
        "AND type IN ('table', 'index')"
    ).fetchall()
    mem.execute("BEGIN")
    for kind, name, sql in objects:
        if kind != "table":
            continue
        mem.execute(sql)
        cols = _columns(conn, "main", name)
        marks = ", ".join("?" for _ in cols)
        cur = conn.execute(f"SELECT {', '.join(cols)} FROM {name} ORDER BY rowid")
        while batch := cur.fetchmany(20000):
            mem.executemany(f"INSERT INTO {name}({', '.join(cols)}) VALUES ({marks})", batch)
    for kind, _name, sql in objects:
        if kind == "index":
            mem.execute(sql)
    mem.execute("COMMIT")
    mem.execute("VACUUM")
    pages = dict(mem.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    total = mem.execute("PRAGMA page_count").fetchone()[0] * 4096
    mem.close()
    real = db.scalar("PRAGMA page_count") * 4096
    return {k: round(v * real / total) for k, v in sorted(pages.items(), key=lambda kv: -kv[1])}


def column_bytes(db: Database) -> dict[str, int]:
    """Bytes of payload held by the columns that ids, clocks and hashes occupy (before any b-tree overhead)."""
    out: dict[str, int] = {}
    for table in (*ENTITIES, "change_log", "audit_log", "member_search"):
        cols = [r[1] for r in db.query(f'PRAGMA table_info("{table}")')]
        wanted = [
            c
            for c in cols
            if c
            in ("id", "uuid", "rid", "updated_at", "updated_by", "owner_office", "content_hash", "row_id", "entity")
            or c in FKS
            or c in ("detail", "hash", "prev_hash")
        ]
        if not wanted:
            continue
        sums = db.query(f"SELECT {', '.join(f'coalesce(sum(length({c})), 0)' for c in wanted)} FROM {table}")[0]
        for c, s in zip(wanted, sums, strict=True):
            out[f"{table}.{c}"] = s
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


# --- the register's queries ---------------------------------------------------------------


class Queries:
    """The register page's queries in one layout; household keys as that layout would hold them."""

    def __init__(self, db: Database, layout: str):
        self.db, self.layout = db, layout
        self.pk = "rid" if layout in INTEGER_KEYS else "id"
        # The in-memory search index would hold household keys as strings (text/blob: the hex) or ints.
        # (views have no rowid: the base table's rid is the source's rowid, so the order is the same)
        t, order = ("households_rows", "rid") if layout == "views" else ("households", "rowid")
        raw = [r[0] for r in db.query(f"SELECT {self.pk} FROM {t} WHERE deleted = 0 ORDER BY {order}")]
        self.households = [r.hex() if isinstance(r, bytes) else r for r in raw]
        name = "uuid" if layout in INTEGER_KEYS else "id"
        self.uuids = [r[0] for r in db.query(f"SELECT {name} FROM {t} ORDER BY {order}")]
        # Members as change_log.row_id names them: the UUID text, or (integer) the rid.
        member_key = "rid" if layout in INTEGER_KEYS else "id"
        member_table = "members_rows" if layout == "views" else "members"
        self.members = [r[0] for r in db.query(f"SELECT {member_key} FROM {member_table} ORDER BY {order}")]

    def _json_keys(self) -> str:
        return "unhex(value)" if self.layout in BLOB_KEYS else "value"

    def _bind(self, keys):
        return [bytes.fromhex(k) for k in keys] if self.layout in BLOB_KEYS else list(keys)

    def list_all(self, _i: int, _rng: random.Random) -> int:
        """The register list with no search text: every living household in list order."""
        rows = self.db.query(
            f"SELECT h.{self.pk} FROM households h WHERE h.deleted = 0 AND h.archived = 0 "
            "ORDER BY h.village_code ASC, h.head_name ASC"
        )
        return len(rows)

    def list_search(self, i: int, rng: random.Random) -> int:
        """RegisterQueries.ids after a search matched n households (the search itself is in memory)."""
        n = (10, 100, 1000)[i % 3]
        keys = rng.sample(self.households, n)
        if self.layout == "views":
            # A view takes no INDEXED BY, and left alone the planner walks the list index; CROSS JOIN
            # keeps the matched keys outside, each looked up by the base table's UUID index.
            rows = self.db.query(
                "SELECT h.id FROM json_each(?) j CROSS JOIN households h ON h.id = j.value "
                "WHERE h.deleted = 0 AND h.archived = 0 ORDER BY h.village_code, h.head_name",
                (json.dumps(keys),),
            )
            return len(rows)
        # As register_queries does: look the few matched households up by key (here the rowid itself).
        hint = "NOT INDEXED " if self.layout in INTEGER_KEYS else "INDEXED BY sqlite_autoindex_households_1 "
        return self._matched(keys, hint)

    def list_search_unhinted(self, i: int, rng: random.Random) -> int:
        """list_search with RegisterQueries.ids' SQL as is but no INDEXED BY (which a view refuses)."""
        n = (10, 100, 1000)[i % 3]
        keys = rng.sample(self.households, n)
        return self._matched(keys, "NOT INDEXED " if self.layout in INTEGER_KEYS else "")

    def _matched(self, keys: list, hint: str) -> int:
        rows = self.db.query(
            f"SELECT h.{self.pk} FROM households h {hint}WHERE h.deleted = 0 AND h.archived = 0 AND "
            f"h.{self.pk} IN (SELECT {self._json_keys()} FROM json_each(?)) ORDER BY h.village_code, h.head_name",
            (json.dumps(keys),),
        )
        return len(rows)

    def page_rows(self, _i: int, rng: random.Random) -> int:
        """HouseholdService.rows for a page of 100 and _programmes_in_force for the same ids."""
        keys = self._bind(rng.sample(self.households, 100))
        marks = ",".join("?" for _ in keys)
        pk = self.pk
        rows = self.db.query(
            f"SELECT h.{pk}, h.village_code, h.head_name, h.categories, h.risk_level, h.archived, "
            f"(SELECT id_number FROM members m WHERE m.household_id = h.{pk} AND m.relation = '本人' "
            f" AND m.deleted = 0 LIMIT 1), "
            f"(SELECT count(*) FROM members m WHERE m.household_id = h.{pk} AND m.deleted = 0 "
            f" AND m.deceased_on IS NULL), "
            f"(SELECT max(visit_date) FROM visits v WHERE v.household_id = h.{pk} AND v.deleted = 0) "
            f"FROM households h WHERE h.{pk} IN ({marks})",
            keys,
        )
        self.db.query(
            f"SELECT DISTINCT household_id, programme FROM enrolments WHERE deleted = 0 "
            f"AND household_id IN ({marks}) AND status IN (?, ?) ORDER BY programme",
            (*keys, *IN_FORCE),
        )
        return len(rows)

    def household_by_uuid(self, _i: int, rng: random.Random) -> int:
        """Open one household as the UI or an import names it (by its UUID), then its members."""
        uuid = rng.choice(self.uuids)
        col = "uuid" if self.layout in INTEGER_KEYS else "id"
        h = self.db.query(f"SELECT * FROM households WHERE {col} = ?", (uuid,))
        key = h[0][0]
        members = self.db.query("SELECT * FROM members WHERE household_id = ? AND deleted = 0", (key,))
        return len(members)

    def search_index_build(self, _i: int, _rng: random.Random) -> int:
        """SearchIndex._build's read of member_search (once per session and after big changes)."""
        rows = self.db.query("SELECT member_id, household_id, name, id_number, initials, pinyin FROM member_search")
        if self.layout != "text":  # the index keeps household keys as strings or ints
            rows = [(r[0], r[1].hex() if isinstance(r[1], bytes) else r[1]) for r in rows]
        return len(rows)

    def roster(self, _i: int, _rng: random.Random) -> int:
        """PaymentService.enrolments_in_force (app/services/payments.py): the roster's reads for one month."""
        pk = self.pk
        rows = self.db.query(
            "SELECT household_id, * FROM enrolments WHERE deleted = 0 AND (status IN ('在保', '渐退', '停保') "
            "AND start_month IS NOT NULL AND start_month <= ? AND (end_month IS NULL OR end_month >= ?) "
            f"AND household_id IN (SELECT {pk} FROM households WHERE archived = 0 AND deleted = 0))",
            (END_MONTH, END_MONTH),
        )
        hh_ids = sorted({r[0] for r in rows})
        members = 0
        for start in range(0, len(hh_ids), 500):
            chunk = hh_ids[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            members += len(
                self.db.query(
                    f"SELECT {pk}, household_id, birth_date, deceased_on FROM members "
                    f"WHERE deleted = 0 AND (household_id IN ({marks}))",
                    tuple(chunk),
                )
            )
        urban = dict(self.db.query(f"SELECT {pk}, urban FROM households"))
        return len(rows) + members + len(urban)

    def log_scan(self, _i: int, _rng: random.Random) -> int:
        """sync_rows._earlier_in_one_pass: the whole change log, (entity, row, stamp) — a first package's export."""
        return sum(1 for _ in self.db.execute("SELECT entity, row_id, updated_at FROM change_log"))

    def log_stamps(self, _i: int, rng: random.Random) -> int:
        """sync_rows.row_stamps for 500 members, its SQL as is (through the view: row_id is a CASE)."""
        keys = rng.sample(self.members, 500)
        marks = ",".join("?" for _ in keys)
        return len(
            self.db.query(
                f"SELECT row_id, updated_at FROM change_log WHERE entity = 'members' AND row_id IN ({marks})", keys
            )
        )

    def log_stamps_base(self, i: int, rng: random.Random) -> int:
        """log_stamps rewritten for the views layout on the base tables (what sync_rows would become)."""
        if self.layout != "views":
            return self.log_stamps(i, rng)
        keys = rng.sample(self.members, 500)
        marks = ",".join("?" for _ in keys)
        # CROSS JOIN: without statistics the planner would walk every members entry of the log first.
        return len(
            self.db.query(
                "SELECT m.id, c.updated_at FROM members_rows m CROSS JOIN change_log_rows c "
                f"ON c.entity = 'members' AND c.row_rid = m.rid WHERE m.id IN ({marks})",
                keys,
            )
        )

    def log_scan_base(self, i: int, rng: random.Random) -> int:
        """log_scan for the views layout as sync_rows would do it: the log by rid, each table's rid → UUID once."""
        if self.layout != "views":
            return self.log_scan(i, rng)
        uuids = {e: dict(self.db.execute(f"SELECT rid, id FROM {e}_rows")) for e in ENTITIES}
        n = 0
        for entity, rid, _stamp in self.db.execute("SELECT entity, row_rid, updated_at FROM change_log_rows"):
            n += uuids[entity].get(rid) is not None
        return n

    def full_read(self, _i: int, _rng: random.Random) -> int:
        """bench.monthly_close's baseline: every row of the tables the close touches, read once."""
        n = 0
        for table in ("households", "members", "visits", "enrolments", "payments", "income_items", "alerts"):
            for _row in self.db.execute(f"SELECT * FROM {table}"):
                n += 1
        return n


QUERIES = (
    "list_all",
    "list_search",
    "list_search_unhinted",
    "page_rows",
    "household_by_uuid",
    "search_index_build",
    "roster",
    "full_read",
    "log_scan",
    "log_scan_base",
    "log_stamps",
    "log_stamps_base",
)
SLOW = {
    "search_index_build": "index_runs",
    "roster": "close_runs",
    "full_read": "close_runs",
    "log_scan": "close_runs",
    "log_scan_base": "close_runs",
    "log_stamps": "close_runs",
    "log_stamps_base": "close_runs",
}


def time_queries(dbs: dict[str, Database], runs: int, index_runs: int, close_runs: int = 3) -> dict:
    qs = {name: Queries(db, name) for name, db in dbs.items()}
    samples: dict[str, dict[str, list[float]]] = {q: {layout: [] for layout in dbs} for q in QUERIES}
    counts: dict[str, dict[str, int]] = {q: {} for q in QUERIES}
    slow = {"index_runs": index_runs, "close_runs": close_runs}
    for q in QUERIES:
        n = slow[SLOW[q]] if q in SLOW else runs
        for i in range(n):
            for layout in dbs:  # interleaved, same seed per run: same work, same drift
                rng = random.Random(i)
                fn = getattr(qs[layout], q)
                start = time.perf_counter()
                counts[q][layout] = fn(i, rng)
                samples[q][layout].append((time.perf_counter() - start) * 1000)
    return {
        q: {
            layout: {
                "p50_ms": round(median(s), 3),
                "p95_ms": round(p95(s), 3),
                "runs": len(s),
                "rows": counts[q][layout],
            }
            for layout, s in by_layout.items()
        }
        for q, by_layout in samples.items()
    }


def plans(db: Database, layout: str) -> dict[str, list[str]]:
    q = Queries(db, layout)
    pk = q.pk
    out = {}
    for name, sql, params in (
        (
            "list_all",
            (
                f"SELECT h.{pk} FROM households h WHERE h.deleted = 0 AND h.archived = 0 "
                "ORDER BY h.village_code, h.head_name"
            ),
            (),
        ),
        ("members_of", "SELECT * FROM members WHERE household_id = ? AND deleted = 0", (q.households[0],)),
        (
            "members_of_columns",
            f"SELECT {pk}, name, id_number FROM members WHERE household_id = ?",
            (q.households[0],),
        ),
        ("household_by_uuid", f"SELECT * FROM households WHERE {'uuid' if pk == 'rid' else 'id'} = ?", (q.uuids[0],)),
        (
            "roster_enrolments",
            (
                "SELECT household_id, * FROM enrolments WHERE deleted = 0 AND status IN ('在保', '渐退', '停保') "
                f"AND household_id IN (SELECT {pk} FROM households WHERE archived = 0 AND deleted = 0)"
            ),
            (),
        ),
    ):
        out[name] = [r[3] for r in db.query(f"EXPLAIN QUERY PLAN {sql}", params)]
    return out


# --- writes: what Store.save sends per row, through the views, into the base, and today --------------

WRITE_PATHS = ("text", "base", "view")


def _member_rows(db: Database, uuids: list[str]) -> list[tuple]:
    marks = ",".join("?" for _ in uuids)
    return db.query(f"SELECT * FROM members WHERE id IN ({marks})", uuids)


def write_sql(path: str, cols: list[str], form: str) -> tuple[str, str]:
    """(row statement, change-log statement) of one store-shaped write of a member on *path*.

    ``upsert`` is Repository.upsert's INSERT … ON CONFLICT(id) DO UPDATE (a view cannot be the target
    of an UPSERT, so through the view it is a plain INSERT and the INSTEAD OF INSERT trigger upserts);
    ``update`` is an UPDATE by UUID (through the view: the INSTEAD OF UPDATE trigger).
    """
    log_cols = ["entity", "row_id", "updated_at", "op", "content_hash"]
    if path == "base":
        names, exprs = base_values("members", cols, "?")
        log_names, log_exprs = (
            ["entity", "row_rid", "updated_at", "op", "content_hash"],
            [
                "?",
                "(SELECT rid FROM members_rows WHERE id = ?)",
                "?",
                "?",
                "?",
            ],
        )
        table, log = "members_rows", "change_log_rows"
    else:
        names, exprs, log_names, log_exprs = cols, ["?"] * len(cols), log_cols, ["?"] * 5
        table, log = "members", "change_log"
    log_sql = f"INSERT INTO {log}({', '.join(log_names)}) VALUES ({', '.join(log_exprs)})"
    if form == "update":
        sets = ", ".join(f"{n} = {e}" for n, e in zip(names, exprs, strict=True) if n != "id")
        return f"UPDATE {table} SET {sets} WHERE id = ?", log_sql
    sql = f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join(exprs)})"
    if path != "view":
        sql += " ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    return sql, log_sql


def run_writes(db: Database, path: str, form: str, rows: list[tuple], cols: list[str]) -> float:
    """Seconds for one store-shaped write per row (row + change-log entry), in one transaction, rolled back."""
    sql, log_sql = write_sql(path, cols, form)
    conn = db.conn
    assert conn is not None
    stamp = "1764500000000-00000-bench"
    conn.execute("BEGIN")
    started = time.perf_counter()
    for row in rows:
        params = (*row[1:], row[0]) if form == "update" else row
        conn.execute(sql, params)
        conn.execute(log_sql, ("members", row[0], stamp, "update" if form == "update" else "insert", "0" * 64))
    elapsed = time.perf_counter() - started
    conn.execute("ROLLBACK")
    return elapsed


def time_writes(dbs: dict[str, Database], n: int, rounds: int) -> dict:
    """n member updates and n member inserts on text, straight into the base tables, and through the views."""
    text, views = dbs["text"], dbs["views"]
    cols = [r[1] for r in text.query("PRAGMA table_info(members)")]
    rng = random.Random(8)
    uuids = rng.sample([r[0] for r in text.query("SELECT id FROM members")], n)
    households = [r[0] for r in text.query("SELECT id FROM households")]
    changed = [
        (*r[:2], stamp, *r[3:])
        for r, stamp in zip(_member_rows(text, uuids), [f"1764500000000-{i:05d}-bench" for i in range(n)], strict=True)
    ]
    at = cols.index("household_id")
    fresh = [
        tuple(
            str(random.Random(i).getrandbits(128)) if c == 0 else (rng.choice(households) if c == at else v)
            for c, v in enumerate(r)
        )
        for i, r in enumerate(changed)
    ]
    cases = [(form, path) for form in ("upsert", "update") for path in WRITE_PATHS] + [
        ("insert", path) for path in WRITE_PATHS
    ]
    samples: dict[str, list[float]] = {f"{form}_{path}": [] for form, path in cases}
    for _ in range(rounds):
        for form, path in cases:
            db = text if path == "text" else views
            rows = fresh if form == "insert" else changed
            samples[f"{form}_{path}"].append(run_writes(db, path, "upsert" if form == "insert" else form, rows, cols))
    out: dict = {"rows": n, "rounds": rounds}
    for form in ("upsert", "update", "insert"):
        today = median(samples[f"{form}_text"])
        for path in WRITE_PATHS:
            s = median(samples[f"{form}_{path}"])
            out[f"{form}_{path}"] = {"median_s": round(s, 3), "vs_text": round(s / today, 2)}
    return out


def same_values(text: Database, views: Database) -> dict[str, bool]:
    """Does every view give exactly today's rows (so content hashes and batch digests stay as they are)?"""
    out = {}
    for table in (*ENTITIES, "member_search", "change_log", "audit_log"):
        cols = ", ".join(_columns(text.conn, "main", table))
        order = "seq" if table in LOGS else ("member_id" if table == "member_search" else "id")
        digests = []
        for db in (text, views):
            h = hashlib.sha256()
            for row in db.execute(f"SELECT {cols} FROM {table} ORDER BY {order}"):
                h.update(repr(row).encode())
            digests.append(h.hexdigest())
        out[table] = digests[0] == digests[1]
    return out


# --- driver -----------------------------------------------------------------------------------


def run(  # noqa: PLR0913 (the command line's knobs, passed through)
    work: Path,
    runs: int,
    index_runs: int,
    keep: bool,
    layouts: tuple[str, ...] = LAYOUTS,
    *,
    close_runs: int = 3,
    writes: int = 10_000,
    write_rounds: int = 3,
    measure_space: bool = True,
) -> dict:
    data = office_dir("county-L")
    src_dir = work / "src"
    src_dir.mkdir(parents=True, exist_ok=True)
    for name in ("office.db", "keyslots.json"):  # a copy: other benchmarks may have the original open
        shutil.copy2(data / name, src_dir / name)
    key = source_key(src_dir)
    src = Database(src_dir / "office.db", key)
    if src.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'households_rows'"):
        src.close()
        # Its layouts are built from text-keyed tables, as every office held them before migration 13.
        raise SystemExit(
            "bench.id_storage compares layouts from an office at schema 12 or earlier; this one has "
            "integer keys already (migration 13). Point DOUDI_BENCH_OFFICES at a folder holding such an office."
        )
    result: dict = {
        "profile": "county-L",
        "source_file_bytes": (src_dir / "office.db").stat().st_size,
        "rows": {
            t: src.scalar(f"SELECT count(*) FROM {t}") for t in (*ENTITIES, "member_search", "change_log", "audit_log")
        },
        "layouts": {},
    }
    keys: dict[str, bytes] = {}
    for layout in layouts:
        path = work / f"{layout}.db"
        keys[layout], facts = build(src, path, layout)
        result["layouts"][layout] = {"file_bytes": path.stat().st_size, **facts}
        print(f"{layout}: {path.stat().st_size / 1e6:.1f} MB {facts}", flush=True)
    src.close()
    dbs = {layout: Database(work / f"{layout}.db", keys[layout]) for layout in layouts}
    for layout, db in dbs.items():
        result["layouts"][layout]["plans"] = plans(db, layout)
    result["queries"] = time_queries(dbs, runs, index_runs, close_runs)
    if "text" in dbs and "views" in dbs:
        result["views_give_todays_rows"] = same_values(dbs["text"], dbs["views"])
        print(f"views give today's rows: {result['views_give_todays_rows']}", flush=True)
        if writes:
            result["writes"] = time_writes(dbs, writes, write_rounds)
    for layout, db in dbs.items():
        if measure_space:
            result["layouts"][layout]["space_bytes"] = space(db)
            if layout != "views":  # through the views these would be the joined text, not what is stored
                result["layouts"][layout]["column_payload_bytes"] = column_bytes(db)
        db.close()
    if not keep:
        for layout in layouts:
            (work / f"{layout}.db").unlink(missing_ok=True)
        shutil.rmtree(src_dir, ignore_errors=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "idstore")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--index-runs", type=int, default=20)
    parser.add_argument("--close-runs", type=int, default=3, help="runs of the roster and the full read")
    parser.add_argument("--writes", type=int, default=10_000, help="member writes per case (text and views)")
    parser.add_argument("--write-rounds", type=int, default=3)
    parser.add_argument("--no-space", action="store_true", help="skip the per-table sizes (slow)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--out", default="id_storage", help="name of the JSON under bench/results/")
    parser.add_argument("--keep", action="store_true", help="keep the databases in --work")
    args = parser.parse_args(argv)
    out = run(
        args.work,
        args.runs,
        args.index_runs,
        args.keep,
        tuple(args.layouts.split(",")),
        close_runs=args.close_runs,
        writes=args.writes,
        write_rounds=args.write_rounds,
        measure_space=not args.no_space,
    )
    path = save(args.out, out)
    sizes = {k: v["file_bytes"] / 1e6 for k, v in out["layouts"].items()}
    print(
        "county-L after VACUUM: "
        + ", ".join(f"{k} {v:.0f} MB ({v / sizes.get('text', v):.0%})" for k, v in sizes.items())
        + f"  → {path}"
    )
    for q, by in out["queries"].items():
        print(f"  {q:20s} " + "  ".join(f"{k} p50 {v['p50_ms']:.2f} p95 {v['p95_ms']:.2f} ms" for k, v in by.items()))
    for case, w in out.get("writes", {}).items():
        if isinstance(w, dict):
            print(f"  write {case:15s} {w['median_s']:.2f} s ({w['vs_text']:.2f}× text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
