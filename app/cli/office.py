"""Commands that make or reopen an office: ``init``, ``demo`` and ``recover``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..demo_defaults import DEFAULT_DEMO_PASSWORD
from ..errors import InvalidInput
from .common import data_dir as office_dir
from .common import emit, read_new_password, read_password, read_recovery, read_stdin_line
from .gui import run as run_gui

if TYPE_CHECKING:
    from ..services.office import SheetFields
    from ..services.session import Session


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("init", "create an office database, or with --join this PC's database as another PC of an office")
    p.add_argument("--office", default=None, help="division code of the township or county (6, 9 or 12 digits)")
    p.add_argument("--admin", required=True, help="first administrator's user name")
    p.add_argument("--name", default="", help="office name, needed when the code is not in the division table")
    p.add_argument("--kind", choices=["township", "county"], default=None)
    p.add_argument("--sheet", type=Path, default=None, help="also write the recovery sheet (PDF) to this file")
    p.add_argument(
        "--join",
        type=Path,
        default=None,
        metavar="CARD",
        help="join the office whose first PC wrote this card (doudi trust card) as another PC of it",
    )
    p.add_argument("--fingerprint", default=None, metavar="FP", help="with --join: the card's fingerprint, as read")
    p.set_defaults(handler=cmd_init)

    p = command("demo", "create a demo office filled with synthetic data")
    p.add_argument("--households", type=int, default=None, help="number of households (at most 100000)")
    p.add_argument("--profile", default="small", choices=["small", "township-M", "county-L"])
    p.add_argument("--office", default="640424100", help="division code (default 香水镇)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument(
        "--end-month", default=None, help="last month of the synthetic history (YYYY-MM; default this month)"
    )
    p.add_argument("--no-gui", action="store_true")
    p.set_defaults(handler=cmd_demo)

    p = command("recover", "new password with the recovery code (two lines on stdin: code, new password)")
    p.add_argument(
        "--sheet",
        default=None,
        help="the recovery slot typed from the recovery sheet (a text file; '-' = stdin, ending at an empty line"
        " before the code and the password); rebuilds lost key-slot files",
    )
    p.set_defaults(handler=cmd_recover)


def cmd_init(args: argparse.Namespace) -> int:
    from ..services.office import create_office, recovery_sheet_fields

    if args.join is not None:
        return _join(args)
    if args.fingerprint is not None:
        raise InvalidInput("--fingerprint 只与 --join 一起使用。", field="fingerprint")
    if not args.office:
        raise InvalidInput("请用 --office 给出单位的区划代码，或用 --join 加入已在使用兜底的单位。", field="office")
    password = read_new_password(args)
    session, code = create_office(
        office_dir(args), args.office, args.admin, password, office_name=args.name, kind=args.kind
    )
    office = session.office
    try:
        fields = recovery_sheet_fields(session)
        if args.sheet is not None:
            _write_sheet(args.sheet, session, code, fields)
    finally:
        session.close()
    emit(
        args,
        _made(args, office, code, fields),
        f"已创建单位数据库：{office.name}（{office.code}），管理员 {args.admin}。\n"
        + _recovery_text(args, code, fields),
    )
    return 0


def _made(args: argparse.Namespace, office: Any, code: str, fields: SheetFields, **more: Any) -> dict[str, Any]:
    """What ``init`` (and ``init --join``) print as JSON about the database just made."""
    return {
        "office_code": office.code,
        "office_name": office.name,
        "kind": office.kind,
        "admin": args.admin,
        "data_dir": str(office_dir(args)),
        **more,
        "recovery_code": code,
        "recovery_slot": fields["slot_lines"],
        "chain_head": fields["chain_head"],
        "sheet": str(args.sheet) if args.sheet is not None else None,
    }


def _recovery_text(args: argparse.Namespace, code: str, fields: SheetFields) -> str:
    """The recovery code and slot, shown once, and where the recovery sheet went."""
    return (
        f"恢复码（只显示这一次，请抄写或打印后锁好）：\n\n    {code}\n\n"
        "恢复槽（密钥槽文件丢失时连同恢复码用 doudi recover --sheet 输入；与恢复码一起保管）：\n\n"
        + "".join(f"    {line}\n" for line in fields["slot_lines"])
        + (f"\n恢复页已写入 {args.sheet}，打印后请删除该文件。" if args.sheet is not None else "")
    )


def _join(args: argparse.Namespace) -> int:
    """``init --join CARD --fingerprint FP``: joining makes this PC's database, as init does (same
    password, recovery code and sheet), so it is init's option rather than a command of its own."""
    from ..services.exchange.join import checked_card, join_office, replica_of
    from ..services.office import recovery_sheet_fields

    if not args.fingerprint:
        raise InvalidInput("加入已有单位时请用 --fingerprint 给出第一台电脑名片的指纹。", field="fingerprint")
    card = checked_card(args.join, args.fingerprint)  # before the password is asked for
    if args.office and _code12(args.office) != card.office_code:
        raise InvalidInput(
            f"--office {args.office} 与名片 {args.join.name} 上的单位代码 {card.office_code} 不符。", field="office"
        )
    password = read_new_password(args)
    session, code = join_office(office_dir(args), args.join, args.fingerprint, args.admin, password)
    office = session.office
    try:
        fields = recovery_sheet_fields(session)
        if args.sheet is not None:
            _write_sheet(args.sheet, session, code, fields)
        own = session.trust.card()
        node = session.store.node
        replica = replica_of(session)
    finally:
        session.close()
    emit(
        args,
        _made(
            args,
            office,
            code,
            fields,
            replica=replica,
            node=node,
            fingerprint=own.fingerprint,
            first_pc_fingerprint=card.fingerprint,
        ),
        f"这台电脑已作为 {office.name}（{office.code}）的另一台电脑建立数据库（节点 {node}），管理员 {args.admin}。\n"
        f"本机名片指纹：{own.fingerprint}\n"
        "下一步：用 doudi trust card --out 写出本机名片，交给第一台电脑的管理员，由他电话核对指纹后 doudi trust add；"
        "再从第一台电脑导出数据包给本机并导入。\n" + _recovery_text(args, code, fields),
    )
    return 0


def _code12(text: str) -> str:
    code = text.strip()
    return code.ljust(12, "0") if len(code) in (6, 9) else code


def _write_sheet(path: Path, session: Session, code: str, fields: SheetFields) -> None:
    from datetime import datetime

    from ..reports.recovery_sheet import write_recovery_sheet

    office = session.office
    write_recovery_sheet(path, office.name, office.code, session.user.username, code, datetime.now(), **fields)


def cmd_demo(args: argparse.Namespace) -> int:
    from ..services.demo import create_demo

    if args.password_stdin or os.environ.get("DOUDI_PASSWORD") is not None:
        password, printed = read_password(args), False
    else:
        password, printed = DEFAULT_DEMO_PASSWORD, True
    folder = office_dir(args)
    if args.end_month is not None:
        from datetime import date

        from ..domain import months

        if not months.is_month(args.end_month):
            raise InvalidInput(f"--end-month “{args.end_month}”应写作 YYYY-MM，例如 2025-03。")
        if args.end_month > months.of(date.today()):
            raise InvalidInput(f"--end-month {args.end_month} 还没有到；演示数据只能到本月为止。")
    session, code, counts = create_demo(
        folder,
        password,
        profile=args.profile,
        households=args.households,
        office_code=args.office,
        seed=args.seed,
        end_month=args.end_month,
    )
    office = session.office
    session.close()
    emit(
        args,
        {
            "office_code": office.code,
            "office_name": office.name,
            "data_dir": str(folder),
            "user": "admin",
            "password": password if printed else None,
            "recovery_code": code,
            "counts": counts,
        },
        f"已创建演示单位：{office.name}（{office.code}），位于 {folder}。\n"
        + "".join(f"  {k}: {v}\n" for k, v in counts.items())
        + "用户 admin"
        + (f"，密码 {password}" if printed else "")
        + f"；恢复码 {code}",
    )
    if not args.no_gui:
        return run_gui(argparse.Namespace(**{**vars(args), "data_dir": folder, "demo_if_empty": False}))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from ..services.office import recover

    sheet = _read_sheet(args.sheet) if args.sheet is not None else None
    code, new_password = read_recovery(args)
    session = recover(office_dir(args), args.user, code, new_password, sheet=sheet)
    session.close()
    emit(
        args,
        {"user": args.user, "ok": True, "slots_rebuilt": sheet is not None},
        f"已为用户 {args.user} 设置新密码。"
        + ("密钥槽文件已按恢复页重建；其他用户需由管理员重设密码。" if sheet is not None else ""),
    )
    return 0


def _read_sheet(source: str) -> str:
    """The recovery slot's lines from a file, or from stdin up to the first empty line."""
    if source == "-":
        # Line by line from the same byte stream the code and password are read from next, so no
        # text buffer reads ahead of them.
        lines = []
        while line := read_stdin_line("恢复页"):
            lines.append(line)
        return "\n".join(lines)
    try:
        return Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"恢复页文件 {source} 不存在。", field="sheet") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"恢复页文件 {source} 无法读取（{getattr(exc, 'strerror', None) or exc}）。", field="sheet"
        ) from None
