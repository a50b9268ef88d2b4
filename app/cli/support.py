"""``doudi support``: what support staff need beyond ``doudi check`` (docs/support.md).

``export-key`` hands the administrator the raw database key in the form a SQLCipher 4 shell
takes, after the password is typed again, and writes the export to the audit log; ``rekey``
then retires that key (and every old copy of the key-slot file) by re-encrypting the database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .common import data_dir, emit, read_password

EXPORT_WARNING = (
    "警告：以下是整个单位数据库的密钥，持有者可读取全部户档案；只交给排查问题的技术人员，不要存入文件或发送，"
    "本次导出已记入审计日志，排查结束后请运行 doudi support rekey 重新加密数据库。"
)


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("support", "tools for support staff: export the database key, re-key the database")
    sub = p.add_subparsers(dest="support_command", required=True)

    def sub_command(name: str, help_text: str) -> argparse.ArgumentParser:
        # The global options are accepted after the sub-command too (doudi support export-key --data-dir …).
        from .common import add_globals

        q = sub.add_parser(name, help=help_text)
        add_globals(q, suppress=True)
        return q

    sub_command(
        "export-key", "administrator only: print the raw key for a SQLCipher 4 shell (password again; audited)"
    ).set_defaults(handler=cmd_export_key)
    sub_command(
        "rekey", "administrator only: re-encrypt the database under a new key; prints a new recovery code"
    ).set_defaults(handler=cmd_rekey)


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
