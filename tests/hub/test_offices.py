"""The offices file: the hub believes it only when the county's key signed exactly these bytes."""

from __future__ import annotations

import json

import pytest

from app.errors import InvalidInput
from app.hub.offices import read_offices
from tests.hub.conftest import World


def test_the_county_key_may_be_its_fingerprint_or_its_public_key(world: World) -> None:
    by_fingerprint = read_offices(world.offices_path, county_key=world.county.fingerprint.lower().replace("-", " "))
    by_public = read_offices(world.offices_path, county_key=world.county.keys.sign_public)
    assert by_fingerprint.keys == by_public.keys
    assert by_public.active_key(world.townships[0].code, world.townships[0].keys.sign_public) is not None
    with pytest.raises(InvalidInput, match="没有指纹为"):
        read_offices(world.offices_path, county_key=world.townships[0].fingerprint)


def test_an_edited_file_is_refused(world: World) -> None:
    outer = json.loads(world.offices_path.read_text(encoding="utf-8"))
    outer["offices"]["offices"][1]["sign_public"] = world.stranger.keys.sign_public  # a stranger's key slipped in
    world.offices_path.write_text(json.dumps(outer), encoding="utf-8")
    with pytest.raises(InvalidInput, match="指纹与公钥不符"):
        read_offices(world.offices_path, county_key=world.county.fingerprint)
    outer["offices"]["offices"][1]["fingerprint"] = "whatever"
    outer["offices"]["offices"].append(outer["offices"]["offices"][0] | {"name": "改过的名称"})
    del outer["offices"]["offices"][1]
    world.offices_path.write_text(json.dumps(outer), encoding="utf-8")
    with pytest.raises(InvalidInput, match="签名不是县民政局的"):
        read_offices(world.offices_path, county_key=world.county.fingerprint)
