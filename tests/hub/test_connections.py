"""Idle, slow and malformed connections (the attacker review's slowloris): the hub closes a connection
that has not sent a whole request head in time, answers a malformed one in one Chinese sentence, and
logs a flood of identical socket errors as one line a minute."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from app.hub import http_limits
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore
from tests.hub.conftest import LiveHub, World, client_for
from tests.hub.pg import free_port


@pytest.fixture
def guarded_hub(store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch) -> LiveHub:
    monkeypatch.setattr(http_limits, "HEADER_TIMEOUT_S", 0.5)
    app = create_app(store, OfficesSource(world.offices_path, store, world.county.fingerprint), HubConfig())
    return LiveHub(app, free_port(), settings=http_limits.uvicorn_settings())


@pytest.mark.parametrize("store_spec", ["folder"], indirect=True)
def test_a_connection_that_trickles_a_request_head_is_closed(guarded_hub: LiveHub, world: World) -> None:
    with guarded_hub as hub:
        idle = socket.create_connection(("127.0.0.1", hub.port), timeout=5)
        idle.sendall(b"PUT /v1/packages/x HTTP/1.1\r\nHost: hub\r\n")
        started = time.monotonic()
        for _ in range(3):  # a byte now and then does not keep it open
            time.sleep(0.2)
            try:
                idle.sendall(b"X")
            except OSError:
                break
        assert idle.recv(100) == b""  # closed by the hub
        assert time.monotonic() - started < 4
        idle.close()
        with client_for(None, world.county, hub.url) as client:  # a well-behaved request still works
            assert client.mailbox() == []


@pytest.mark.parametrize("store_spec", ["folder"], indirect=True)
def test_a_malformed_request_gets_one_chinese_sentence(guarded_hub: LiveHub) -> None:
    with guarded_hub as hub, socket.create_connection(("127.0.0.1", hub.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nContent-Length: nonsense\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    message = json.loads(body)["message"]
    assert message.endswith("。") and "HTTP" in message and "Invalid" not in message


def test_a_flood_of_the_same_socket_error_is_one_line_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    http_limits.quiet_repeated_errors()
    logger = logging.getLogger("asyncio")
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        for fd in range(500):
            try:
                raise OSError(24, "Too many open files")
            except OSError:
                logger.exception("socket.accept() out of system resource\nsocket: <socket fd=%d>", fd)
    lines = [r for r in caplog.records if r.name == "asyncio"]
    assert len(lines) == 1
    assert lines[0].exc_info is None and "\n" not in lines[0].getMessage()
    assert "Too many open files" in lines[0].getMessage()
