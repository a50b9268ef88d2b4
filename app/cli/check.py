"""``doudi check``: is the register whole, unaltered, its history unbroken and anchored.

The checking is app.services.integrity's; this module only prints it (exit 1 when problems were found).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .common import data_dir, emit, read_password


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("check", "integrity, row content, audit chain and its anchors, schema, key slots")
    p.add_argument(
        "--anchors",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also look for audit-chain anchors in the backup manifests (*.manifest.json) of DIR; repeatable",
    )
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from ..services.integrity import check_report
    from ..services.office import open_session
    from ..services.office_files import half_made_office, key_slot_copy_problems

    folder = data_dir(args)
    unfinished = half_made_office(folder)
    if unfinished:  # a set-up cut short: say what happened before asking for a password it may not have
        emit(args, {"ok": False, "problems": [unfinished], "half_made": True}, f"检查发现问题：{unfinished}")
        print(unfinished, file=sys.stderr)
        return 1
    session = open_session(folder, args.user, read_password(args))
    try:
        report = check_report(session, folder, extra_dirs=args.anchors)
    finally:
        session.close()
    # One damaged copy of the key slots is survived (sign-in read the other) and rewritten at the next
    # password change: a warning to act on, not a failed check.
    report["key_slot_copy_problems"] = copies = key_slot_copy_problems(folder)
    for warning in copies:
        print(f"注意：{warning}", file=sys.stderr)
    problems = report["problems"]
    secret_store = "系统凭据库" if report["device_secret_store"] == "keyring" else "本用户的配置文件夹（较弱）"
    integrity_ok = report["integrity"] == ["ok"]
    head = report["chain_head"]
    text = (
        ("检查通过" if not problems else "检查发现问题")
        + f"：数据库完整性 {'正常' if integrity_ok else '异常'}；"
        + f"审计链 {report['audit_entries']} 条{'完好' if not report['audit_problems'] else '有问题'}；"
        + f"行内容 {'与记录相符' if not report['content_problems'] else '有改动'}；"
        + f"数据库结构 {'与迁移一致' if not report['schema_problems'] else '被改过'}；"
        + f"密钥槽 {len(report['key_slots'])} 个；设备密钥保存在{secret_store}。"
        + f"\n审计链头：第 {head['seq']} 条 {head['hash']}"
        + f"\n{report['anchor']['message']}"
        + "".join(f"\n数据摘要 {owner}：{digest[:8]}" for owner, digest in report["digests"].items())
        + "".join(f"\n  - {p}" for p in problems)
    )
    emit(args, report, text)
    if problems:
        print(problems[0], file=sys.stderr)
        return 1
    return 0
