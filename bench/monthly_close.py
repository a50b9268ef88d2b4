"""The monthly close of county-L against reading every row once (docs/architecture.md §7, issue: monthly close).

Work measured: the monitoring rules over every household, the month's payment roster
built from every enrolment in force, and the 增减名单 against the previous month.
Baseline, in the same run: one plain read of every row of the tables that work touches.

Both are timed by the clock on the wall and by the CPU time of this process: on a machine busy
with other work the wall clock counts the time spent waiting for a core, which can move the
wall ratio by a third from one run to the next; the CPU ratio stays put.
"""

from __future__ import annotations

import argparse
import sys
import time

from .common import save
from .datasets import END_MONTH, open_office

TABLES = ("households", "members", "visits", "enrolments", "payments", "income_items", "alerts")


def read_everything(session) -> int:
    n = 0
    for table in TABLES:
        for _row in session.db.execute(f"SELECT * FROM {table}"):
            n += 1
    return n


def cpu_timed(fn, *args):
    """(wall seconds, CPU seconds of this process, value)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, value


def close_work(session, month: str) -> dict:
    t_rules, c_rules, alerts = cpu_timed(session.monitoring.run, month)
    t_roster, c_roster, summary = cpu_timed(session.payments.build, month)
    t_changes, c_changes, changes = cpu_timed(session.monthly_close.changes, month)
    return {
        "rules_s": t_rules,
        "roster_s": t_roster,
        "changes_s": t_changes,
        "rules_cpu_s": c_rules,
        "roster_cpu_s": c_roster,
        "changes_cpu_s": c_changes,
        "new_alerts": alerts,
        "roster_lines": summary["lines"],
        "changes": len(changes),
    }


def run(profile: str = "county-L", month: str = END_MONTH) -> dict:
    session = open_office(profile, "clerk")
    try:
        read_everything(session)  # warm the page cache for both measurements alike
        t_base, c_base, rows = cpu_timed(read_everything, session)
        t_close, c_close, parts = cpu_timed(close_work, session, month)
    finally:
        session.close()
    return {
        "profile": profile,
        "month": month,
        "rows_read": rows,
        "baseline_s": t_base,
        "close_s": t_close,
        "ratio": t_close / t_base,
        "baseline_cpu_s": c_base,
        "close_cpu_s": c_close,
        "cpu_ratio": c_close / c_base,
        **parts,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="county-L")
    parser.add_argument("--month", default=END_MONTH)
    args = parser.parse_args(argv)
    out = run(args.profile, args.month)
    path = save("monthly_close", out)
    print(
        f"monthly close on {out['profile']} ({out['month']}): {out['close_s']:.1f} s "
        f"(rules {out['rules_s']:.1f} s, roster {out['roster_s']:.1f} s, 增减名单 {out['changes_s']:.1f} s) "
        f"vs reading all {out['rows_read']} rows once {out['baseline_s']:.2f} s → {out['ratio']:.1f}× "
        f"(CPU time: {out['close_cpu_s']:.1f} s vs {out['baseline_cpu_s']:.2f} s → {out['cpu_ratio']:.1f}×)  → {path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
