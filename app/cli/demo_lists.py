"""``doudi demo-lists --out DIR``: sample department lists for a demo office, to try 比对 at once.

The lists are app.services.demo_lists'; this module refuses a real office before anything is written,
as ``doudi simulate`` does, and prints each file with what a clerk should find in it. The lists carry
whole ID numbers, which only the clerk and the reviewer may see: when the person signed in is the
administrator, the demo's clerk (same password, as the demo creates it) writes them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .common import data_dir, emit, read_password

if TYPE_CHECKING:
    from ..services.session import Session


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from ..services.demo_lists import DEFAULT_SEED

    p = command("demo-lists", "write sample department lists for a demo office (refused on a real one)")
    p.add_argument("--out", type=Path, required=True, help="the folder to write the lists into")
    p.add_argument("--month", help="the month the lists are for, YYYY-MM (default: this month)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the same seed on the same demo gives the same files")
    p.set_defaults(handler=cmd_demo_lists)


def cmd_demo_lists(args: argparse.Namespace) -> int:
    from ..domain.comparison import FINDINGS
    from ..services import permissions
    from ..services.demo_lists import write_demo_lists
    from ..services.office import open_session
    from ..services.simulate import refuse_unless_demo

    folder = data_dir(args)
    password = read_password(args)
    session = open_session(folder, args.user, password)
    sees_ids = False  # until known; a refused office is closed here
    try:
        refuse_unless_demo(session)
        sees_ids = permissions.allowed(session.user, permissions.VIEW_FULL_ID)
    finally:
        if not sees_ids:
            session.close()
    if not sees_ids:
        session = _demo_clerk(folder, password)
    try:
        written = write_demo_lists(session, args.out, month=args.month, seed=args.seed)
    finally:
        session.close()
    lines = [f"已写出 {len(written)} 份部门名单到 {args.out}，比对时应见到："]
    for w in written:
        lines.append(f"{w.source}：{w.path.name}（{w.mess}）")
        for e in w.rows:
            found = "、".join(f"{FINDINGS[c][0]}（{c}）" for c in e.codes) if e.codes else "无结论"
            lines.append(f"  第 {e.row} 行 {e.name}：{found} — {e.why}")
        lines.extend(f"  {gap}" for gap in w.gaps)
    lines.append("比对：doudi compare 文件 --source 部门，或在“比对”页选择文件。")
    emit(args, {"out": str(args.out), "lists": [w.as_dict() for w in written]}, "\n".join(lines))
    return 0


def _demo_clerk(folder: Path, password: str) -> Session:
    """The demo's clerk, who may see whole ID numbers, signed in with the password given."""
    from ..errors import AuthFailed, InvalidInput
    from ..services.demo import DEMO_STAFF
    from ..services.office import open_session

    clerk = DEMO_STAFF[0][0]
    try:
        return open_session(folder, clerk, password)
    except AuthFailed:
        raise InvalidInput(
            f"名单里有完整的身份证号，由演示单位的 {clerk} 写出；请用 --user {clerk} 运行，或给出与它相同的密码。"
        ) from None
