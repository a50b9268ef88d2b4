"""What keeps idle or malformed connections from stopping the hub: uvicorn has no time limit for a
request's headers, so a few thousand sockets that send half a request line would hold every file
descriptor (the attacker review's slowloris). Here: a deadline for the headers, one Chinese sentence
for a malformed request, and one log line (not a traceback a second) when the system runs out of
sockets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 20.0  # from the connection (or the last answer) to a request's complete headers
KEEP_ALIVE_S = 5
MAX_HEADER_BYTES = 16 * 1024
BACKLOG = 2048
LOG_REPEAT_S = 60.0
BAD_REQUEST = "请求不是有效的 HTTP 请求（请求行、请求头或 Content-Length 不对），中转站不予受理。"


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for headers: a connection that has not sent a
    whole request head in HEADER_TIMEOUT_S is closed, however slowly it trickles bytes."""

    _header_timer: asyncio.TimerHandle | None = None

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT_S, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a request's head arrived whole
            self._cancel_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()  # the next request on this connection has the same deadline

    def send_400_response(self, msg: str) -> None:
        # uvicorn's own answer is English plain text; every other refusal of the hub is one sentence.
        body = json.dumps({"error": "bad_request", "message": BAD_REQUEST}, ensure_ascii=False).encode("utf-8")
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


def open_file_limit() -> int | None:
    """The soft limit on open files, raised to the hard limit (each connection is one): None where the
    system has no such limit (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return int(soft)


def uvicorn_settings() -> dict[str, Any]:
    """Keyword arguments for uvicorn.Config: the guarded protocol, short keep-alive, a bounded request
    head, and a concurrency limit below the open-file limit, so the hub answers 503 near the limit
    instead of failing to accept."""
    files = open_file_limit()
    return {
        "http": GuardedH11Protocol,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "backlog": BACKLOG,
        "limit_concurrency": max(64, files - 64) if files else None,
    }


class OncePerMinute(logging.Filter):
    """The same message at most once a minute, on one line: running out of file descriptors makes
    asyncio log a traceback for every failed accept, which once flooded stderr with 87,000 of them."""

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        key = text.split("\n", 1)[0][:200]
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(key, -LOG_REPEAT_S) < LOG_REPEAT_S:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        exc = record.exc_info[1] if record.exc_info else None
        line = key + (f" ({type(exc).__name__}: {exc})" if exc else "")
        if held:
            line += f" [{held} more like this in the last minute]"
        record.msg, record.args, record.exc_info, record.exc_text = line, None, None, None
        return True


def quiet_repeated_errors() -> None:
    """Rate-limit what asyncio and uvicorn log about sockets (accept failures, malformed requests)."""
    for name in ("asyncio", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerMinute) for f in logger.filters):
            logger.addFilter(OncePerMinute())
