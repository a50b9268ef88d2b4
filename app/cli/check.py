"""``doudi check``: is the register whole, is its history unbroken, can it still be opened."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .common import data_dir, emit, read_password


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    command("check", "integrity, audit chain, key slots").set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from ..db import device_secret
    from ..services.office import open_session

    session = open_session(data_dir(args), args.user, read_password(args))
    try:
        from ..db.store import unlogged_changes

        integrity = session.db.integrity_problems()
        audit = session.store.verify_audit_chain()
        unlogged = unlogged_changes(session.db)
        slots = [
            {
                "kind": s.kind,
                "user": s.user,
                "kdf": s.kdf.name,
                "memory_kib": s.kdf.memory_kib,
                "iterations": s.kdf.iterations,
            }
            for s in session.slots.slots
        ]
        recovery = any(s["kind"] == "recovery" for s in slots)
        entries = session.db.scalar("SELECT count(*) FROM audit_log")
    finally:
        session.close()
    problems = (
        integrity
        + audit
        + ([] if recovery else ["密钥槽文件中没有恢复槽。"])
        + [
            f"表 {table} 有 {n} 行的当前版本不在变更日志中（绕过程序直接改过），同步会漏掉。"
            for table, n in unlogged.items()
        ]
    )
    report = {
        "ok": not problems,
        "integrity": integrity or ["ok"],
        "audit_entries": entries,
        "unlogged_changes": unlogged,
        "audit_problems": audit,
        "key_slots": slots,
        "device_secret_store": device_secret.storage_kind(),
    }
    secret_store = "系统凭据库" if report["device_secret_store"] == "keyring" else "本用户的配置文件夹（较弱）"
    emit(
        args,
        report,
        ("检查通过" if not problems else "检查发现问题") + f"：数据库完整性 {'正常' if not integrity else '异常'}；"
        f"审计链 {entries} 条{'完好' if not audit else '有问题'}；密钥槽 {len(slots)} 个；"
        f"设备密钥保存在{secret_store}。" + "".join(f"\n  - {p}" for p in problems),
    )
    if problems:
        print(problems[0], file=sys.stderr)
        return 1
    return 0
