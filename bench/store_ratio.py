"""SQLCipher vs plain SQLite on the same insert-and-query workload (budget ≤ 1.3×, docs/architecture.md §7).

Both databases get the same schema (our migrations), the same pragmas (WAL,
synchronous=FULL), the same rows (township-M from the project's generator) and the
same queries; only the encryption differs. The ratio is cipher time / plain time.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import secrets
import sqlite3
import sys
import tempfile
from pathlib import Path

from app.db.database import Database
from app.db.integrity import content_hash
from app.db.migrations import MIGRATIONS
from app.db.repository import Repository
from app.db.schema import statements_of
from app.demo.generator import generate
from app.services.search_text import initials_and_pinyin

from .common import save, timed


def _unhex(text):
    return None if text is None else bytes.fromhex(text)


class PlainDatabase:
    """The unencrypted twin of app.db.database.Database, for the baseline.

    By default it is the same SQLite engine (SQLCipher's, with no key: a plain file), so
    the ratio measures encryption and nothing else; ``engine="stdlib"`` uses Python's sqlite3.
    """

    def __init__(self, path: Path, engine: str = "sqlcipher-nokey"):
        import sqlcipher3

        module = sqlcipher3 if engine == "sqlcipher-nokey" else sqlite3
        self.conn = module.connect(str(path), isolation_level=None)
        if engine == "stdlib" and sqlite3.sqlite_version_info < (3, 41):
            # The schema keeps the change log's hash as bytes with unhex(), new in SQLite 3.41; Python's
            # own older SQLite gets it as a Python function (this side comparison only).
            self.conn.create_function("unhex", 1, _unhex, deterministic=True)
        from app.db.database import CACHE_KIB

        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "temp_store = MEMORY",
            f"cache_size = -{CACHE_KIB}",
        ):
            self.conn.execute(f"PRAGMA {pragma}")

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def executemany(self, sql, rows):
        return self.conn.executemany(sql, rows)

    def query(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def transaction(self):
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self):
        self.conn.close()


def create_schema(db) -> None:
    with db.transaction():
        for _, step in MIGRATIONS:
            for statement in statements_of(step, db.query):
                db.execute(statement)


def load(db, bundles) -> None:
    """Insert everything, one transaction per 500 households (as an import would)."""
    by_type: dict[type, list] = {}
    search: list[tuple[str, ...]] = []
    for i, b in enumerate(bundles, 1):
        for obj in (b.household, *b.members, *b.visits, *b.enrolments, *b.payments, *b.income):
            by_type.setdefault(type(obj), []).append(obj)
        search.extend((m.id, m.household_id, *initials_and_pinyin(m.name)) for m in b.members)
        if i % 500 == 0 or i == len(bundles):
            with db.transaction():
                for cls, rows in by_type.items():
                    Repository(db, cls).upsert_many(rows)
                db.executemany(
                    "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)", search
                )
                # with its content hash, as Store.bulk_save writes it (issue 8: the budget holds with hashes on)
                db.executemany(
                    "INSERT INTO change_log(entity, row_id, updated_at, op, content_hash) "
                    "VALUES (?, ?, ?, 'insert', ?)",
                    [(o.TABLE, o.id, o.updated_at, content_hash(o)) for rows in by_type.values() for o in rows],
                )
            by_type.clear()
            search.clear()


def queries(db, id_numbers, names, initials) -> None:
    for n in id_numbers:
        db.execute("SELECT household_id FROM members WHERE id_number = ?", (n,)).fetchall()
    for n in names:
        db.execute("SELECT household_id FROM members WHERE name LIKE ? LIMIT 50", (f"%{n}%",)).fetchall()
    for i in initials:
        db.execute("SELECT household_id FROM member_search WHERE initials LIKE ? LIMIT 50", (f"{i}%",)).fetchall()
    db.execute("SELECT village_code, count(*) FROM households GROUP BY village_code").fetchall()
    db.execute("SELECT month, programme, sum(amount_fen) FROM payments GROUP BY month, programme").fetchall()
    db.execute(
        "SELECT h.id FROM households h WHERE h.under_watch = 1 AND NOT EXISTS (SELECT 1 FROM visits v "
        "WHERE v.household_id = h.id AND v.visit_date >= '2026-11-01')"
    ).fetchall()


def run(profile: str = "township-M", repeats: int = 3) -> dict:
    bundles = list(generate(profile, "640424100" if profile != "county-L" else "640424"))
    for b in bundles:  # the store stamps these; the bench does it once for both runs
        for obj in (b.household, *b.members, *b.visits, *b.enrolments, *b.payments, *b.income):
            obj.updated_at, obj.updated_by = "0000000000000-00000-bench", "bench"
    members = [m for b in bundles for m in b.members]
    rng = random.Random(7)
    sample = rng.sample(members, 2000)
    id_numbers = [m.id_number for m in sample]
    names = [m.name[-2:] for m in sample[:300]]
    initials = [initials_and_pinyin(m.name)[0][:2] for m in sample[:300]]

    kinds = ("plain", "cipher", "stdlib")
    results: dict[str, dict[str, list[float]]] = {k: {"insert": [], "query": []} for k in kinds}
    for _ in range(repeats):
        for kind in kinds:  # interleaved so drift hits all alike
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{kind}.db"
                db: Database | PlainDatabase
                if kind == "cipher":
                    db = Database(path, secrets.token_bytes(32), create=True)
                else:
                    db = PlainDatabase(path, "stdlib" if kind == "stdlib" else "sqlcipher-nokey")
                create_schema(db)
                t_insert, _ = timed(load, db, bundles)
                t_query, _ = timed(queries, db, id_numbers, names, initials)
                db.close()
            results[kind]["insert"].append(t_insert)
            results[kind]["query"].append(t_query)
    best = {k: {w: min(v) for w, v in d.items()} for k, d in results.items()}
    total = {k: d["insert"] + d["query"] for k, d in best.items()}
    return {
        "profile": profile,
        "rows": {"households": len(bundles), "members": len(members)},
        "seconds": best,
        "ratio_insert": best["cipher"]["insert"] / best["plain"]["insert"],
        "ratio_query": best["cipher"]["query"] / best["plain"]["query"],
        "ratio_total": total["cipher"] / total["plain"],
        "ratio_total_vs_stdlib_sqlite": total["cipher"] / total["stdlib"],
        "budget": 1.3,
        "sqlcipher_sqlite": sqlite_versions(),
    }


def sqlite_versions() -> dict:
    import sqlcipher3

    return {"sqlcipher_sqlite": sqlcipher3.sqlite_version, "stdlib_sqlite": sqlite3.sqlite_version}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="township-M")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    out = run(args.profile, args.repeats)
    path = save("store_ratio", out)
    print(
        f"SQLCipher / SQLite on {out['profile']} ({out['rows']['households']} households, "
        f"{out['rows']['members']} members): insert {out['ratio_insert']:.2f}×, "
        f"query {out['ratio_query']:.2f}×, total {out['ratio_total']:.2f}× (budget ≤ {out['budget']}×); "
        f"against Python's own sqlite3 {out['ratio_total_vs_stdlib_sqlite']:.2f}×  → {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
