"""The county's signed offices file, made from its trust list, is what a hub accepts real packages by."""

from __future__ import annotations

import json
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from app import cli
from app.errors import InvalidInput
from app.hub.client import HubClient
from app.hub.offices import read_offices
from app.hub.server import HubConfig, OfficesSource, create_app
from app.hub.stores.folder import FolderStore
from app.services.exchange.office_keys import ensure_office_keys
from tests.exchange_flow.conftest import PASSWORD, export_one, office_templates, offices  # noqa: F401


def test_a_real_package_travels_through_the_hub_and_imports(offices, tmp_path):  # noqa: F811
    county, town_a, _town_b = offices
    written = county.session.hub_offices.export(tmp_path / "offices.json")
    assert written.offices == 3 and written.keys == 3
    book = read_offices(tmp_path / "offices.json", county_key=written.county_fingerprint)
    assert {k.code for k in book.keys} == {county.code, town_a.code, _town_b.code}

    store = FolderStore(tmp_path / "hub")
    app = create_app(store, OfficesSource(tmp_path / "offices.json", store, written.county_fingerprint), HubConfig())
    path = export_one(town_a, county, tmp_path / "out")
    with TestClient(app, base_url="http://hub.test") as http:

        def client(office) -> HubClient:
            seed = ensure_office_keys(office.session.store, "admin").sign_seed
            return HubClient(
                "http://hub.test", office.code, Ed25519PrivateKey.from_private_bytes(seed), http_client=http
            )

        manifest_id = county.session.packages.inspect(path).manifest["package_id"]
        assert client(town_a).upload(manifest_id, path.read_bytes()) is True
        [entry] = client(county).mailbox()
        fetched = tmp_path / "in" / path.name
        fetched.parent.mkdir()
        fetched.write_bytes(client(county).download(entry))
    receipt = county.session.packages.import_file(fetched)
    assert receipt.sender == town_a.code
    store.close()


def test_a_township_cannot_write_the_offices_file(offices, tmp_path):  # noqa: F811
    _county, town_a, _b = offices
    with pytest.raises(InvalidInput, match="只有县民政局"):
        town_a.session.hub_offices.export(tmp_path / "offices.json")
    assert not (tmp_path / "offices.json").exists()


def test_export_hub_on_the_command_line_prints_the_key_to_start_the_hub_with(offices, tmp_path, monkeypatch, capsys):  # noqa: F811
    county, _a, _b = offices
    monkeypatch.setenv("DOUDI_PASSWORD", PASSWORD)
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(""))
    out_file = tmp_path / "offices.json"
    code = cli.main(["trust", "export-hub", "--out", str(out_file), "--data-dir", str(county.data_dir), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert read_offices(out_file, county_key=printed["county_fingerprint"]).county == county.code
