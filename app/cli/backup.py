"""``doudi backup`` and ``doudi restore``: a checked, encrypted copy of the office, and putting one back."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import InvalidInput
from .common import data_dir, emit, read_password


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("backup", "an encrypted, checked copy of the office with its key slots and a manifest")
    p.add_argument("--to", type=Path, default=None, help="folder to write the backup into (default: the chosen one)")
    p.set_defaults(handler=cmd_backup)
    p = command(
        "restore",
        "put a backup in place (the office there is kept aside); password, or on a PC without the device "
        "secret the recovery code on the first line of stdin",
    )
    p.add_argument("backup", type=Path, help="the backup folder (or its manifest.json)")
    p.add_argument("--to", type=Path, default=None, help="data folder to restore into (default: --data-dir)")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..services.backup import BackupService
    from ..services.office import open_session

    session = open_session(data_dir(args), args.user, read_password(args))
    try:
        result = BackupService(session).backup_now(folder=args.to)
    finally:
        session.close()
    head = result.manifest["audit_chain_head"]
    emit(
        args,
        {"path": str(result.path), "created_at": result.manifest["created_at"], "audit_chain_head": head},
        f"备份已写入 {result.path}（审计链至第 {head['seq']} 条，{head['hash'][:16]}…）。",
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..services.backup import read_manifest, restore, restore_needs

    target = args.to or data_dir(args)
    read_manifest(args.backup)  # a damaged backup is refused before anyone is asked for a secret
    if restore_needs(args.backup) == "password":
        result = restore(args.backup, target, username=args.user, password=read_password(args))
    else:
        if sys.stdin.isatty():
            import getpass

            code = getpass.getpass("这台电脑上没有此单位的设备密钥，请输入恢复码：")
        else:
            code = sys.stdin.readline().strip()
        if not code:
            raise InvalidInput("这台电脑上没有此单位的设备密钥；请在标准输入的第一行给出恢复码。")
        result = restore(args.backup, target, recovery_code=code)
    aside = f"原有数据已移到 {result.aside}。" if result.aside else ""
    then = "请用恢复码运行 doudi recover 设置新密码。" if result.needs_recover else ""
    emit(
        args,
        {
            "data_dir": str(result.data_dir),
            "aside": str(result.aside) if result.aside else None,
            "office_code": result.office_code,
            "needs_recover": result.needs_recover,
        },
        f"已从备份恢复到 {result.data_dir}。{aside}{then}",
    )
    return 0
