"""``doudi package send|fetch --hub URL`` as a script runs them: JSON lists what went and came with
the receipts, and a hub that does not answer is one sentence with its own exit code."""

from __future__ import annotations

import json

from app.hub.client import HubUnreachable
from tests.cli.test_exchange_cli import one_sentence, run  # noqa: F401
from tests.exchange_flow.conftest import digests

from .real_hub import serve_hub


def test_send_then_fetch_through_the_hub(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    with serve_hub(tmp_path / "hub", county, offices) as url:
        code, out, _err = run(a, "package", "send", "--hub", url, "--json")
        assert code == 0
        sent = json.loads(out)["sent"]
        assert [p["peer"] for p in sent] == [county.code] and sent[0]["stored"] is True
        code, out, _err = run(county, "package", "fetch", "--hub", url, "--json")
        assert code == 0
        fetched = json.loads(out)["fetched"]
        assert [f["package_id"] for f in fetched] == [sent[0]["package_id"]]
        assert fetched[0]["receipt"]["applied"] and not fetched[0]["refused"]
        code, out, _err = run(county, "package", "fetch", "--hub", url)
        assert code == 0 and "没有给本单位的数据包" in out
    assert digests(county)[a.code] == digests(a)[a.code]


def test_an_unreachable_hub_is_one_sentence_and_its_exit_code(offices, run, tmp_path):  # noqa: F811
    _county, a, _b = offices
    with serve_hub(tmp_path / "hub", offices[0], offices) as url:
        pass  # started and stopped: nothing listens there any more
    for command in ("send", "fetch"):
        code, out, err = run(a, "package", command, "--hub", url)
        assert code == HubUnreachable.exit_code
        assert url in one_sentence(err) and out == ""


def test_without_an_address_the_command_says_how_to_give_one(offices, run):  # noqa: F811
    _county, a, _b = offices
    code, _out, err = run(a, "package", "send")
    assert code == 2 and "--hub" in one_sentence(err)
    code, _out, err = run(a, "package", "fetch", "--hub", "ftp://hub")
    assert code == 2 and "ftp://hub" in one_sentence(err)
