"""``doudi package send --hub URL`` and ``doudi package fetch --hub URL`` (docs/hub.md).

Each is one attempt; a hub that does not answer ends with HubUnreachable's exit code and a hub that
refuses with HubError's (README's table), one sentence each. ``fetch`` imports what the hub holds for
this office; a package this office refuses is listed with its sentence, stays in the hub's mailbox,
and the command ends with that refusal's exit code after printing the rest.
"""

from __future__ import annotations

import argparse
from typing import Any

from .common import data_dir, emit, read_password


def _hub_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--hub", default=None, metavar="URL", help="the county hub's address (default: the one saved for this office)"
    )


def register_send(p: argparse.ArgumentParser) -> None:
    _hub_option(p)
    p.set_defaults(handler=cmd_package_send)


def register_fetch(p: argparse.ArgumentParser) -> None:
    _hub_option(p)
    p.set_defaults(handler=cmd_package_fetch)


def _session(args: argparse.Namespace) -> Any:
    from ..services.office import open_session

    return open_session(data_dir(args), args.user, read_password(args))


def _progress() -> Any:
    from .common import terminal_progress

    return terminal_progress()


def cmd_package_send(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        sent = session.hub_sync.send(_progress(), url=args.hub)
        status = session.hub_sync.status()
    finally:
        session.close()
    lines = [
        f"已发送给 {p.peer} 的第 {p.seq} 号数据包（{p.size:,} 字节）" + ("" if p.stored else "：中转站早已收到")
        for p in sent
    ]
    if not sent:
        lines = ["没有需要发送的数据包。"]
    emit(args, {"hub": args.hub or status.url, "sent": [p.as_dict() for p in sent]}, "\n".join(lines))
    return 0


def cmd_package_fetch(args: argparse.Namespace) -> int:
    session = _session(args)
    try:
        fetched = session.hub_sync.fetch(_progress(), url=args.hub)
        status = session.hub_sync.status()
    finally:
        session.close()
    lines = []
    for f in fetched:
        if f.superseded:
            lines.append(f"{f.sender} 的第 {f.seq} 号数据包已被更新的包取代，不用再导入。")
        elif f.refused:
            lines.append(f"未导入 {f.sender} 的第 {f.seq} 号数据包（仍留在中转站）：{f.refused}")
        elif f.receipt and f.receipt.get("already_applied"):
            lines.append(f"{f.sender} 的第 {f.seq} 号数据包以前已导入过，这次什么也没有改。")
        else:
            applied = sum((f.receipt or {}).get("applied", {}).values())
            quarantined = len((f.receipt or {}).get("quarantined", []))
            lines.append(f"已导入 {f.sender} 的第 {f.seq} 号数据包：写入 {applied} 行，隔离 {quarantined} 行。")
    if not fetched:
        lines = ["中转站没有给本单位的数据包。"]
    emit(args, {"hub": args.hub or status.url, "fetched": [f.as_dict() for f in fetched]}, "\n".join(lines))
    refused = [f for f in fetched if f.refused]
    return refused[0].exit_code if refused else 0
