"""The command line (docs/architecture.md §6): a stable contract that tests and scripts rely on.

Every failure ends with a non-zero exit and one clear sentence on standard
error — never a traceback (that goes to the log file).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .demo_defaults import DEFAULT_DEMO_PASSWORD
from .errors import DoudiError, InvalidInput

EXIT_INTERNAL = 70


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("DOUDI_DATA_DIR") or user_data_dir("doudi", appauthor=False))


# --- argument parsing --------------------------------------------------------------


def _globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="doudi", description="兜底 Doudi — 乡镇民政救助台账")
    _globals(parser, suppress=False)
    parser.add_argument(
        "--demo-if-empty", action="store_true", help="open the GUI on a demo office when the data folder has none"
    )
    sub = parser.add_subparsers(dest="command")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        _globals(p, suppress=True)
        return p

    p = command("init", "create an office database")
    p.add_argument("--office", required=True, help="division code of the township or county (6, 9 or 12 digits)")
    p.add_argument("--admin", required=True, help="first administrator's user name")
    p.add_argument("--name", default="", help="office name, needed when the code is not in the division table")
    p.add_argument("--kind", choices=["township", "county"], default=None)

    p = command("demo", "create a demo office filled with synthetic data")
    p.add_argument("--households", type=int, default=None)
    p.add_argument("--profile", default="small", choices=["small", "township-M", "county-L"])
    p.add_argument("--office", default="640424100", help="division code (default 香水镇)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--no-gui", action="store_true")

    command("check", "integrity, audit chain, key slots")

    p = command("recover", "new password with the recovery code (two lines on stdin: code, new password)")

    p = command("assess", "decisions of every programme for one household described in a JSON file")
    p.add_argument("file", type=Path)
    p.add_argument("--month", required=True, help="YYYY-MM")
    return parser


# --- helpers -----------------------------------------------------------------------


def _read_password(args, prompt: str = "密码：") -> str:
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


def _emit(args, data: dict, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def _data_dir(args) -> Path:
    return args.data_dir or default_data_dir()


# --- commands ----------------------------------------------------------------------


def cmd_init(args) -> int:
    from .services.office import create_office

    password = _read_password(args)
    session, code = create_office(
        _data_dir(args), args.office, args.admin, password, office_name=args.name, kind=args.kind
    )
    office = session.office
    session.close()
    _emit(
        args,
        {
            "office_code": office.code,
            "office_name": office.name,
            "kind": office.kind,
            "admin": args.admin,
            "data_dir": str(_data_dir(args)),
            "recovery_code": code,
        },
        f"已创建单位数据库：{office.name}（{office.code}），管理员 {args.admin}。\n"
        f"恢复码（只显示这一次，请抄写或打印后锁好）：\n\n    {code}\n",
    )
    return 0


def cmd_demo(args) -> int:
    from .services.demo import create_demo

    if args.password_stdin or os.environ.get("DOUDI_PASSWORD") is not None:
        password, printed = _read_password(args), False
    else:
        password, printed = DEFAULT_DEMO_PASSWORD, True
    data_dir = _data_dir(args)
    session, code, counts = create_demo(
        data_dir, password, profile=args.profile, households=args.households, office_code=args.office, seed=args.seed
    )
    office = session.office
    session.close()
    _emit(
        args,
        {
            "office_code": office.code,
            "office_name": office.name,
            "data_dir": str(data_dir),
            "user": "admin",
            "password": password if printed else None,
            "recovery_code": code,
            "counts": counts,
        },
        f"已创建演示单位：{office.name}（{office.code}），位于 {data_dir}。\n"
        + "".join(f"  {k}: {v}\n" for k, v in counts.items())
        + "用户 admin"
        + (f"，密码 {password}" if printed else "")
        + f"；恢复码 {code}",
    )
    if not args.no_gui:
        return _gui(argparse.Namespace(**{**vars(args), "data_dir": data_dir, "demo_if_empty": False}))
    return 0


def cmd_check(args) -> int:
    from .db import device_secret
    from .services.office import open_session

    session = open_session(_data_dir(args), args.user, _read_password(args))
    try:
        from .db.store import unlogged_changes

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
    _emit(
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


def cmd_recover(args) -> int:
    from .services.office import recover

    code = sys.stdin.readline().strip()
    new_password = sys.stdin.readline().rstrip("\r\n")
    if not code or not new_password:
        raise InvalidInput("请在标准输入中给出两行：恢复码，新密码。")
    session = recover(_data_dir(args), args.user, code, new_password)
    session.close()
    _emit(args, {"user": args.user, "ok": True}, f"已为用户 {args.user} 设置新密码。")
    return 0


def cmd_assess(args) -> int:
    from .services.assessment import assess_file

    result = assess_file(args.file, args.month)
    _emit(args, result, _assess_text(result))
    return 0


def _assess_text(result: dict) -> str:
    lines = [f"{result.get('month', '')} 的测算结果："]
    for d in result.get("decisions", []):
        amount = d.get("monthly_amount_fen", 0) / 100
        lines.append(
            f"  {d.get('programme')}: {'符合' if d.get('eligible') else '不符合'}"
            + (f"，{d.get('class_code')}" if d.get("class_code") else "")
            + (
                ("，一次性 " if d.get("payment") == "one_off" else "，每月 ") + f"{amount:.2f} 元"
                if d.get("eligible") and d.get("payment") != "none"
                else ""
            )
            + "".join(f"\n      · {r}" for r in d.get("reasons", []))
        )
    return "\n".join(lines)


def _gui(args) -> int:
    from .ui.main import run_gui

    return run_gui(
        data_dir=_data_dir(args),
        demo_if_empty=bool(getattr(args, "demo_if_empty", False)),
        user=getattr(args, "user", None),
    )


def _warnings_to_stderr() -> None:
    """Our own warnings (e.g. no credential store here) also reach the person at the terminal."""
    from .logs import IdNumberFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(IdNumberFilter())
    logging.getLogger("app").addHandler(handler)


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "check": cmd_check, "recover": cmd_recover, "assess": cmd_assess}


def main(argv: list[str] | None = None) -> int:
    from .logs import setup_logging

    args = build_parser().parse_args(argv)
    try:
        setup_logging()
    except Exception:  # noqa: BLE001 - logging must never stop the program
        logging.basicConfig(level=logging.WARNING)
    _warnings_to_stderr()
    try:
        handler = COMMANDS[args.command] if args.command else _gui  # argparse allows only these
        return handler(args)
    except DoudiError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns surprises into a sentence
        logging.getLogger("doudi").exception("unexpected error in %s", args.command)
        from .logs import mask_id_numbers

        print(f"内部错误（{type(exc).__name__}）：{mask_id_numbers(str(exc))}；详情已写入日志。", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
