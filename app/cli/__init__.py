"""The command line (docs/architecture.md §6): a stable contract that tests and scripts rely on.

Every failure ends with a non-zero exit and one clear sentence on standard error — never a
traceback (that goes to the log file). Each group of commands lives in its own module and
registers its sub-commands here, with the handler that runs them.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import DoudiError
from . import assess, check, office
from .common import EXIT_INTERNAL, add_globals, default_data_dir
from .gui import run as run_gui

__all__ = ["EXIT_INTERNAL", "build_parser", "default_data_dir", "main"]

MODULES = (office, check, assess)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="doudi", description="兜底 Doudi — 乡镇民政救助台账")
    add_globals(parser, suppress=False)
    parser.add_argument(
        "--demo-if-empty", action="store_true", help="open the GUI on a demo office when the data folder has none"
    )
    parser.set_defaults(handler=run_gui)
    sub = parser.add_subparsers(dest="command")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        add_globals(p, suppress=True)
        return p

    for module in MODULES:
        module.register(command)
    return parser


def _warnings_to_stderr() -> None:
    """Our own warnings (e.g. no credential store here) also reach the person at the terminal."""
    from ..logs import IdNumberFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(IdNumberFilter())
    logging.getLogger("app").addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    from ..logs import setup_logging

    args = build_parser().parse_args(argv)
    try:
        setup_logging()
    except Exception:  # noqa: BLE001 - logging must never stop the program
        logging.basicConfig(level=logging.WARNING)
    _warnings_to_stderr()
    try:
        return int(args.handler(args))
    except DoudiError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns surprises into a sentence
        logging.getLogger("doudi").exception("unexpected error in %s", args.command)
        from ..logs import mask_id_numbers

        print(f"内部错误（{type(exc).__name__}）：{mask_id_numbers(str(exc))}；详情已写入日志。", file=sys.stderr)
        return EXIT_INTERNAL
