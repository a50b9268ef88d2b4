"""The command line (docs/architecture.md §6): a stable contract that tests and scripts rely on.

Every failure ends with a non-zero exit and one clear sentence on standard error — never a
traceback (that goes to the log file). Each group of commands lives in its own module and
registers its sub-commands here, with the handler that runs them.

:func:`main` is also the last line of defence: a disk, lock or damage fault that escaped the
layers below still becomes its sentence and exit code (README's table), and an argument it does
not understand is never repeated back — it may be a password typed in the wrong place, and the
terminal's scroll-back and CI logs keep what is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import sys
from pathlib import Path
from typing import NoReturn

from ..errors import DoudiError, InvalidInput
from . import assess, backup, check, compare, demo_lists, exchange, hub, ledger, office, report, simulate, support
from .common import EXIT_INTERNAL, add_globals, data_dir, default_data_dir, emit
from .gui import run as run_gui

__all__ = ["EXIT_INTERNAL", "build_parser", "default_data_dir", "main"]

MODULES = (office, check, assess, backup, simulate, demo_lists, exchange, hub, report, support, compare, ledger)


class _Parser(argparse.ArgumentParser):
    """argparse, except that its error never quotes what was typed (exit 2, one sentence)."""

    # What was typed, so that error() can scrub it; set by main() before parsing.
    typed: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(InvalidInput.exit_code, f"{self.prog}: {scrub_typed(message, self.typed, self)}\n")


# Shorter values are scrubbed only where quoted: a bare "a" would eat letters of the message.
_MIN_BARE = 3
_OPTION = re.compile(r"^--?[A-Za-z][\w-]*$")


def scrub_typed(message: str, typed: tuple[str, ...] | list[str], parser: argparse.ArgumentParser) -> str:
    """*message* with every value typed on the command line replaced by …; option names are kept."""
    if message.startswith("unrecognized arguments"):
        return "有无法识别的参数（为免泄露密码，不在此重复其内容）；用 --help 查看用法。"
    known = set(parser._option_string_actions)
    for token in sorted(set(typed), key=len, reverse=True):
        values = [token] if token not in known and not _OPTION.match(token) else []
        if "=" in token and token.startswith("-"):
            values.append(token.split("=", 1)[1])
        for value in values:
            if value:
                message = message.replace(f"'{value}'", "'…'")
                if len(value) >= _MIN_BARE:
                    message = message.replace(value, "…")
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="doudi", description="兜底 Doudi — 乡镇民政救助台账")
    add_globals(parser, suppress=False)
    parser.add_argument(
        "--demo-if-empty", action="store_true", help="open the GUI on a demo office when the data folder has none"
    )
    parser.add_argument(
        "--version", action="store_true", help="print the version, the schema version and the build date, then exit"
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


def print_version(args: argparse.Namespace) -> int:
    """``doudi --version``: one line each (or JSON with --json); needs no office and no display."""
    from ..build_info import version_lines

    info = version_lines()
    lines = [f"兜底 Doudi {info['version']}", f"数据库版本 {info['schema_version']}", f"构建日期 {info['build_date']}"]
    if info["commit"]:
        lines.append(f"提交 {info['commit']}")
    emit(args, {**info, "schema_version": int(info["schema_version"])}, "\n".join(lines))
    return 0


def _warnings_to_stderr() -> None:
    """Our own warnings (e.g. no credential store here) also reach the person at the terminal."""
    from ..logs import PersonalDataFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(PersonalDataFilter())
    logging.getLogger("app").addHandler(handler)


def _known_fault(exc: BaseException, args: argparse.Namespace) -> DoudiError | None:
    """A fault of the disk, the database file or the input that a layer below let through."""
    from ..db.database import DB_FILE_NAME, translate

    if isinstance(exc, UnicodeDecodeError):
        return InvalidInput("输入中有无法识别的字符（不是 UTF-8 编码）；密码、恢复码和文件请用 UTF-8。")
    folder = getattr(exc, "filename", None)
    if isinstance(exc, OSError) and folder:
        folder_path = Path(str(folder))
        return translate(exc, folder_path if folder_path.is_dir() else folder_path.parent / DB_FILE_NAME)
    return translate(exc, data_dir(args) / DB_FILE_NAME)


def main(argv: list[str] | None = None) -> int:
    from ..db.private_files import disable_core_dumps
    from ..logs import setup_logging

    # Before any key exists: a crash dump would otherwise carry the key and decrypted rows.
    disable_core_dumps()
    # Secrets and files come in as UTF-8 or not at all: under a C locale Python would smuggle
    # bad bytes through as surrogates, and a garbled recovery code would read as a wrong one.
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(encoding="utf-8", errors="strict")
    parser = build_parser()
    _Parser.typed = tuple(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if getattr(args, "version", False) and not args.command:
        return print_version(args)
    if args.command and args.user is None:
        args.user = "admin"  # the commands' default; the GUI offers the last user instead
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
    except BrokenPipeError:
        # The reader went away (`doudi check | head`): nothing left to say to it. Point stdout at
        # nothing so the interpreter's own flush at exit does not fail again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # the one place that turns surprises into a sentence
        logging.getLogger("doudi").exception("unexpected error in %s", args.command)
        known = _known_fault(exc, args)
        if known is not None:
            print(str(known), file=sys.stderr)
            return known.exit_code
        from ..logs import mask_personal_data

        print(f"内部错误（{type(exc).__name__}）：{mask_personal_data(str(exc))}；详情已写入日志。", file=sys.stderr)
        return EXIT_INTERNAL
