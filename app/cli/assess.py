"""``doudi assess``: every programme's decision for one household described in a JSON file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import emit


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("assess", "decisions of every programme for one household described in a JSON file")
    p.add_argument("file", type=Path)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.set_defaults(handler=cmd_assess)


def cmd_assess(args: argparse.Namespace) -> int:
    from ..services.assessment import assess_file

    result = assess_file(args.file, args.month)
    emit(args, result, _assess_text(result))
    return 0


def _assess_text(result: dict[str, Any]) -> str:
    lines = [f"{result.get('month', '')} 的测算结果："]
    for d in result.get("decisions", []):
        amount = d.get("monthly_amount_fen", 0) / 100
        lines.append(
            f"  {d.get('programme')}: {'符合' if d.get('eligible') else '不符合'}"
            + (f"，{d.get('class_code')}" if d.get("class_code") else "")
            + (
                ("，一次性 " if d.get("payment") == "one_off" else "，每月 ") + f"{amount:.2f} 元"
                if d.get("eligible") and d.get("payment") != "none"
                else ""
            )
            + "".join(f"\n      · {r}" for r in d.get("reasons", []))
        )
    return "\n".join(lines)
