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
* ``blob_lean`` — ``lean`` with 16-byte BLOB keys instead of integer keys (is the key change needed?).

For each: file size after VACUUM, pages per table and index (SQLCipher's build has no dbstat, so
the copy is replayed into an in-memory stdlib SQLite with the same 4 KiB pages and measured
there, then scaled to the encrypted file), and p50/p95 of the queries the register page and
bench.search_typing depend on (app/services/register_queries.py, households.rows, the search
index build of app/services/search_index.py), adapted to each layout and interleaved run by run.

    python -m bench.id_storage [--runs 300] [--work /tmp/idstore] [--keep]

Nothing leaves the encrypted files but sizes and timings; the JSON goes to bench/results/id_storage.json.
"""

from __future__ import annotations

import argparse
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
from .datasets import PASSWORD, office_dir

LAYOUTS = ("text", "blob", "integer", "compact", "lean", "blob_lean")
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
        raw = [r[0] for r in db.query(f"SELECT {self.pk} FROM households WHERE deleted = 0 ORDER BY rowid")]
        self.households = [r.hex() if isinstance(r, bytes) else r for r in raw]
        name = "uuid" if layout in INTEGER_KEYS else "id"
        self.uuids = [r[0] for r in db.query(f"SELECT {name} FROM households ORDER BY rowid")]

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
        # As register_queries does: look the few matched households up by key (here the rowid itself).
        hint = "NOT INDEXED " if self.layout in INTEGER_KEYS else "INDEXED BY sqlite_autoindex_households_1 "
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


QUERIES = ("list_all", "list_search", "page_rows", "household_by_uuid", "search_index_build")


def time_queries(dbs: dict[str, Database], runs: int, index_runs: int) -> dict:
    qs = {name: Queries(db, name) for name, db in dbs.items()}
    samples: dict[str, dict[str, list[float]]] = {q: {layout: [] for layout in dbs} for q in QUERIES}
    counts: dict[str, dict[str, int]] = {q: {} for q in QUERIES}
    for q in QUERIES:
        n = runs if q != "search_index_build" else index_runs
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
    ):
        out[name] = [r[3] for r in db.query(f"EXPLAIN QUERY PLAN {sql}", params)]
    return out


# --- driver -----------------------------------------------------------------------------------


def run(work: Path, runs: int, index_runs: int, keep: bool, layouts: tuple[str, ...] = LAYOUTS) -> dict:
    data = office_dir("county-L")
    src_dir = work / "src"
    src_dir.mkdir(parents=True, exist_ok=True)
    for name in ("office.db", "keyslots.json"):  # a copy: other benchmarks may have the original open
        shutil.copy2(data / name, src_dir / name)
    key = source_key(src_dir)
    src = Database(src_dir / "office.db", key)
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
    result["queries"] = time_queries(dbs, runs, index_runs)
    for layout, db in dbs.items():
        result["layouts"][layout]["space_bytes"] = space(db)
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
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--keep", action="store_true", help="keep the three databases in --work")
    args = parser.parse_args(argv)
    out = run(args.work, args.runs, args.index_runs, args.keep, tuple(args.layouts.split(",")))
    path = save("id_storage", out)
    sizes = {k: v["file_bytes"] / 1e6 for k, v in out["layouts"].items()}
    print(
        "county-L after VACUUM: "
        + ", ".join(f"{k} {v:.0f} MB ({v / sizes.get('text', v):.0%})" for k, v in sizes.items())
        + f"  → {path}"
    )
    for q, by in out["queries"].items():
        print(f"  {q:20s} " + "  ".join(f"{k} p50 {v['p50_ms']:.2f} p95 {v['p95_ms']:.2f} ms" for k, v in by.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
