"""What every command shares: the global options, where the office is, the password, the output."""

from __future__ import annotations

import argparse
import json
import os
import sys
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
    parser.add_argument("--user", default=d if suppress else "admin", help="user name (default admin)")
    parser.add_argument("--json", action="store_true", default=d if suppress else False, help="machine-readable output")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        default=d if suppress else False,
        help="read the password from the first line of standard input",
    )


def read_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("标准输入中没有密码。")
        return line.rstrip("\r\n")
    env = os.environ.get("DOUDI_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    raise InvalidInput("请用 --password-stdin 或环境变量 DOUDI_PASSWORD 提供密码。")


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir or default_data_dir()
