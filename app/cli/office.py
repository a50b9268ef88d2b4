"""Commands that make or reopen an office: ``init``, ``demo`` and ``recover``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from ..demo_defaults import DEFAULT_DEMO_PASSWORD
from ..errors import InvalidInput
from .common import data_dir as office_dir
from .common import emit, read_password
from .gui import run as run_gui


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("init", "create an office database")
    p.add_argument("--office", required=True, help="division code of the township or county (6, 9 or 12 digits)")
    p.add_argument("--admin", required=True, help="first administrator's user name")
    p.add_argument("--name", default="", help="office name, needed when the code is not in the division table")
    p.add_argument("--kind", choices=["township", "county"], default=None)
    p.set_defaults(handler=cmd_init)

    p = command("demo", "create a demo office filled with synthetic data")
    p.add_argument("--households", type=int, default=None)
    p.add_argument("--profile", default="small", choices=["small", "township-M", "county-L"])
    p.add_argument("--office", default="640424100", help="division code (default 香水镇)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--no-gui", action="store_true")
    p.set_defaults(handler=cmd_demo)

    p = command("recover", "new password with the recovery code (two lines on stdin: code, new password)")
    p.set_defaults(handler=cmd_recover)


def cmd_init(args: argparse.Namespace) -> int:
    from ..services.office import create_office

    password = read_password(args)
    session, code = create_office(
        office_dir(args), args.office, args.admin, password, office_name=args.name, kind=args.kind
    )
    office = session.office
    session.close()
    emit(
        args,
        {
            "office_code": office.code,
            "office_name": office.name,
            "kind": office.kind,
            "admin": args.admin,
            "data_dir": str(office_dir(args)),
            "recovery_code": code,
        },
        f"已创建单位数据库：{office.name}（{office.code}），管理员 {args.admin}。\n"
        f"恢复码（只显示这一次，请抄写或打印后锁好）：\n\n    {code}\n",
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..services.demo import create_demo

    if args.password_stdin or os.environ.get("DOUDI_PASSWORD") is not None:
        password, printed = read_password(args), False
    else:
        password, printed = DEFAULT_DEMO_PASSWORD, True
    folder = office_dir(args)
    session, code, counts = create_demo(
        folder, password, profile=args.profile, households=args.households, office_code=args.office, seed=args.seed
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

    code = sys.stdin.readline().strip()
    new_password = sys.stdin.readline().rstrip("\r\n")
    if not code or not new_password:
        raise InvalidInput("请在标准输入中给出两行：恢复码，新密码。")
    session = recover(office_dir(args), args.user, code, new_password)
    session.close()
    emit(args, {"user": args.user, "ok": True}, f"已为用户 {args.user} 设置新密码。")
    return 0
