"""Comparing a department's list with the register against the floor of reading it (issue 12 point 8).

One ratio, measured in one run: ``s.comparison.run`` of a 100,000-row ``.xlsx`` (a synthetic 公安
list: people of county-L written as text, some dead, some moved, strangers, numbers stored as
numbers) against county-L ÷ python-calamine's bare read of the same file (``to_python`` of its
sheet, best of three); budget ≤ 1.5×. The run is split where it reports "正在保存比对结果…":
comparing (reading, layout, one bulk read of the register, matching, findings), to which the
budget applies, and storing the findings with their change-log entries (``store_s``, reported
beside it, as ``total_ratio``). Wall and CPU seconds are both kept; the register is read on a
second thread while calamine parses the sheet (it lets go of the interpreter), so a run's CPU
seconds may exceed its wall seconds. The machine is shared: each run is timed right after its own
bare read, and the median of the runs' ratios is reported (``*_ratio_each`` lists them).

The first runs (``COLD_RUNS``) are cold: the session's register index is let go before each, so
the run reads the register. The session keeps the index between comparisons, fresh from the change
log, so later ones (``warm_*``, ``WARM_RUNS``) are timed as a clerk meets them: one member changed
in between (re-read by id) and another month (only the people whose programmes differ are redone;
each run stores its findings). ``register_index_s`` is a fresh read of the register alone, and
``warm_register_index_s`` the kept one refreshed after another change. ``calamine_read_and_lookup_s``
is the floor of any comparison written in Python: the bare read, then one dictionary lookup of each
row's ID cell (``lookup_floor_ratio`` to the bare read).

A warm run's steps are also timed apart (:func:`steps`): ``size_scan_s`` (the sparse-sheet check
before calamine may parse), ``match_s`` (matching the rows as read against the kept register) and
``sift_s`` (the floor of its C-speed part).

``--cprofile`` runs one more comparison (another month, so it stores too) under cProfile into
bench/results/compare-profile.txt. The import of a 6,000-household ledger is timed by
``bench.ledger_import``.

The run works on a copy of the reference office under a temporary folder: the reference office is
never changed. The list is synthetic and is written to the temporary folder only.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from app.domain import months

from .common import RESULTS, save
from .datasets import PASSWORD, office_dir

ROWS = 100_000
COLD_RUNS, WARM_RUNS = 3, 5
_ID_COLUMN = 2  # the list's 公民身份号码 column
BUDGET = 1.5
PROFILE = "county-L"
MONTH = "2026-11"
# The list's make-up: people of the register, of whom some numbers were stored as numbers; deaths; moves.
OURS, DAMAGED, DEAD, MOVED = 0.8, 0.02, 0.3, 0.1


def write_list(path: Path, people: list[tuple[str, str, str]], rows: int, seed: int = 12) -> None:
    from datetime import date

    from openpyxl import Workbook

    from app.domain import idnumber

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("死亡注销")
    ws.append(["泾源县公安局死亡注销和迁出人员名单"])
    ws.append(["填报单位：泾源县公安局（盖章）"])
    ws.append(["序号", "姓名", "公民身份号码", "出生日期", "死亡日期", "迁往地址"])
    for n in range(1, rows + 1):
        roll = rng.random()
        if roll < OURS and people:
            _mid, name, number = rng.choice(people)
            cell: object = float(number[:17] + "0") if roll < DAMAGED and number[:17].isdigit() else number
        else:
            name, cell = "某某", idnumber.make("640424", date(1950 + n % 50, 1 + n % 12, 1 + n % 28), n % 1000)
        died = "2026-10-03" if rng.random() < DEAD else None
        moved = "银川市" if not died and rng.random() < MOVED else None
        ws.append([n, name, cell, None, died, moved])
    ws.append(["合计", f"{rows} 人"])
    ws.append(["制表人：张三", None, "审核人：李四"])
    wb.save(path)


def lookup_read(path: Path, register: dict[str, str]) -> tuple[float, float]:
    """(the bare read, the bare read then one dictionary lookup of each row's ID cell): the floor of
    any comparison written in Python. Wall seconds, each the best of three, taken in turns."""
    import python_calamine

    bare = looked = float("inf")
    # An ID cell is a number when the list stored the ID as one; a dict lookup takes any cell.
    get = cast("Callable[[object], str | None]", register.get)
    for _ in range(3):
        t = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        bare = min(bare, time.perf_counter() - t)
        t = time.perf_counter()
        rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        _found = [get(r[_ID_COLUMN]) for r in rows]
        looked = min(looked, time.perf_counter() - t)
    return bare, looked


def steps(s, path: Path, month: str) -> dict[str, float]:
    """What a warm comparison's steps cost apart, each the best of three (wall seconds): the size
    scan that must precede calamine's parse (``extent``), and the matching of the rows as read
    against the kept register (``compare_rows``: the C-speed sift of the quiet rows, then the loop
    over the others), with ``sift_s`` the sift's own floor (look up every ID cell, compare every
    name and gate cell, at C speed, nothing else)."""
    import zipfile
    from itertools import repeat
    from operator import eq, itemgetter

    from app.domain import sheet_layout
    from app.services.comparison import source_kind
    from app.services.comparison_rows import compare_rows
    from app.sheets import extent
    from app.sheets.reader import read_sheet

    kind = source_kind("公安")
    index = s.comparison.register_index(month)
    raw = read_sheet(path, as_read=True)
    head = [sheet_layout.as_cells(r) for r in raw.rows[: sheet_layout.HEADER_SCAN_ROWS * 2]]
    layout = s.comparison._layout(head, kind, None)
    body = raw.rows[max(layout.header_rows) + 1 :]
    cols = layout.columns

    def sift() -> None:
        nobody = ("", "", "", None)  # a Person's shape: its name (the fourth) equal to no cell
        persons = list(map(index.by_id.get, map(itemgetter(cols["id_number"]), body), repeat(nobody)))
        list(map(eq, map(itemgetter(cols["name"]), body), map(itemgetter(3), persons)))
        for field in ("death_date", "moved_to"):
            list(map(eq, map(itemgetter(cols[field]), body), repeat("")))

    def scan() -> None:
        with zipfile.ZipFile(path) as zf:
            extent.extent(zf, extent.sheet_parts(zf)[raw.sheet])

    out = {}
    for name, step in (
        ("size_scan_s", scan),
        ("sift_s", sift),
        ("match_s", lambda: compare_rows(kind, raw, head, layout, index)),
    ):
        best = float("inf")
        for _ in range(3):
            gc.collect()
            gc.disable()
            t = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - t)
            gc.enable()
        out[name] = round(best, 3)
    return out


def summary(prefix: str, runs: list[tuple[tuple[float, float], Any, float, float, float, float]]) -> dict[str, Any]:
    """The medians of runs timed each beside its own bare read (the machine is shared: a ratio is
    taken between neighbours, then the middle one kept)."""
    med = statistics.median
    return {
        f"{prefix}runs": len(runs),
        f"{prefix}compare_s": round(med(r[2] for r in runs), 3),
        f"{prefix}compare_cpu_s": round(med(r[3] for r in runs), 3),
        f"{prefix}store_s": round(med(r[4] for r in runs), 3),
        f"{prefix}store_cpu_s": round(med(r[5] for r in runs), 3),
        f"{prefix}ratio": round(med(r[2] / r[0][0] for r in runs), 2),
        f"{prefix}ratio_cpu": round(med(r[3] / r[0][1] for r in runs), 2),
        f"{prefix}ratio_each": [round(r[2] / r[0][0], 2) for r in runs],
        f"{prefix}total_ratio": round(med((r[2] + r[4]) / r[0][0] for r in runs), 2),
    }


def calamine_read(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of the bare read, each the best of three."""
    import python_calamine

    wall = cpu = float("inf")
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu


class Split:
    """A run's progress, remembering when it turned from comparing to storing."""

    def __init__(self) -> None:
        self.storing: tuple[float, float] | None = None

    def update(self, done: int, total: int, label: str) -> None:
        if self.storing is None and "保存" in label:
            self.storing = (time.perf_counter(), time.process_time())


def timed_run(s, path: Path, month: str):
    """(result, compare wall, compare CPU, store wall, store CPU)."""
    gc.collect()
    split = Split()
    t, c = time.perf_counter(), time.process_time()
    result = s.comparison.run(path, "公安", month=month, progress=split)
    end_t, end_c = time.perf_counter(), time.process_time()
    at_t, at_c = split.storing or (end_t, end_c)
    return result, at_t - t, at_c - c, end_t - at_t, end_c - at_c


def profiled_run(s, path: Path, month: str, to: Path) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    s.comparison.run(path, "公安", month=month)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    to.write_text(out.getvalue())


def change_one_member(s, member_id: str) -> None:
    """A small write between two comparisons, as a clerk's day has: one member's health noted."""
    from dataclasses import replace

    from app.domain.entities import Member

    member = s.store.repo(Member).get(member_id)
    with s.store.transaction():
        s.store.save(replace(member, health="重病" if member.health != "重病" else "健康"), "admin", "体检")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--profile", default=PROFILE, help="the reference office (county-L)")
    parser.add_argument("--cprofile", action="store_true", help="write bench/results/compare-profile.txt")
    args = parser.parse_args()
    from app.services.office import open_session

    with tempfile.TemporaryDirectory(prefix="doudi-bench-compare-") as tmp:
        data = Path(tmp) / "office"
        shutil.copytree(office_dir(args.profile), data)
        s = open_session(data, "admin", PASSWORD)
        try:
            people = [(m, n, i) for m, n, i in s.db.query("SELECT id, name, id_number FROM members WHERE deleted = 0")]
            path = Path(tmp) / "公安名单.xlsx"
            t = time.perf_counter()
            write_list(path, people, args.rows)
            written = time.perf_counter() - t
            floor, floor_cpu = calamine_read(path)
            bare, lookup_floor = lookup_read(path, {i: m for m, _n, i in people})
            # Cold: the session has no register index yet (forgotten before each of these).
            cold = []
            for k in range(COLD_RUNS):
                s.comparison.forget_register()
                reference = calamine_read(path)
                cold.append((reference, *timed_run(s, path, months.add(MONTH, -k))))
            result = cold[0][1]
            # Warm: the index kept from the run before, brought up to date after a member changed,
            # in another month (so each run stores its findings too).
            warm = []
            for k in range(COLD_RUNS, COLD_RUNS + WARM_RUNS):
                change_one_member(s, people[k][0])
                reference = calamine_read(path)
                warm.append((reference, *timed_run(s, path, months.add(MONTH, -k))))
            gc.collect()
            t = time.perf_counter()
            s.comparison.register_index(MONTH, fresh=True)
            index_read = time.perf_counter() - t
            change_one_member(s, people[1][0])
            t = time.perf_counter()
            s.comparison.register_index(MONTH)
            warm_index_read = time.perf_counter() - t
            apart = steps(s, path, MONTH)
            out = {
                "profile": args.profile,
                "rows": result.rows_read,
                "register_members": len(people),
                "findings": sum(len(r.findings) for r in result.rows),
                "write_list_s": round(written, 2),
                "calamine_read_s": round(floor, 3),
                "calamine_read_cpu_s": round(floor_cpu, 3),
                "calamine_read_and_lookup_s": round(lookup_floor, 3),
                "lookup_floor_ratio": round(lookup_floor / bare, 2),
                **summary("", cold),
                "register_index_s": round(index_read, 3),
                **summary("warm_", warm),
                "warm_register_index_s": round(warm_index_read, 3),
                **apart,
                "budget": BUDGET,
            }
            out["within_budget"] = out["ratio"] <= BUDGET
            out["warm_within_budget"] = out["warm_ratio"] <= BUDGET
            if args.cprofile:
                to = RESULTS / "compare-profile.txt"
                profiled_run(s, path, months.add(MONTH, -(COLD_RUNS + WARM_RUNS)), to)
                out["cprofile"] = str(to.relative_to(RESULTS.parent.parent))
        finally:
            s.close()
    print(save("compare", out))
    for key, v in out.items():
        print(f"{key}: {v}")


if __name__ == "__main__":
    main()
