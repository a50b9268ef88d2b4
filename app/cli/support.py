"""``doudi support``: what support staff need beyond ``doudi check`` (docs/support.md).

``bundle`` writes the technical-support bundle (app/services/support_bundle.py): it needs no
sign-in, and runs ``check`` only when a password is given (``--password-stdin`` or DOUDI_PASSWORD).
``export-key`` hands the administrator the raw database key in the form a SQLCipher 4 shell
takes, after the password is typed again, and writes the export to the audit log; ``rekey``
then retires that key (and every old copy of the key-slot file) by re-encrypting the database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .common import data_dir, emit, read_password

# The most log lines a bundle takes (a log file rotates at 2 MB; five rotations are kept).
MAX_LINES = 100_000
NO_PASSWORD = "未运行检查：没有提供密码（用 --password-stdin 或 DOUDI_PASSWORD 提供后可包含检查结果）。"
EXPORT_WARNING = (
    "警告：以下是整个单位数据库的密钥，持有者可读取全部户档案；只交给排查问题的技术人员，不要存入文件或发送，"
    "本次导出已记入审计日志，排查结束后请运行 doudi support rekey 重新加密数据库。"
)


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("support", "tools for support staff: the support bundle, export the database key, re-key the database")
    sub = p.add_subparsers(dest="support_command", required=True)

    def sub_command(name: str, help_text: str) -> argparse.ArgumentParser:
        # The global options are accepted after the sub-command too (doudi support export-key --data-dir …).
        from .common import add_globals

        q = sub.add_parser(name, help=help_text)
        add_globals(q, suppress=True)
        return q

    bundle = sub_command(
        "bundle",
        "a zip for support: versions, platform, check results (with a password), the data folder's listing "
        "and the last log lines, masked; never the database, keys or backups",
    )
    bundle.add_argument("--out", type=Path, required=True, metavar="FILE.zip", help="where to write the bundle")
    bundle.add_argument("--lines", type=int, default=None, metavar="N", help="log lines to include (default 500)")
    bundle.set_defaults(handler=cmd_bundle)
    sub_command(
        "export-key", "administrator only: print the raw key for a SQLCipher 4 shell (password again; audited)"
    ).set_defaults(handler=cmd_export_key)
    sub_command(
        "rekey", "administrator only: re-encrypt the database under a new key; prints a new recovery code"
    ).set_defaults(handler=cmd_rekey)


def cmd_bundle(args: argparse.Namespace) -> int:
    import os

    from ..errors import InvalidInput
    from ..services.support_bundle import LOG_LINES, check_not_run, run_check, write_support_bundle

    if args.lines is not None and not 0 < args.lines <= MAX_LINES:
        raise InvalidInput("--lines 应在 1 到 100000 之间。", field="lines")
    folder = data_dir(args)
    if not (args.password_stdin or os.environ.get("DOUDI_PASSWORD") is not None):
        check = check_not_run(NO_PASSWORD)
    else:
        check = _checked(folder, args, read_password(args), run_check)
    if check.get("run") is False:
        print(check["reason"], file=sys.stderr)
    result = write_support_bundle(args.out, folder, check, log_lines=args.lines or LOG_LINES, qt_version=_qt_version())
    emit(
        args,
        {"path": str(result.path), "check_run": result.check_run, "log_lines": result.log_lines, "files": result.names},
        f"技术支持包已写入 {result.path}（{'含' if result.check_run else '不含'}检查结果，"
        f"日志 {result.log_lines} 行）；"
        "其中没有数据库、密钥和备份，可以发给技术支持人员。",
    )
    return 0


def _qt_version() -> str:
    """Qt's own version (a frozen build has no package metadata to ask); "" when Qt will not load."""
    try:
        from PySide6.QtCore import qVersion
    except ImportError:
        return ""
    return str(qVersion())


def _checked(folder: Path, args: argparse.Namespace, password: str, run_check: Callable[..., dict]) -> dict:
    """The check report, or why it could not run (a wrong password still gets a bundle)."""
    from ..errors import DoudiError
    from ..services.office import open_session
    from ..services.support_bundle import check_not_run

    try:
        session = open_session(folder, args.user, password)
    except DoudiError as exc:
        return check_not_run(f"未运行检查：{exc}")
    try:
        return run_check(session, folder)
    finally:
        session.close()


def shell_lines(key: bytes) -> list[str]:
    """The statements that open a Doudi database in a SQLCipher 4 shell."""
    return [f"PRAGMA key = \"x'{key.hex()}'\";", "PRAGMA cipher_compatibility = 4;"]


def cmd_export_key(args: argparse.Namespace) -> int:
    from ..services.office import open_session

    password = read_password(args)
    session = open_session(data_dir(args), args.user, password)
    try:
        key = session.keys.export_key(password)
    finally:
        session.close()
    lines = shell_lines(key)
    print(EXPORT_WARNING, file=sys.stderr)
    emit(args, {"key_hex": key.hex(), "shell": lines, "warning": EXPORT_WARNING}, "\n".join(lines))
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from ..services.office import open_session

    password = read_password(args)
    session = open_session(data_dir(args), args.user, password)
    try:
        result = session.keys.rekey(password)
    finally:
        session.close()
    waiting = "、".join(result.users_to_reset)
    emit(
        args,
        {
            "pages": result.pages,
            "recovery_code": result.recovery_code,
            "users_to_reset": result.users_to_reset,
        },
        f"已用新密钥重新加密数据库（{result.pages} 页）；旧的密钥槽文件和旧恢复码都已失效。\n"
        f"新的恢复码（只显示这一次，请抄写或重新打印恢复单后锁好）：\n\n    {result.recovery_code}\n"
        + (f"\n以下用户需要管理员重设密码后才能登录：{waiting}" if waiting else ""),
    )
    return 0
