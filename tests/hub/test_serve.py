"""What the county's administrator sees of a running hub: its start lines, its JSON log lines (with no
token and no personal data), TLS, and one sentence when it cannot start."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app import cli
from app.hub.client import HubClient, HubError, HubUnreachable
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores import HubStore
from tests.hub.conftest import LiveHub, World, client_for, make_package
from tests.hub.pg import free_port
from tests.hub.test_faults import hub_process
from tests.tls import self_signed


def test_each_request_is_one_json_log_line_without_the_token(
    app_client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    town, county = world.townships[0], world.county
    package_id, data = make_package(town, county)
    with caplog.at_level(logging.INFO, logger="doudi.hub.access"):
        client_for(app_client, town).upload(package_id, data)
        client_for(app_client, world.stranger).health()
    # By message, not by logger name: app.logs' filter (once a CLI test installed it) masks record.name.
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.getMessage().startswith('{"time"')]
    put = next(line for line in lines if line["method"] == "PUT")
    assert {k: put[k] for k in ("office", "path", "status", "bytes_in")} == {
        "office": town.code,
        "path": f"/v1/packages/{package_id}",
        "status": 201,
        "bytes_in": len(data),
    }
    assert set(put) == {"time", "office", "method", "path", "status", "bytes_in", "bytes_out", "ms"}
    assert all("Doudi" not in r.getMessage() and "authorization" not in r.getMessage().lower() for r in caplog.records)


def test_over_tls_with_the_countys_certificate(store: HubStore, world: World, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    offices = OfficesSource(world.offices_path, store, world.county.fingerprint)
    app = create_app(store, offices, HubConfig(tls=True))
    town = world.townships[0]
    with LiveHub(app, free_port(), cert=cert, key=key) as hub:
        with HubClient(hub.url, town.code, town.signing_key, ca_file=cert) as client:
            assert client.health()["tls"] is True
            assert client.upload(*make_package(town, world.county)) is True
        unverified = HubClient(hub.url, town.code, town.signing_key)  # without the county's certificate
        with unverified, pytest.raises(HubUnreachable, match="无法连接县级数据中转站"):
            unverified.health()


def test_serve_says_in_one_line_that_tls_is_off(world: World, tmp_path: Path) -> None:
    with hub_process(str(tmp_path / "store"), world, free_port(), tmp_path) as process:
        pass
    printed = process.log_path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    warnings = [line for line in printed.splitlines() if "未启用 TLS" in line]
    assert len(warnings) == 1 and "Traceback" not in printed


def test_serve_refuses_an_unsigned_offices_file_in_one_sentence(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world.write_offices(signer=world.stranger)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    argv = ["hub", "serve", "--store", str(tmp_path / "store"), "--offices", str(world.offices_path)]
    code = cli.main([*argv, "--county-key", world.county.fingerprint])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "签名不是县民政局的" in err
    assert cli.main([*argv, "--rate", "lots"]) == 2
    assert "600/min" in capsys.readouterr().err


def test_a_store_that_fails_is_a_503_with_a_sentence_and_no_address(
    app_client: TestClient, store: HubStore, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(receiver: str) -> list[object]:
        raise OSError(111, "connection refused to db.internal:5432")

    monkeypatch.setattr(store, "mailbox", down)
    with pytest.raises(HubError) as failed:
        client_for(app_client, world.county).mailbox()
    assert failed.value.status == 503
    assert str(failed.value) == "中转站暂时无法读写存储，请稍后再试。"


def test_serve_on_a_port_in_use_says_so_in_one_sentence_before_any_start_line(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        argv = ["hub", "serve", "--store", str(tmp_path / "store"), "--offices", str(world.offices_path)]
        code = cli.main([*argv, "--county-key", world.county.fingerprint, "--port", str(port)])
    err = capsys.readouterr().err.strip()
    assert code == 2  # InvalidInput: the --port given cannot be used
    assert err == f"端口 {port} 已被占用（或不允许使用），中转站没有启动：请换一个端口或关掉占用它的程序。"
