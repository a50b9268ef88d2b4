"""``doudi import-ledger FILE``: a township's Excel ledger (花名册, 台账) into the register (issue 12).

The import is ``s.ledger_import``'s; this module passes the file and the choices through, prints
what was (or, with ``--dry-run``, would be) created and updated, lists every row left out with its
reason, and with ``--invalid-out`` writes those rows to a workbook to fix and import again. Rows
left out are not a failure: the exit status is 0 whenever the file could be read.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .common import data_dir, emit, read_password, terminal_progress

MAX_LISTED = 20  # rows listed on a terminal; --json and --invalid-out carry them all


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("import-ledger", "import a township's Excel ledger (households, members, enrolments in force)")
    p.add_argument("file", type=Path, help="the ledger: .xlsx, .xls, .ods or .csv")
    p.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    p.add_argument("--programme", help="the programme of the amounts (低保, 特困, …) when the file does not say")
    p.add_argument("--dry-run", action="store_true", help="say what would be imported; write nothing")
    p.add_argument("--invalid-out", type=Path, metavar="FILE.xlsx", help="write the rows not imported, to fix")
    p.set_defaults(handler=cmd_import_ledger)


class _Steps:
    """The ``progress.update(done, total, label)`` the service calls, shown on a terminal."""

    def __init__(self, show: Callable[[int | None, int | None, str | None], None] | None) -> None:
        self.show = show

    def update(self, done: int | None = None, total: int | None = None, label: str | None = None) -> None:
        if self.show is not None:
            self.show(done, total, label)


def cmd_import_ledger(args: argparse.Namespace) -> int:
    from ..errors import InvalidInput
    from ..services.office import open_session

    if args.invalid_out is not None and args.invalid_out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{args.invalid_out.name}：未导入的行只能保存为 .xlsx 文件。", field="invalid_out")
    session = open_session(data_dir(args), args.user, read_password(args))
    steps = _Steps(terminal_progress())
    try:
        run = session.ledger_import.plan if args.dry_run else session.ledger_import.apply
        plan = run(args.file, sheet=args.sheet, programme=args.programme, progress=steps)
        written = None
        if args.invalid_out is not None and plan.invalid_rows:
            written = session.ledger_import.export_invalid(plan, args.invalid_out)
    finally:
        session.close()
    data = plan.as_dict()
    if written is not None:
        data["invalid_out"] = str(written)
    emit(args, data, _text(plan, args.dry_run, written))
    return 0


def _text(plan, dry_run: bool, written: Path | None) -> str:
    verb = "将" if dry_run else "已"
    counts = f"{verb}新增 {plan.would_create} 条、{verb}修改 {plan.would_update} 条记录，{plan.unchanged} 条无变化"
    lines = [f"{plan.file_name}（{plan.sheet}）：可导入 {plan.households} 户、{plan.members} 人；{counts}。"]
    if dry_run:
        lines.append("这是试导入，什么也没有写入。")
    if plan.updates:
        lines.append(f"{verb}修改的记录：")
        lines.extend(f"  第 {u.sheet_row} 行 {u.describe()}" for u in plan.updates[:MAX_LISTED])
        if len(plan.updates) > MAX_LISTED:
            lines.append(f"  ……另有 {len(plan.updates) - MAX_LISTED} 条（用 --json 查看全部）。")
    if plan.withheld:
        lines.append(f"未导入的救助登记（{len(plan.withheld)} 条）：")
        lines.extend(f"  第 {w.sheet_row} 行：{w.who}，月保障金 {w.amount} 元" for w in plan.withheld[:MAX_LISTED])
    lines.extend(plan.notes)
    if plan.invalid_rows:
        lines.append(f"有 {len(plan.invalid_rows)} 行未导入：")
        lines.extend(f"  第 {r.sheet_row} 行：{r.reason}" for r in plan.invalid_rows[:MAX_LISTED])
        if len(plan.invalid_rows) > MAX_LISTED:
            lines.append(f"  ……另有 {len(plan.invalid_rows) - MAX_LISTED} 行（用 --json 或 --invalid-out 查看全部）。")
    if written is not None:
        lines.append(f"未导入的行已写入：{written}")
    if plan.invalid_rows:
        lines.append("改正后可再次导入：已导入的人按身份证号更新，不会重复登记。")
    return "\n".join(lines)
