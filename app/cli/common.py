"""What every command shares: the global options, where the office is, the password, the output.

Secrets are read so that they never show: on a terminal without echo (``getpass``), a new one
asked twice; from a script on standard input (``--password-stdin``) or ``DOUDI_PASSWORD``, once.
Standard input is read as bytes and decoded here, so bytes that are not UTF-8 are one sentence
(exit 2) rather than a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InvalidInput

EXIT_INTERNAL = 70


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("DOUDI_DATA_DIR") or user_data_dir("doudi", appauthor=False))


def add_globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
    d = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=Path, default=d, help="office data folder")
    parser.add_argument(
        "--user",
        default=d if suppress else None,
        help="user name (commands: default admin; the GUI: the last user who signed in on this PC)",
    )
    parser.add_argument("--json", action="store_true", default=d if suppress else False, help="machine-readable output")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        default=d if suppress else False,
        help="read the password from the first line of standard input",
    )


def read_stdin_line(what: str = "密码") -> str:
    """One line of standard input without its line end; *what* names it in the sentence on bad bytes."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, embedding): already decoded
        return sys.stdin.readline().rstrip("\r\n")
    raw = buffer.readline()
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InvalidInput(f"{what}中有无法识别的字符（不是 UTF-8 编码）；请改用 UTF-8 输入。") from None


def _ask_hidden(prompt: str, what: str = "密码") -> str:
    import getpass

    try:
        return getpass.getpass(prompt)
    except UnicodeDecodeError:
        raise InvalidInput(f"{what}中有无法识别的字符（不是 UTF-8 编码）；请改用 UTF-8 输入。") from None


def _ask_twice(prompt: str, what: str) -> str:
    first = _ask_hidden(prompt, what)
    if _ask_hidden(f"再输入一次{what}：", what) != first:
        raise InvalidInput(f"两次输入的{what}不一致；什么也没有改。")
    return first


def read_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    if args.password_stdin:
        line = read_stdin_line()
        if not line:
            raise InvalidInput("标准输入中没有密码。")
        return line
    env = os.environ.get("DOUDI_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        return _ask_hidden(prompt)
    raise InvalidInput("请用 --password-stdin 或环境变量 DOUDI_PASSWORD 提供密码。")


def read_new_password(args: argparse.Namespace, prompt: str = "新密码：") -> str:
    """A password being set (``init``): on a terminal asked twice without echo; scripts as before."""
    if not args.password_stdin and os.environ.get("DOUDI_PASSWORD") is None and sys.stdin.isatty():
        return _ask_twice(prompt, "密码")
    return read_password(args, prompt)


def read_recovery(args: argparse.Namespace) -> tuple[str, str]:
    """The recovery code and the new password (``recover``).

    On a terminal both are typed without echo and the new password twice; from a script they are
    the first two lines of standard input, as before.
    """
    if sys.stdin.isatty():
        code = _ask_hidden("恢复码：", "恢复码").strip()
        new_password = _ask_twice("新密码：", "密码")
    else:
        code = read_stdin_line("恢复码").strip()
        new_password = read_stdin_line()
    if not code or not new_password:
        raise InvalidInput("请在标准输入中给出两行：恢复码，新密码。")
    return code, new_password


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir or default_data_dir()


def terminal_progress() -> Callable[[int | None, int | None, str | None], None] | None:
    """Each step's label on standard error, for a person at a terminal; nothing for a script, whose
    standard error must stay the one sentence of a refusal."""
    if not sys.stderr.isatty():
        return None
    last = [""]

    def show(_done: int | None = None, _total: int | None = None, label: str | None = None) -> None:
        if label and label != last[0]:
            last[0] = label
            print(label, file=sys.stderr, flush=True)

    return show
