"""``doudi trust …`` and ``doudi package …``: trust between offices and package files (docs/exchange.md).

The work is app.services.exchange's; this module only parses, opens the office and prints. A
refused package ends with its own exit code (20–28, README's table) and one sentence.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..domain.ownership import table_name
from . import hub, hub_sync
from .common import add_globals, data_dir, emit, read_password, terminal_progress


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    trust = command("trust", "this office's card and the offices it trusts")
    sub = trust.add_subparsers(dest="trust_command", required=True)

    def sub_command(parent: Any, name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text)
        add_globals(p, suppress=True)
        return p

    p = sub_command(sub, "card", "write this office's public card and print its fingerprint")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(handler=cmd_trust_card)
    p = sub_command(sub, "add", "trust another office's card once its fingerprint, read over the phone, matches")
    p.add_argument("card", type=Path, metavar="FILE")
    p.add_argument("--fingerprint", required=True, metavar="FP")
    p.add_argument(
        "--another-pc",
        action="store_true",
        help="the card is another PC of an office already trusted (not new keys of the same PC)",
    )
    p.set_defaults(handler=cmd_trust_add)
    p = sub_command(sub, "list", "the offices this office trusts")
    p.set_defaults(handler=cmd_trust_list)
    p = sub_command(sub, "revoke", "refuse the packages one PC of that office signs from now on (a stolen PC)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--fingerprint", default=None, metavar="FP", help="which PC's card, when the office has several")
    p.set_defaults(handler=cmd_trust_revoke)
    hub.register_export_hub(
        sub_command(sub, "export-hub", "county only: write the offices file the hub checks against")
    )

    package = command("package", "package files to and from the offices this office trusts")
    sub = package.add_subparsers(dest="package_command", required=True)
    p = sub_command(sub, "export", "write one package for each trusted office with something to send")
    p.add_argument("--to", type=Path, required=True, metavar="DIR")
    p.add_argument("--for", dest="for_code", default=None, metavar="CODE", help="only for this office")
    p.set_defaults(handler=cmd_package_export)
    p = sub_command(sub, "inspect", "the manifest and whether the signature holds, without decrypting")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_package_inspect)
    p = sub_command(sub, "import", "apply a package and print its receipt")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_package_import)
    hub_sync.register_send(sub_command(sub, "send", "export and upload this office's packages to the county hub"))
    hub_sync.register_fetch(sub_command(sub, "fetch", "download and import the packages the hub holds for this office"))


def _session(args: argparse.Namespace) -> Any:
    from ..services.office import open_session

    return open_session(data_dir(args), args.user, read_password(args))


def cmd_trust_card(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        card = session.trust.write_card(args.out)
    finally:
        session.close()
    emit(
        args,
        {"fingerprint": card.fingerprint, "office_code": card.office_code, "path": str(args.out)},
        f"本单位名片已写入 {args.out}。\n指纹：{card.fingerprint}\n请把名片交给对方，并在电话中念出这个指纹。",
    )
    return 0


def cmd_trust_add(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        peer, changed = session.trust.add(args.card, args.fingerprint, another_pc=args.another_pc)
        sibling = peer.office_code == session.office.code
    finally:
        session.close()
    said = "已添加" if changed else "早已信任"
    what = "本单位的另一台电脑" if sibling else "单位"
    emit(
        args,
        {"added": changed, "sibling": sibling, "peer": peer.as_dict()},
        f"{said}{what} {peer.office_name}（{peer.office_code}，指纹 {peer.fingerprint}）。",
    )
    return 0


def cmd_trust_list(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        peers = session.trust.peers()
        own = session.trust.card()
    finally:
        session.close()
    lines = [f"本单位 {own.office_name}（{own.office_code}）指纹 {own.fingerprint}"]
    for p in peers:
        state = f"已吊销（{p.revoked_at[:19]}）" if p.revoked_at else "信任中"
        kind = "县级" if p.kind == "county" else "乡镇"
        sibling = "，本单位的另一台电脑" if p.office_code == own.office_code else ""
        lines.append(f"{p.office_code}  {p.office_name}（{kind}{sibling}）  {p.fingerprint}  {state}")
    if not peers:
        lines.append("还没有信任任何单位；用 doudi trust add 添加对方的单位名片。")
    emit(
        args,
        {
            "own": {"office_code": own.office_code, "fingerprint": own.fingerprint},
            "peers": [p.as_dict() for p in peers],
        },
        "\n".join(lines),
    )
    return 0


def cmd_trust_revoke(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        peer = session.trust.revoke(args.code, args.fingerprint)
    finally:
        session.close()
    emit(
        args,
        {"revoked": peer.as_dict()},
        f"已吊销 {peer.office_name}（{peer.office_code}）指纹 {peer.fingerprint} 的名片："
        "这台电脑此后签发的数据包不再接收；该单位的其他电脑不受影响。",
    )
    return 0


def cmd_package_export(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        written = session.packages.export(args.to, for_code=args.for_code, progress=terminal_progress())
    finally:
        session.close()
    lines = [
        f"{w.path.name}：第 {w.seq} 号包，{sum(v for k, v in w.counts.items() if k not in ('audit', 'blobs'))} 行数据，"
        f"{w.counts.get('audit', 0)} 条审计记录"
        for w in written
    ]
    if not written:
        lines = ["没有信任的单位，没有写出数据包。"]
    emit(args, {"packages": [w.as_dict() for w in written]}, "\n".join(lines))
    return 0


def cmd_package_inspect(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        seen = session.packages.inspect(args.file)
    finally:
        session.close()
    m = seen.manifest
    sender = m.get("sender", {}) if isinstance(m.get("sender"), dict) else {}
    receiver = m.get("receiver", {}) if isinstance(m.get("receiver"), dict) else {}
    if not seen.sender_known:
        signature = f"发送单位 {sender.get('code', '')} 不在信任列表中，无法核对签名"
    elif seen.signature_ok:
        signature = f"签名有效（{seen.sender_name}）" + ("，但该单位的名片已被吊销" if seen.revoked else "")
    else:
        signature = "签名无效：文件被改动过，或不是该单位签发的"
    counts = m.get("counts", {}) if isinstance(m.get("counts"), dict) else {}
    text = (
        f"数据包 {seen.source}\n"
        f"发送：{sender.get('name', '')}（{sender.get('code', '')}{_other_pc(sender)}）"
        f"→ 接收：{receiver.get('code', '')}（指纹 {receiver.get('fingerprint', '')}）\n"
        f"序号：{m.get('channel_seq')}，生成于 {m.get('created_at')}\n"
        "行数：" + "，".join(f"{table_name(k)} {v}" for k, v in sorted(counts.items())) + f"\n{signature}。"
    )
    emit(args, seen.as_dict(), text)
    return 0


def _other_pc(sender: dict[str, Any]) -> str:
    """The sending PC's node when it is not the office's first PC (docs/exchange.md §Two PCs)."""
    node = str(sender.get("node", ""))
    return f"，电脑 {node}" if node and node != sender.get("code") else ""


def cmd_package_import(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        receipt = session.packages.import_file(args.file, progress=terminal_progress())
    finally:
        session.close()
    r = receipt.as_dict()
    if receipt.already_applied:
        text = f"数据包 {args.file.name}（第 {receipt.seq} 号）以前已导入过，这次什么也没有改。"
    else:
        applied = "，".join(f"{table_name(k)} {v} 行" for k, v in sorted(receipt.applied.items())) or "无"
        text = (
            f"已导入数据包 {args.file.name}（{receipt.sender} 第 {receipt.seq} 号）：写入 {applied}；"
            f"未变 {receipt.unchanged}，过时 {receipt.stale}，冲突 {receipt.conflicts}，"
            f"隔离 {len(receipt.quarantined)}；核对审计记录 {receipt.audit_entries_verified} 条。"
        )
        text += "".join(f"\n  隔离：{q['reason']}" for q in receipt.quarantined[:20])
    emit(args, r, text)
    return 0
