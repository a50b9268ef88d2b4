"""Comparing a department's list with the register against the floor of reading it (issue 12 point 8).

One ratio, measured in one run: ``s.comparison.run`` of a 100,000-row ``.xlsx`` (a synthetic 公安
list: people of county-L written as text, some dead, some moved, strangers, numbers stored as
numbers) against county-L ÷ python-calamine's bare read of the same file (``to_python`` of its
sheet, best of three); budget ≤ 1.5×. The run is split where it reports "正在保存比对结果…":
comparing (reading, layout, one bulk read of the register, matching, findings), to which the
budget applies, and storing the findings with their change-log entries (``store_s``, reported
beside it, as ``total_ratio``). Wall and CPU seconds are both kept: on a shared machine the CPU
ratio is the steadier one.

That first run is cold: the session reads the register for it. The session keeps the register
index between comparisons, fresh from the change log, so a second one (``warm_*``) is timed too,
as a clerk meets it: one member changed in between (re-read by id) and the month before (only the
people whose programmes differ are redone). ``register_index_s`` is a fresh read of the register
alone, and ``warm_register_index_s`` the kept one refreshed after another change.

``--cprofile`` runs a third comparison (two months back, so it stores too) under cProfile into
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
import tempfile
import time
from pathlib import Path

from .common import RESULTS, save
from .datasets import PASSWORD, office_dir

ROWS = 100_000
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


def months_before(month: str) -> str:
    from app.domain import months

    return months.add(month, -1)


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
            result, compare, compare_cpu, store, store_cpu = timed_run(s, path, MONTH)
            change_one_member(s, people[0][0])
            _warm, warm, warm_cpu, warm_store, _warm_store_cpu = timed_run(s, path, months_before(MONTH))
            gc.collect()
            t = time.perf_counter()
            s.comparison.register_index(MONTH, fresh=True)
            index_read = time.perf_counter() - t
            change_one_member(s, people[1][0])
            t = time.perf_counter()
            s.comparison.register_index(MONTH)
            warm_index_read = time.perf_counter() - t
            out = {
                "profile": args.profile,
                "rows": result.rows_read,
                "register_members": len(people),
                "findings": sum(len(r.findings) for r in result.rows),
                "write_list_s": round(written, 2),
                "calamine_read_s": round(floor, 3),
                "calamine_read_cpu_s": round(floor_cpu, 3),
                "compare_s": round(compare, 3),
                "compare_cpu_s": round(compare_cpu, 3),
                "store_s": round(store, 3),
                "store_cpu_s": round(store_cpu, 3),
                "register_index_s": round(index_read, 3),
                "ratio": round(compare / floor, 2),
                "ratio_cpu": round(compare_cpu / floor_cpu, 2),
                "total_ratio": round((compare + store) / floor, 2),
                "warm_compare_s": round(warm, 3),
                "warm_compare_cpu_s": round(warm_cpu, 3),
                "warm_store_s": round(warm_store, 3),
                "warm_register_index_s": round(warm_index_read, 3),
                "warm_ratio": round(warm / floor, 2),
                "warm_ratio_cpu": round(warm_cpu / floor_cpu, 2),
                "budget": BUDGET,
                "within_budget": compare / floor <= BUDGET,
                "warm_within_budget": warm / floor <= BUDGET,
            }
            if args.cprofile:
                to = RESULTS / "compare-profile.txt"
                profiled_run(s, path, months_before(months_before(MONTH)), to)
                out["cprofile"] = str(to.relative_to(RESULTS.parent.parent))
        finally:
            s.close()
    print(save("compare", out))
    for k, v in out.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
