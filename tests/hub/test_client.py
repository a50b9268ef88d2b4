"""The client API the sync service builds on, against the hub app on both stores."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from app.hub.client import HubClient, HubError, HubUnreachable
from tests.hub.conftest import World, client_for, make_package
from tests.hub.pg import free_port


def test_a_package_goes_from_township_to_county_and_leaves_the_mailbox_once_acked(
    app_client: TestClient, world: World
) -> None:
    township, county = world.townships[0], world.county
    package_id, data = make_package(township, county, seq=7)
    sender = client_for(app_client, township)
    receiver = client_for(app_client, county)

    assert sender.health()["status"] == "ok"
    assert sender.upload(package_id, data) is True
    assert sender.upload(package_id, data) is False  # the same bytes again: nothing new

    [entry] = receiver.mailbox()
    assert (entry.package_id, entry.sender, entry.receiver, entry.channel_seq, entry.size) == (
        package_id,
        township.code,
        county.code,
        7,
        len(data),
    )
    assert receiver.download(entry) == data
    receiver.ack(package_id)
    assert receiver.mailbox() == []
    assert sender.mailbox() == []  # the sender's own upload is never in its mailbox


def test_upload_reports_progress_to_the_end(app_client: TestClient, world: World) -> None:
    package_id, data = make_package(world.townships[0], world.county, payload=b"x" * 3_000_000)
    seen: list[tuple[int, int]] = []
    client_for(app_client, world.townships[0]).upload(
        package_id, data, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (len(data), len(data))


def test_a_refusal_carries_the_hubs_sentence(app_client: TestClient, world: World) -> None:
    package_id, data = make_package(world.townships[0], world.county)
    with pytest.raises(HubError) as refused:
        client_for(app_client, world.stranger).upload(package_id, data)
    assert refused.value.status == 401
    assert "640424999000" in str(refused.value) and "单位清单" in str(refused.value)


def test_a_hub_that_does_not_answer_is_unreachable_with_its_address(world: World) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    client = HubClient(url, world.county.code, world.county.signing_key, timeout=2)
    with pytest.raises(HubUnreachable) as failed:
        client.mailbox()
    assert str(failed.value).startswith(f"无法连接县级数据中转站 {url}")
