"""``doudi simulate --months N``: months of made-up activity on a demo office (issue 10, point 6).

The playing is app.services.simulate's; this module signs in, refuses a real office before anything
else is opened, tells on standard error which month it is on, and prints what was done.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .common import data_dir, emit, read_password


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from ..services.simulate import DEFAULT_SEED

    p = command("simulate", "play N months of activity on a demo office (refused on a real one)")
    p.add_argument(
        "--months", type=int, required=True, help="how many months to play, from the month after the last closed"
    )
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="the same seed on the same demo gives the same activity"
    )
    p.set_defaults(handler=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:
    from ..services.office import open_session
    from ..services.simulate import open_staff, refuse_unless_demo, simulate

    folder = data_dir(args)
    password = read_password(args)
    session = open_session(folder, args.user, password)
    try:
        refuse_unless_demo(session)
    finally:
        session.close()
    clerk, reviewer = open_staff(folder, password)
    try:
        counts = simulate(
            clerk, reviewer, args.months, seed=args.seed, progress=lambda line: print(line, file=sys.stderr, flush=True)
        )
    finally:
        clerk.close()
        reviewer.close()
    played = counts["months"]
    emit(
        args,
        counts,
        f"已模拟 {played[0]} 至 {played[-1]} 共 {len(played)} 个月：入户核查 {counts['visits']} 次"
        f"（{counts['visits_not_assured']} 次发现未保障事项），收入变化 {counts['income_changes']} 户，"
        f"出生 {counts['births']} 人，死亡 {counts['deaths']} 人，新立户 {counts['households_added']} 户，"
        f"申请 {counts['applications']} 件（批准 {counts['approvals']}，不予批准 {counts['refusals']}，"
        f"撤回 {counts['withdrawals']}），新预警 {counts['alerts_raised']} 条"
        f"（回访关闭 {counts['alerts_closed']} 条），"
        f"名册 {counts['roster_lines']} 行，月结 {counts['months_closed']} 个月。",
    )
    return 0
