"""``doudi compare FILE --source KIND``: one partner department's list against the register (issue 12).

Matching and recording are ``s.comparison``'s; this module prints the rows (``--json``: the shape the
issue fixes, for scripts) or a short summary, and writes the workbook with ``--out``. An unknown
source is one sentence listing the kinds, exit 2, before the file is opened.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .common import data_dir, emit, read_password
from .report import _Steps


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("compare", "compare a partner department's list (Excel, WPS, CSV) with the register")
    p.add_argument("file", type=Path, help="the department's list: .xlsx, .xls, .ods or .csv")
    p.add_argument(
        "--source", required=True, help="the department: 乡村振兴, 卫健, 残联, 人社, 医保, 公安, 市场监管, 车管, 不动产"
    )
    p.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    p.add_argument("--month", help="the month the comparison counts for, YYYY-MM (default: this month)")
    p.add_argument("--out", type=Path, help="also write the result as FILE.xlsx")
    p.set_defaults(handler=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from ..errors import InvalidInput
    from ..services.comparison import source_kind
    from ..services.office import open_session
    from .common import terminal_progress

    source_kind(args.source)  # refused before the password is asked or the file opened
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{args.out}：比对结果只能保存为 .xlsx。", field="out")
    session = open_session(data_dir(args), args.user, read_password(args))
    try:
        result = session.comparison.run(
            args.file, args.source, sheet=args.sheet, month=args.month, progress=_Steps(terminal_progress())
        )
        if args.out is not None:
            session.comparison.export(result.comparison_id, args.out, result=result)
    finally:
        session.close()
    data = {
        "source": result.source,
        "file": result.file_name,
        "rows_read": result.rows_read,
        "rows": [
            {
                "row": r.row,
                "sheet_row": r.sheet_row,
                "id_number": r.id_number,
                "match": r.match,
                "findings": [{"code": f.code, "text": f.text} for f in r.findings],
                "household": r.household_id,
            }
            for r in result.rows
        ],
        "summary": result.summary,
    }
    found = sum(len(r.findings) for r in result.rows)
    again = "（这份名单本月已比对过，未重复记录）" if result.repeated else ""
    text = f"已与{result.source}名单比对：{result.rows_read} 行，{found} 条结论待核实{again}。"
    if args.out is not None:
        text += f"\n已写出：{args.out}"
    emit(args, data, text)
    return 0
