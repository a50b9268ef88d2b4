"""Importing a 6,000-household township ledger (issue 12, point 8): dry run, import, import again.

A synthetic ledger the way townships keep them (title row, 户主 and relation columns, village names,
one class and amount per household) is written with openpyxl, then read, planned (the dry run),
imported into an empty township and imported again (which must change nothing). Each is reported
as seconds and as a ratio against python-calamine's bare read of the same file, measured in the
same run.

    python -m bench.ledger_import [--households 6000]

Nothing leaves the temporary folder but timings; the JSON goes to bench/results/ledger_import.json.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from .common import save

HOUSEHOLDS = 6000
VILLAGES = ("大庄村", "永丰村", "思源村", "城关村", "上桥村", "下桥村", "沙源村", "杨家村")
RELATIONS = ("妻子", "长子", "次女", "孙子")


def write_ledger(path: Path, households: int, seed: int = 7) -> int:
    from openpyxl import Workbook

    from app.domain import idnumber

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["香水镇农村低保花名册"])
    ws.append(["序号", "户主姓名", "姓名", "身份证号码", "与户主关系", "行政村", "联系电话", "保障类别", "月保障金"])
    used: set[str] = set()
    rows = 0
    for h in range(households):
        size = rng.choice((1, 2, 3, 3, 4, 4, 5, 5))
        head, village = f"户主{h}", rng.choice(VILLAGES)
        for m in range(size):
            born = date(rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28))
            while (number := idnumber.make("640424", born, rng.randint(0, 999))) in used:
                pass
            used.add(number)
            rows += 1
            first = m == 0
            ws.append(
                [
                    rows,
                    head,
                    head if first else f"成员{h}_{m}",
                    number,
                    "户主" if first else rng.choice(RELATIONS),
                    village,
                    f"139{rng.randint(0, 99_999_999):08d}" if first else None,
                    "一类" if first else None,
                    300 * size if first else None,
                ]
            )
    wb.save(path)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    args = parser.parse_args()
    from python_calamine import CalamineWorkbook

    from app.services.office import create_office, open_session

    with tempfile.TemporaryDirectory(prefix="doudi-bench-ledger-") as tmp:
        # The throw-away office's device secret stays in the throw-away folder too.
        os.environ["DOUDI_KEYRING"] = "file"
        os.environ["DOUDI_CONFIG_DIR"] = str(Path(tmp) / "config")
        path = Path(tmp) / "ledger.xlsx"
        rows = write_ledger(path, args.households)
        t = time.perf_counter()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        floor = time.perf_counter() - t
        admin, _code = create_office(Path(tmp) / "office", "640424100", "admin", "bench-pass-2021")
        admin.users.add("clerk1", "clerk", "clerk-pass-2021")
        admin.close()
        clerk = open_session(Path(tmp) / "office", "clerk1", "clerk-pass-2021")
        try:
            t = time.perf_counter()
            plan = clerk.ledger_import.plan(path)
            dry = time.perf_counter() - t
            t = time.perf_counter()
            done = clerk.ledger_import.apply(path)
            imported = time.perf_counter() - t
            t = time.perf_counter()
            again = clerk.ledger_import.apply(path)
            reimported = time.perf_counter() - t
        finally:
            clerk.close()
    out = {
        "households": args.households,
        "rows": rows,
        "calamine_read_s": round(floor, 3),
        "dry_run_s": round(dry, 2),
        "import_s": round(imported, 2),
        "import_again_s": round(reimported, 2),
        "dry_run_ratio": round(dry / floor, 1),
        "import_ratio": round(imported / floor, 1),
        "would_create": plan.would_create,
        "invalid_rows": len(plan.invalid_rows),
        "created": done.as_dict().get("created"),
        "again_would_update": again.would_update,
    }
    print(save("ledger_import", out))
    for k, v in out.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
