"""``doudi report NAME --month YYYY-MM …``: one standard paper as PDF or Excel (issue 11, point 5).

Building is ``s.reports``' and drawing is ``app.reports``'; this module parses the request, picks
the file (``--out``, or a clear default name in the current folder), and prints where it went.
A refused report (unknown name, open month for the bank's roster, a village of another township)
is one sentence and exit 2, raised by the service before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .common import data_dir, emit, read_password, terminal_progress


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("report", "write a standard report (PDF or Excel): roster, payment-roster, changes, publicity, …")
    p.add_argument("name", help="the report: roster, payment-roster, changes, publicity, survey, monthly-stats, …")
    p.add_argument("--month", required=True, help="the month, YYYY-MM")
    p.add_argument("--programme", help="the programme (低保, 特困, …) where the report is per programme")
    p.add_argument("--village", help="a village's 12-digit code (the 公示 list needs one)")
    p.add_argument(
        "--household",
        help="a household's id, or the ID number of one of its members (入户调查表, 一户一档)",
    )
    p.add_argument(
        "--option",
        action="append",
        default=[],
        dest="options",
        metavar="NAME",
        help="a report's switch: masked_id (公示 with IDs masked), blank (an empty survey form)",
    )
    p.add_argument("--out", type=Path, help="FILE.pdf or FILE.xlsx (default: a clear name in this folder, PDF)")
    p.set_defaults(handler=cmd_report)


class _Steps:
    """The ``progress.update(done, total, label)`` a builder and a renderer call, shown on a terminal."""

    def __init__(self, show: Callable[[int | None, int | None, str | None], None] | None) -> None:
        self.show = show

    def update(self, done: int | None = None, total: int | None = None, label: str | None = None) -> None:
        if self.show is not None:
            self.show(done, total, label)


def cmd_report(args: argparse.Namespace) -> int:
    from ..reports.output import FORMATS, save
    from ..services.office import open_session
    from ..services.reports import ReportRequest, default_file_name

    request = ReportRequest(
        name=args.name,
        month=args.month,
        programme=args.programme,
        village=args.village,
        household=args.household,
        options=frozenset(args.options),
    )
    if args.out is not None and args.out.suffix.lower() not in FORMATS:
        from ..errors import InvalidInput

        raise InvalidInput(f"{args.out}：报表只能保存为 .pdf 或 .xlsx。", field="out")
    session = open_session(data_dir(args), args.user, read_password(args))
    steps = _Steps(terminal_progress())
    try:
        # The default name comes from the checked request: a member's ID number given as --household
        # is resolved to the household's id first, so no part of it lands in a file name.
        request = session.reports.checked(request)
        doc = session.reports.build(request, steps)
    finally:
        session.close()
    out: Path = args.out or Path.cwd() / default_file_name(request, ".pdf")
    save(doc, out, steps)
    for warning in doc.warnings:
        print(warning, file=sys.stderr)
    rows = sum(len(t.rows) for t in doc.tables())
    emit(
        args,
        {"report": request.name, "title": doc.title, "file": str(out), "rows": rows, "warnings": doc.warnings},
        f"已写出《{doc.title}》：{out}（{rows} 行）。",
    )
    return 0
