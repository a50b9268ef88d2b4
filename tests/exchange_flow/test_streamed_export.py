"""The package payload is compressed as it is made, in pieces (issue 10, point 9): the receiver
must still get exactly the canonical JSON of the payload, and a cancel while compressing must
leave nothing behind, not even the compressing thread."""

from __future__ import annotations

import itertools
import json
import threading
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.exchange import package_file
from app.exchange.canonical import canonical_json
from app.exchange.package_file import open_payload, parse_package
from app.services.exchange import export
from app.services.exchange.office_keys import ensure_office_keys
from app.ui.ops import Cancelled

from .conftest import edit_household, export_one


def _opened(receiver, path) -> bytes:
    keys = ensure_office_keys(receiver.session.store, "admin")
    return open_payload(parse_package(path.read_bytes(), source=str(path)), keys, source=str(path))


@pytest.mark.parametrize("rows_per_piece", [1, 7, 2000])  # pieces cut inside tables, and whole tables
def test_the_streamed_payload_is_the_canonical_json_of_the_payload(offices, tmp_path, monkeypatch, rows_per_piece):
    county, a, _b = offices
    edit_household(a, "第一次修改")
    edit_household(a, "第二次修改")  # history travels too
    monkeypatch.setattr(export, "_ROWS_PER_PIECE", rows_per_piece)
    made: list[dict] = []
    real = export._payload_pieces

    def keep(rest, rows, heard):
        made.append({**rest, "rows": {t: r.dicts() for t, r in rows.items()}})
        return real(rest, rows, heard)

    monkeypatch.setattr(export, "_payload_pieces", keep)
    path = export_one(a, county, tmp_path / "usb")
    payload = _opened(county, path)
    assert payload == canonical_json(made[0])  # byte for byte what the whole text would be
    assert json.loads(payload)["history"]["households"]
    assert sum(map(len, json.loads(payload)["rows"].values())) > 100
    receipt = county.session.packages.import_file(path)
    assert not receipt.quarantined


@settings(max_examples=60, deadline=None)
@given(text=st.binary(max_size=3000), cuts=st.lists(st.integers(min_value=0, max_value=3000), max_size=8))
def test_compressing_in_pieces_gives_the_stream_the_whole_text_gives(text, cuts):
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[i:j] for i, j in itertools.pairwise(bounds)]
    streamed = package_file._compress(iter(pieces))
    assert streamed == package_file._compress(text) == zlib.compress(text, 6)
    assert zlib.decompress(streamed) == text


def test_a_failure_while_making_pieces_stops_the_compressing_thread():
    def pieces():
        yield b"x" * 100_000
        raise Cancelled

    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(Cancelled):
        package_file._compress(pieces())
    assert {t.ident for t in threading.enumerate() if t.name == "doudi-deflate"} <= before


def test_a_cancel_while_compressing_leaves_no_package_and_no_thread(offices, tmp_path):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    heard: list[str] = []

    def cancel_in_second_table(_done, _total, label):
        heard.append(label)
        if sum("压缩" in x for x in heard) == 3:  # the step itself, the first table, then the second
            raise Cancelled

    with pytest.raises(Cancelled):
        a.session.packages.export(usb, for_code=county.code, progress=cancel_in_second_table)
    assert list(usb.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "doudi-deflate"]
    assert a.session.db.scalar("SELECT out_seq FROM channels WHERE peer_code = ?", (county.code,)) == 0
