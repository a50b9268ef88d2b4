"""Search as you type on county-L (budget p95 ≤ 30 ms, docs/architecture.md §7).

For a sample of members of the reference office we "type" three kinds of search text one
character at a time — the name (张, 张三), the pinyin initials (z, zs, zsf) and a fragment of
the ID number (640, 6404, …) — and for every prefix run what the register page runs after
its debounce: ``RegisterQueries.ids(HouseholdQuery(text=…))`` (app/services/register_queries.py,
on the narrow ``member_search`` table of migration 2, stopping at SEARCH_CAP people) then
``households.rows()`` for the first page of 100. For comparison the same prefixes also go
through ``households.ids()`` and ``households.find_people`` (the household service's entry points,
which go through the same index), and ``RegisterQueries.find_people`` directly.

The baseline, measured in the same run on the same connection, is the plain indexed lookup
``SELECT … FROM members WHERE id_number = ?``. One line is printed; the JSON goes to
bench/results/search_typing.json.

    python -m bench.search_typing [--profile county-L] [--sample 40] [--explain]
"""

from __future__ import annotations

import argparse
import random
import time

from app.services.households import HouseholdQuery
from app.services.register_queries import RegisterQueries

from .common import median, p95, save
from .datasets import open_office

BUDGET_MS = 30.0
PAGE = 100


def _prefixes(text: str, start: int = 1) -> list[str]:
    return [text[:i] for i in range(start, len(text) + 1)]


def typing_sequences(session, sample: int, seed: int = 7) -> dict[str, list[str]]:
    """Successive prefixes as a clerk would type them, by kind."""
    from app.services.search_text import initials_and_pinyin

    rng = random.Random(seed)
    total = session.db.scalar("SELECT count(*) FROM members WHERE deleted = 0")
    rows = []
    for _ in range(sample):
        offset = rng.randrange(total)
        rows.append(
            session.db.query("SELECT name, id_number FROM members WHERE deleted = 0 LIMIT 1 OFFSET ?", (offset,))[0]
        )
    names, initials, ids = [], [], []
    for name, number in rows:
        names += _prefixes(name)
        initials += _prefixes(initials_and_pinyin(name)[0])
        start = rng.randrange(4, 12)  # a fragment from somewhere inside the number
        ids += _prefixes(number[start : start + 8], start=3)
    return {"name": names, "initials": initials, "id_fragment": ids}


def explain(session, text: str) -> dict[str, list[str]]:
    hs = session.households
    where, params = hs._where(HouseholdQuery(text=text))
    service = session.db.query(
        f"EXPLAIN QUERY PLAN SELECT h.id FROM households h WHERE {where} ORDER BY h.village_code, h.head_name", params
    )
    return {"service": [r[-1] for r in service]}


def ensure_search_migration(session) -> bool:
    """Reference offices built while migration 2 was still being written are at version 3
    without it (a version number is never applied twice); add its tables here. True if done."""
    columns = {r[1] for r in session.db.query("PRAGMA table_info(member_search)")}
    if "name" in columns:
        return False
    from app.db.migrations import m0002_search
    from app.db.schema import _statements

    with session.db.transaction():
        for statement in _statements(m0002_search.SQL):
            session.db.execute(statement)
    return True


def run(profile: str, sample: int, show_plan: bool) -> dict:
    # A clerk, as at the counter: the administrator sees masked ID numbers and can search by a whole
    # number only, which would leave the ID-fragment searches with nothing to find.
    session = open_office(profile, user="clerk")
    try:
        patched = ensure_search_migration(session)
        hs = session.households
        rq = RegisterQueries(session)
        db = session.db
        seqs = typing_sequences(session, sample)
        numbers = [r[0] for r in db.query("SELECT id_number FROM members WHERE deleted = 0 ORDER BY id LIMIT 400")]
        # warm the page cache the same way for both sides
        rq.ids(HouseholdQuery(text="zh"))
        hs.ids(HouseholdQuery(text="zh"))
        for n in numbers[:20]:
            db.query("SELECT id, household_id, name FROM members WHERE id_number = ?", (n,))

        base = []
        for n in numbers:
            t = time.perf_counter()
            db.query("SELECT id, household_id, name FROM members WHERE id_number = ?", (n,))
            base.append((time.perf_counter() - t) * 1000)

        results: dict[str, dict] = {}
        every_list, every_drop, every_service, every_index_drop = [], [], [], []
        slowest: list[tuple[float, str]] = []
        for kind, texts in seqs.items():
            list_ms, drop_ms, service_ms, index_drop_ms, hits = [], [], [], [], []
            # The page's path first, on its own: the comparison calls below read the wide members
            # table and would push the search index out of the page cache between keystrokes.
            for text in texts:
                t = time.perf_counter()
                ids = rq.ids(HouseholdQuery(text=text)).ids
                hs.rows(ids[:PAGE])
                elapsed = (time.perf_counter() - t) * 1000
                list_ms.append(elapsed)
                hits.append(len(ids))
                slowest.append((elapsed, text))
                t = time.perf_counter()
                rq.find_people(text)
                index_drop_ms.append((time.perf_counter() - t) * 1000)
            for text in texts[::3]:
                t = time.perf_counter()
                hs.find_people(text)
                drop_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                hs.rows(hs.ids(HouseholdQuery(text=text))[:PAGE])
                service_ms.append((time.perf_counter() - t) * 1000)
            every_list += list_ms
            every_drop += drop_ms
            every_service += service_ms
            every_index_drop += index_drop_ms
            results[kind] = {
                "queries": len(texts),
                "list_p50_ms": median(list_ms),
                "list_p95_ms": p95(list_ms),
                "dropdown_p50_ms": median(drop_ms),
                "dropdown_p95_ms": p95(drop_ms),
                "service_ids_p95_ms": p95(service_ms),
                "dropdown_index_p95_ms": p95(index_drop_ms),
                "median_hits": median(hits),
            }
        slowest.sort(reverse=True)
        out = {
            "profile": profile,
            "search_migration_added_by_bench": patched,
            "members": db.scalar("SELECT count(*) FROM members WHERE deleted = 0"),
            "households": db.scalar("SELECT count(*) FROM households WHERE deleted = 0"),
            "baseline_p50_ms": median(base),
            "baseline_p95_ms": p95(base),
            "list_p50_ms": median(every_list),
            "list_p95_ms": p95(every_list),
            "dropdown_p50_ms": median(every_drop),
            "dropdown_p95_ms": p95(every_drop),
            "dropdown_index_p50_ms": median(every_index_drop),
            "dropdown_index_p95_ms": p95(every_index_drop),
            "service_ids_p50_ms": median(every_service),
            "service_ids_p95_ms": p95(every_service),
            "ratio_p95_vs_baseline": p95(every_list) / max(p95(base), 1e-6),
            "budget_p95_ms": BUDGET_MS,
            "within_budget": p95(every_list) <= BUDGET_MS,
            "by_kind": results,
            "slowest": [{"ms": round(ms, 2), "text": text} for ms, text in slowest[:8]],
        }
        if show_plan:
            out["plans"] = {text: explain(session, text) for text in ("z", "zs", "张", "640424", "1234")}
        return out
    finally:
        session.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="county-L")
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args(argv)
    out = run(args.profile, args.sample, args.explain)
    path = save("search_typing", out)
    print(
        f"search_typing {out['profile']}: list p50 {out['list_p50_ms']:.1f} ms, p95 {out['list_p95_ms']:.1f} ms "
        f"(budget {BUDGET_MS:.0f}); households.ids() p95 {out['service_ids_p95_ms']:.1f} ms; "
        f"find_people p95 {out['dropdown_p95_ms']:.1f} ms (through the index "
        f"{out['dropdown_index_p95_ms']:.1f} ms); baseline id_number= lookup "
        f"p95 {out['baseline_p95_ms']:.3f} ms; {'OK' if out['within_budget'] else 'OVER BUDGET'} -> {path}"
    )


if __name__ == "__main__":
    main()
