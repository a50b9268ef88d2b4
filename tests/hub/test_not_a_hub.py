"""An address that answers but is not a Doudi hub (a plain web server) is named as such, in one sentence."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import pytest

from app.hub.client import HubClient, HubError, HubUnreachable
from tests.hub.conftest import World


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def plain_web_server() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_plain_web_server_is_not_a_hub_and_the_sentence_says_so(world: World) -> None:
    town = world.townships[0]
    with (
        plain_web_server() as port,
        HubClient(f"http://127.0.0.1:{port}", town.code, town.signing_key) as client,
        pytest.raises(HubError) as refused,
    ):
        client.mailbox()
    assert not isinstance(refused.value, HubUnreachable) and refused.value.exit_code == 30
    assert str(refused.value) == (
        f"地址 http://127.0.0.1:{port} 上的服务不是县级数据中转站（HTTP 404），请与县里核对地址。"
    )


def test_an_https_address_to_a_plain_http_server_says_it_does_not_speak_https(world: World) -> None:
    town = world.townships[0]
    with (
        plain_web_server() as port,
        HubClient(f"https://127.0.0.1:{port}", town.code, town.signing_key) as client,
        pytest.raises(HubUnreachable) as failed,
    ):
        client.health()
    assert "不使用 HTTPS" in str(failed.value) and "连接被拒绝" not in str(failed.value)
