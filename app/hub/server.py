"""The hub's HTTP service (Starlette under uvicorn): a mailbox for package files, per office.

It never decrypts. Before anything is stored it checks, in this order, the request's token, the
rate, the size (the header), the sender's quota (held in the store before the body arrives), the
size again while streaming to a spool file, the token's body digest, the package structure (read
from the file, never whole in memory), its id, its sender, its signature against the county's
offices file and its receiver; then the store keeps it atomically. Every answer is logged as one JSON line
with no personal data and never the token (docs/hub.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import sqlite3
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import DoudiError, InvalidInput, PackageDamaged, PackageUnsigned
from app.exchange.cards import normalise_fingerprint
from app.exchange.keys import signature_holds
from app.hub import protocol
from app.hub.http_limits import quiet_repeated_errors, uvicorn_settings  # noqa: F401  (app/cli/hub.py uses it)
from app.hub.offices import OfficeBook, OfficeKey, read_offices, when
from app.hub.package_header import read_package_header
from app.hub.stores import HubStore, PackageMeta, SameIdOtherBytes

log = logging.getLogger("doudi.hub")
access_log = logging.getLogger("doudi.hub.access")

MB = 1 << 20
PIN_SETTING = "county_sign_public"
LOADED_AT_SETTING = "offices_created_at"  # the newest offices file loaded: an older one is refused
LOADED_DIGEST_SETTING = "offices_sha256"
RELOAD_CHECK_S = 1.0
MINUTE_S = 60.0
PRUNE_EVERY_S = 3600.0
BODY_IDLE_S = 60.0  # an upload that sends nothing for this long is dropped


@dataclass(frozen=True)
class HubConfig:
    max_package_bytes: int = 1024 * MB
    quota_bytes: int = 4096 * MB  # per office: HubStore.pending_bytes, plus uploads in progress
    rate_per_minute: int = 600  # requests per office per minute, per hub process
    retention_s: float = 90 * 24 * 3600.0  # acknowledged packages are kept this long for the county's audit
    tls: bool = False


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.code, "message": self.message}, status_code=self.status)


class OfficesSource:
    """The offices file, reloaded when it changes on disk, so a revocation needs no restart.

    A changed file that does not verify is logged and ignored: the hub keeps serving the last good one
    rather than refusing every office because of a half-copied file."""

    def __init__(self, path: Path, store: HubStore, county_key: str | None) -> None:
        self.path, self.store, self.county_key = path, store, county_key
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._checked = time.monotonic()
        self.book = self._load()

    def _stat(self) -> tuple[int, int]:
        try:
            info = self.path.stat()
        except OSError:
            return (0, 0)
        return (info.st_mtime_ns, info.st_size)

    def _load(self) -> OfficeBook:
        # Without --county-key the first file's county key is pinned in the store: a later file must be
        # signed by the same key, and every hub process on the store holds to it.
        pinned = self.county_key or self.store.setting(PIN_SETTING)
        book = read_offices(self.path, county_key=pinned)
        self._refuse_older(book)
        if self.store.setting(PIN_SETTING) != book.signed_by:
            self.store.set_setting(PIN_SETTING, book.signed_by)
        if self.store.setting(LOADED_AT_SETTING) != book.created_at:
            self.store.set_setting(LOADED_AT_SETTING, book.created_at)
            self.store.set_setting(LOADED_DIGEST_SETTING, book.digest)
        return book

    def _refuse_older(self, book: OfficeBook) -> None:
        """An older file is still county-signed: copied back, it would un-revoke a stolen PC. The newest
        time loaded is kept in the store, so a restart or a second hub process holds to it too."""
        loaded = self.store.setting(LOADED_AT_SETTING)
        newest, offered = when(loaded or ""), when(book.created_at)
        if newest is None or offered is None:
            return
        same_file = offered == newest and self.store.setting(LOADED_DIGEST_SETTING) in (book.digest, None)
        if offered < newest or (offered == newest and not same_file):
            raise InvalidInput(
                f"中转站单位清单 {self.path} 的生成时间 {book.created_at} 不晚于已载入的清单（{loaded}），"
                "可能是旧文件被复制了回来，中转站继续使用已载入的清单。",
                field="offices",
            )

    def current(self) -> OfficeBook:
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_S:
            return self.book
        with self._lock:
            self._checked = now
            stamp = self._stat()
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self.book = self._load()
                    counts = {"offices": self.book.office_count, "keys": len(self.book.keys)}
                    log.info(json.dumps({"event": "offices_reloaded", **counts}))
                except DoudiError as exc:
                    log.error(json.dumps({"event": "offices_refused", "message": str(exc)}, ensure_ascii=False))
        return self.book


class RateLimiter:
    """A sliding minute per office. Per process: behind a load balancer each process allows its own
    share, which bounds a runaway client well enough without a round trip to the database."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, office: str, now: float) -> bool:
        with self._lock:
            times = self._seen[office]
            while times and now - times[0] >= MINUTE_S:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            return True


class AccessLog:
    """Pure ASGI middleware: one JSON line per request once its answer has gone out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = {"status": 0, "out": 0, "in": 0}
        scope.setdefault("state", {})

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["in"] += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            record = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "office": scope["state"].get("office", ""),
                "method": scope["method"],
                "path": scope["path"],
                "status": seen["status"],
                "bytes_in": seen["in"],
                "bytes_out": seen["out"],
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            access_log.info(json.dumps(record))


def hub_version() -> str:
    # Not app.build_info: it reaches the register's migrations, which the hub never imports.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("doudi")
    except PackageNotFoundError:
        return "?"


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} 字节"


class Hub:
    def __init__(self, store: HubStore, offices: OfficesSource, config: HubConfig) -> None:
        self.store, self.offices, self.config = store, offices, config
        self.rate = RateLimiter(config.rate_per_minute)

    # --- checks ---------------------------------------------------------------------------------

    async def authorise(self, request: Request) -> protocol.Token:
        try:
            token = protocol.read_token(request.headers.get("authorization"))
            protocol.check_request(token, request.method, request.url.path, time.time())
        except protocol.TokenRefused as exc:
            raise Refusal(401, "bad_token", str(exc)) from None
        book = self.offices.current()
        if not book.knows(token.office):
            raise Refusal(401, "unknown_office", f"单位 {token.office} 不在县民政局给中转站的单位清单中。")
        if book.active_key(token.office, token.key) is None:
            if any(k.sign_public == token.key for k in book.keys_of(token.office)):
                raise Refusal(401, "revoked", f"单位 {token.office} 这台电脑的密钥已被县民政局吊销。")
            raise Refusal(401, "unknown_key", f"单位 {token.office} 的这把密钥不在县民政局给中转站的单位清单中。")
        request.scope["state"]["office"] = token.office
        if not self.rate.allow(token.office, time.monotonic()):
            raise Refusal(429, "rate_limited", f"单位 {token.office} 的请求过于频繁，请稍后再试。")
        return token

    async def spend_nonce(self, token: protocol.Token) -> None:
        fresh = await run_in_threadpool(self.store.use_nonce, token.nonce, int(time.time()), protocol.TOKEN_WINDOW_S)
        if not fresh:
            raise Refusal(401, "replayed", "这个身份令牌已经用过，重放的请求不予受理。")

    @staticmethod
    def package_id(request: Request) -> str:
        package_id = str(request.path_params["package_id"])
        if not protocol.valid_package_id(package_id):
            raise Refusal(404, "not_found", "数据包编号格式不对。")
        return package_id

    # --- endpoints ------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse(
            {"status": "ok", "store": self.store.kind, "tls": self.config.tls, "version": hub_version()}
        )

    def _too_large(self, package_id: str) -> Refusal:
        cap = self.config.max_package_bytes
        if self.store.package_limit < cap:
            return Refusal(
                413,
                "too_large",
                f"数据包 {package_id} 超过中转站的{'PostgreSQL ' if self.store.kind == 'postgresql' else ''}"
                f"存储能保存的单个包上限 {_mb(self.store.package_limit)}，不予接收。",
            )
        return Refusal(413, "too_large", f"数据包 {package_id} 超过中转站的上限 {_mb(cap)}，不予接收。")

    async def put_package(self, request: Request) -> Response:
        package_id = self.package_id(request)
        token = await self.authorise(request)
        cap = min(self.config.max_package_bytes, self.store.package_limit)
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            raise self._too_large(package_id)
        await self.spend_nonce(token)
        reservation = await self._reserve(package_id, token.office, int(declared) if declared else cap)
        spool = self.store.spool_dir() / self.store.spool_name()
        try:
            size, digest = await self._receive(request, spool, package_id, cap, reservation)
            if digest != token.body_sha256:
                raise Refusal(401, "bad_token", "上传的内容与身份令牌记载的校验值不符，传输中可能被改动。")
            meta = await run_in_threadpool(self._check_package, spool, package_id, token, size, digest)
            try:
                stored = await run_in_threadpool(self.store.put, meta, spool, reservation)
            except SameIdOtherBytes:
                raise self._conflict(package_id) from None
        finally:
            with contextlib.suppress(OSError):
                spool.unlink()
            if reservation:
                await run_in_threadpool(self.store.release, reservation)
        return JSONResponse({"package_id": package_id, "stored": stored}, status_code=201 if stored else 200)

    async def _reserve(self, package_id: str, office: str, size: int) -> str:
        """Hold the quota before the body arrives, in the store under its lock: uploads racing each other
        (or arriving at two hub processes) cannot all pass a check made before any of them is stored.
        Without Content-Length the cap is held. A second upload of a stored id needs no room."""
        if await run_in_threadpool(self.store.meta, package_id) is not None:
            return ""
        reservation = os.urandom(16).hex()
        quota = self.config.quota_bytes
        used = await run_in_threadpool(self.store.reserve, reservation, office, size, quota)
        if used is not None:
            raise Refusal(
                507,
                "quota_exceeded",
                f"单位 {office} 在中转站待收取的数据包已有 {_mb(used)}，再存 {_mb(size)} 会超过配额 {_mb(quota)}。",
            )
        return reservation

    @staticmethod
    def _conflict(package_id: str) -> Refusal:
        return Refusal(409, "conflict", f"中转站已有编号为 {package_id} 的另一个数据包，内容不同，不予覆盖。")

    async def _receive(
        self, request: Request, spool: Path, package_id: str, cap: int, reservation: str
    ) -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        refreshed = time.monotonic()
        chunks = request.stream().__aiter__()
        # Owner only, like the store's folders; created here so no other mode is ever seen.
        with os.fdopen(
            os.open(spool, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), "wb"
        ) as out:
            try:
                while True:
                    try:
                        async with asyncio.timeout(BODY_IDLE_S):  # a sender that stalls holds no socket forever
                            piece = await anext(chunks)
                    except StopAsyncIteration:
                        break
                    size += len(piece)
                    if size > cap:
                        raise self._too_large(package_id)
                    digest.update(piece)
                    out.write(piece)
                    if reservation and time.monotonic() - refreshed > MINUTE_S:
                        refreshed = time.monotonic()
                        await run_in_threadpool(self.store.refresh_reservation, reservation)
            except ClientDisconnect:
                raise Refusal(400, "interrupted", f"数据包 {package_id} 上传中断，未保存。") from None
            except TimeoutError:
                raise Refusal(
                    408, "timeout", f"数据包 {package_id} 的上传停顿超过 {BODY_IDLE_S:.0f} 秒，未保存。"
                ) from None
        return size, digest.hexdigest()

    def _check_package(
        self, spool: Path, package_id: str, token: protocol.Token, size: int, digest: str
    ) -> PackageMeta:
        source, office = package_id, token.office
        try:
            # From the file, a chunk at a time: a hub receiving several large packages holds none of them.
            with spool.open("rb") as f:
                parsed = read_package_header(f, size, source=source)
        except (PackageDamaged, PackageUnsigned) as exc:
            raise Refusal(422, "damaged", str(exc)) from None
        manifest = parsed.manifest
        if manifest.get("package_id") != package_id:
            raise Refusal(422, "id_mismatch", f"数据包清单中的编号与上传地址中的编号 {package_id} 不一致。")
        sender, receiver = manifest.get("sender"), manifest.get("receiver")
        sender_code = sender.get("code") if isinstance(sender, dict) else None
        receiver_code = receiver.get("code") if isinstance(receiver, dict) else None
        seq, created_at = manifest.get("channel_seq"), manifest.get("created_at")
        if not isinstance(receiver_code, str) or type(seq) is not int or not isinstance(created_at, str):
            raise Refusal(422, "damaged", f"数据包 {source} 的清单缺少收件单位、编号或生成时间。")
        if when(created_at) is None:
            raise Refusal(422, "damaged", f"数据包 {source} 清单中的生成时间“{created_at[:40]}”不是带时区的时间。")
        if sender_code != office:
            raise Refusal(403, "wrong_sender", f"数据包 {source} 的发送单位是 {sender_code}，不能由 {office} 上传。")
        book = self.offices.current()
        signed_with = [
            k for k in book.keys_of(office) if signature_holds(k.sign_public, parsed.signature, parsed.manifest_bytes)
        ]
        if not signed_with:
            raise Refusal(403, "bad_signature", f"数据包 {source} 的签名与单位 {office} 的公钥不符，不予接收。")
        if not any(book.key_signed_at(office, k.sign_public, created_at) for k in signed_with):
            raise Refusal(403, "revoked", f"数据包 {source} 是用已吊销的密钥在吊销之后签发的，不予接收。")
        if not book.knows(receiver_code):
            raise Refusal(
                422, "unknown_receiver", f"数据包 {source} 的收件单位 {receiver_code} 不在中转站的单位清单中。"
            )
        receiver_fp = receiver.get("fingerprint") if isinstance(receiver, dict) else None
        receiver_fp = receiver_fp if isinstance(receiver_fp, str) else ""
        self._check_receiver_pc(book, source, receiver_code, receiver_fp, token, signed_with)
        return PackageMeta(
            package_id=package_id,
            sender=office,
            receiver=receiver_code,
            channel_seq=seq,
            size=size,
            sha256=digest,
            created_at=created_at,
            receiver_fingerprint=receiver_fp,
        )

    @staticmethod
    def _check_receiver_pc(  # noqa: PLR0917  (the package's receiver against who signed and who uploads)
        book: OfficeBook,
        source: str,
        receiver_code: str,
        receiver_fp: str,
        token: protocol.Token,
        signed_with: list[OfficeKey],
    ) -> None:
        """A named receiving PC must be one of the receiver's; an office writing to itself must name its
        other PC. A package a PC addresses to itself would be collected and acknowledged by the same PC:
        a way round the quota and a free store, never an exchange (docs/exchange.md, two PCs)."""
        wanted = normalise_fingerprint(receiver_fp)
        receiving_pcs = {normalise_fingerprint(k.fingerprint) for k in book.keys_of(receiver_code)}
        if wanted and wanted not in receiving_pcs:
            raise Refusal(
                422,
                "unknown_receiver",
                f"数据包 {source} 的收件电脑（指纹 {receiver_fp[:40]}）不是单位 {receiver_code} 在单位清单中的电脑。",
            )
        if receiver_code != token.office:
            return
        uploader = book.key_of(token.office, token.key)
        own = {normalise_fingerprint(k.fingerprint) for k in [*signed_with, *([uploader] if uploader else [])]}
        if not wanted or wanted in own:
            raise Refusal(
                422,
                "self_addressed",
                f"数据包 {source} 是发给本单位本台电脑自己的；同一单位只能发给另一台电脑，不予接收。",
            )

    async def mailbox(self, request: Request) -> Response:
        token = await self.authorise(request)
        await self.spend_nonce(token)
        entries = await run_in_threadpool(self.store.mailbox, token.office)
        return JSONResponse({"packages": [e.listing() for e in entries]})

    async def _visible(self, request: Request, token: protocol.Token, *, receiver_only: bool) -> PackageMeta:
        package_id = self.package_id(request)
        meta = await run_in_threadpool(self.store.meta, package_id)
        if meta is None or not self._may_see(meta, token, receiver_only=receiver_only):
            # The same answer whether it exists or not: an office learns nothing of others' packages.
            raise Refusal(404, "not_found", f"中转站没有给本单位的数据包 {package_id}。")
        return meta

    def _may_see(self, meta: PackageMeta, token: protocol.Token, *, receiver_only: bool) -> bool:
        """The receiving PC downloads and acknowledges; the sending office may fetch its upload back.
        Two PCs of one office share a code: a package names its PC, and the other PC may not take it."""
        if not receiver_only and token.office == meta.sender:
            return True
        if token.office != meta.receiver:
            return False
        if not meta.receiver_fingerprint:  # a row stored before packages named their PC
            return True
        key = self.offices.current().key_of(token.office, token.key)
        return key is not None and normalise_fingerprint(key.fingerprint) == normalise_fingerprint(
            meta.receiver_fingerprint
        )

    async def get_package(self, request: Request) -> Response:
        token = await self.authorise(request)
        await self.spend_nonce(token)
        meta = await self._visible(request, token, receiver_only=False)
        return StreamingResponse(
            self.store.read(meta.package_id),
            media_type="application/octet-stream",
            headers={"Content-Length": str(meta.size), "X-Doudi-Sha256": meta.sha256},
        )

    async def ack(self, request: Request) -> Response:
        token = await self.authorise(request)
        await self.spend_nonce(token)
        meta = await self._visible(request, token, receiver_only=True)
        await run_in_threadpool(self.store.ack, meta.package_id, token.office)
        return JSONResponse({"package_id": meta.package_id, "acked": True})

    async def prune_now(self) -> int:
        return await run_in_threadpool(self.store.prune, time.time(), self.config.retention_s)


def _unavailable(exc: Exception) -> Response:
    # The type only: a driver's message may carry the database address.
    log.error(json.dumps({"event": "store_error", "type": type(exc).__name__}))
    return Refusal(503, "store_unavailable", "中转站暂时无法读写存储，请稍后再试。").response()


def _guard(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except Refusal as refusal:
            return refusal.response()
        except (DoudiError, OSError, sqlite3.Error) as exc:
            return _unavailable(exc)
        except Exception as exc:
            # The database driver is imported only with the PostgreSQL store: its errors are told by module.
            if type(exc).__module__.startswith("psycopg"):
                return _unavailable(exc)
            log.exception(json.dumps({"event": "internal_error", "type": type(exc).__name__}))
            return Refusal(500, "internal", "中转站内部错误，请联系县民政局。").response()

    return guarded


def create_app(store: HubStore, offices: OfficesSource, config: HubConfig | None = None) -> Starlette:
    hub = Hub(store, offices, config or HubConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def prune_forever() -> None:
            while True:
                with contextlib.suppress(DoudiError, OSError):
                    await hub.prune_now()
                await asyncio.sleep(PRUNE_EVERY_S)

        task = asyncio.create_task(prune_forever())
        try:
            yield
        finally:
            task.cancel()

    routes = [
        Route(protocol.HEALTH_PATH, _guard(hub.health), methods=["GET"]),
        Route(protocol.MAILBOX_PATH, _guard(hub.mailbox), methods=["GET"]),
        Route(f"{protocol.API}/packages/{{package_id}}", _guard(hub.put_package), methods=["PUT"]),
        Route(f"{protocol.API}/packages/{{package_id}}", _guard(hub.get_package), methods=["GET"]),
        Route(f"{protocol.API}/packages/{{package_id}}/ack", _guard(hub.ack), methods=["POST"]),
    ]

    async def no_route(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            why = f"中转站的 {request.url.path} 不受理 {request.method} 请求。"
            return Refusal(status, "method_not_allowed", why).response()
        return Refusal(404, "not_found", "中转站没有这个地址。").response()

    handlers = {404: no_route, 405: no_route}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.hub = hub
    app.add_middleware(AccessLog)
    return app


def listen_socket(host: str, port: int) -> socket.socket:
    """The hub's listening socket, bound before anything says the hub started: a port in use is one
    Chinese sentence, not uvicorn's English error after the start banner."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform == "win32":  # there SO_REUSEADDR would let the hub share a port already in use
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # a restart must not wait for the old connections' TIME_WAIT to pass
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except socket.gaierror:
        sock.close()
        raise InvalidInput(f"--host {host} 不是这台电脑能监听的地址，中转站没有启动。", field="host") from None
    except OSError:
        sock.close()
        raise InvalidInput(
            f"端口 {port} 已被占用（或不允许使用），中转站没有启动：请换一个端口或关掉占用它的程序。", field="port"
        ) from None
    sock.set_inheritable(True)
    return sock


def json_lines_logging(level: int = logging.INFO) -> None:
    """The hub's logs on stderr as JSON lines, one per request (and a few events)."""

    class Plain(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return record.getMessage()

    handler = logging.StreamHandler()
    handler.setFormatter(Plain())
    logger = logging.getLogger("doudi.hub")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    quiet_repeated_errors()
