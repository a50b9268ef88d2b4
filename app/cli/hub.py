"""``doudi hub serve`` and ``doudi trust export-hub``: the county's package mailbox (docs/hub.md).

``serve`` needs no office and no password: the hub never opens a register. It reads the offices
file the county signed (``export-hub``) and keeps packages in a folder or in PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import InvalidInput
from .common import data_dir, emit, read_password

DEFAULT_PORT = 8780
_RATE = re.compile(r"^([0-9]+)(?:/min)?$")


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    hub = command("hub", "the county hub: a mailbox for packages over the network")
    sub = hub.add_subparsers(dest="hub_command", required=True)
    p = sub.add_parser("serve", help="run the hub")  # no office, no user, no password: no global options
    p.add_argument("--store", required=True, metavar="DIR|postgresql://…", help="a folder, or a PostgreSQL address")
    p.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="P", help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--offices", type=Path, required=True, metavar="FILE", help="written by doudi trust export-hub")
    p.add_argument(
        "--county-key",
        default=None,
        metavar="FINGERPRINT_OR_PUBLIC",
        help="the county card's fingerprint (or signing public key) that must have signed the offices file",
    )
    p.add_argument("--cert", type=Path, default=None, metavar="FILE", help="TLS certificate (PEM)")
    p.add_argument("--key", type=Path, default=None, metavar="FILE", help="TLS private key (PEM)")
    p.add_argument("--max-package-mb", type=int, default=1024, metavar="N", help="largest package accepted")
    p.add_argument("--quota-mb", type=int, default=4096, metavar="N", help="per office: not yet collected")
    p.add_argument("--rate", default="600/min", metavar="N/min", help="requests per office per minute")
    p.add_argument("--retention-days", type=int, default=90, metavar="N", help="keep collected packages this long")
    p.set_defaults(handler=cmd_hub_serve)


def register_export_hub(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(handler=cmd_trust_export_hub)


def parse_rate(text: str) -> int:
    match = _RATE.match(text.strip())
    if not match or int(match.group(1)) < 1:
        raise InvalidInput(f"--rate “{text}” 应写成每分钟的请求数，例如 600/min。", field="rate")
    return int(match.group(1))


def cmd_hub_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..hub.server import (
        MB,
        HubConfig,
        OfficesSource,
        create_app,
        json_lines_logging,
        listen_socket,
        uvicorn_settings,
    )
    from ..hub.stores import open_store

    rate = parse_rate(args.rate)
    if (args.cert is None) != (args.key is None):
        raise InvalidInput("--cert 和 --key 要一起给出（证书和它的私钥）。", field="cert")
    for name in ("max_package_mb", "quota_mb", "retention_days"):
        if getattr(args, name) < 1:
            raise InvalidInput(f"--{name.replace('_', '-')} 应为正整数。", field=name)
    tls = args.cert is not None
    store = open_store(args.store)
    try:
        offices = OfficesSource(args.offices, store, args.county_key)
        config = HubConfig(
            max_package_bytes=args.max_package_mb * MB,
            quota_bytes=args.quota_mb * MB,
            rate_per_minute=rate,
            retention_s=args.retention_days * 86400.0,
            tls=tls,
        )
        app = create_app(store, offices, config)
        sock = listen_socket(args.host, args.port)
        json_lines_logging()
        scheme = "https" if tls else "http"
        where = "PostgreSQL" if store.kind == "postgresql" else str(Path(args.store).resolve())
        codes = {k.code for k in offices.book.keys}
        print(
            f"县级数据中转站 {scheme}://{args.host}:{args.port}，存储：{where}，单位 {len(codes)} 个。",
            file=sys.stderr,
            flush=True,
        )
        if not tls:
            print(
                "警告：没有 --cert/--key，中转站未启用 TLS：数据包本身已签名加密，"
                "但收件列表等请求在网络上可被他人看到。",
                file=sys.stderr,
                flush=True,
            )
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=args.host,
                port=args.port,
                ssl_certfile=str(args.cert) if tls else None,
                ssl_keyfile=str(args.key) if tls else None,
                access_log=False,  # the hub writes its own JSON lines, without addresses or tokens
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=10,
                **uvicorn_settings(),  # header deadline, keep-alive 5 s, 16 KB head, backlog, limit_concurrency
            )
        )
        with sock, contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])
    finally:
        store.close()
    return 0


def cmd_trust_export_hub(args: argparse.Namespace) -> int:
    from ..services.office import open_session

    session = open_session(data_dir(args), args.user, read_password(args))
    try:
        written = session.hub_offices.export(args.out)
    finally:
        session.close()
    emit(
        args,
        {
            "path": str(written.path),
            "offices": written.offices,
            "keys": written.keys,
            "county_fingerprint": written.county_fingerprint,
        },
        f"中转站单位清单已写入 {written.path}：{written.offices} 个单位，{written.keys} 台电脑的密钥。\n"
        f"启动中转站时请加上 --county-key {written.county_fingerprint}",
    )
    return 0
