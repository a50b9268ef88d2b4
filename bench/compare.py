"""Comparing a department's list with the register against the floor of reading it (issue 12 point 8).

One ratio, measured in one run: ``s.comparison.run`` of a 100,000-row ``.xlsx`` (a synthetic 公安
list: people of county-L written as text, some dead, some moved, strangers, numbers stored as
numbers) against county-L ÷ python-calamine's bare read of the same file (``to_python`` of its
sheet, best of three); budget ≤ 1.5×. The run includes the reading, the layout, one bulk read of
the register, matching, findings and storing them. The import of a 6,000-household ledger is
timed too when ``s.ledger_import`` offers ``run``/``import_file`` (the ledger helper's).

The run works on a copy of the reference office under a temporary folder: the reference office is
never changed. The list is synthetic and is written to the temporary folder only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from .common import save
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


def calamine_read(path: Path) -> float:
    import python_calamine

    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_index(0).to_python()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--profile", default=PROFILE)
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
            floor = calamine_read(path)
            t = time.perf_counter()
            result = s.comparison.run(path, "公安", month=MONTH)
            compare = time.perf_counter() - t
            t = time.perf_counter()
            s.comparison.register_index(MONTH)
            index_read = time.perf_counter() - t
            out = {
                "profile": args.profile,
                "rows": result.rows_read,
                "register_members": len(people),
                "findings": sum(len(r.findings) for r in result.rows),
                "write_list_s": round(written, 2),
                "calamine_read_s": round(floor, 3),
                "compare_s": round(compare, 3),
                "register_index_s": round(index_read, 3),
                "ratio": round(compare / floor, 2),
                "budget": BUDGET,
                "within_budget": compare / floor <= BUDGET,
            }
            ledger = getattr(s, "ledger_import", None)
            out["ledger_import"] = (
                "not measured: s.ledger_import has no import yet"
                if not hasattr(ledger, "run")
                else "see bench/ledger (the ledger helper's)"
            )
        finally:
            s.close()
    print(save("compare", out))
    for k, v in out.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
