"""``doudi trust …`` and ``doudi package …`` as a script runs them: every refusal is one sentence with its
own exit code (README's table), and a refused package changes nothing."""

from __future__ import annotations

import json
import sys

import pytest

from app import cli
from app.exchange import package_file
from tests.exchange_flow.conftest import PASSWORD, digests, export_one, office_templates, offices  # noqa: F401


@pytest.fixture
def run(monkeypatch, tmp_path, capsys):
    """cli.main in this process (the offices' credential store is the test's), returning (code, out, err)."""
    monkeypatch.setenv("DOUDI_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))

    def go(office, *argv, user="admin"):
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(""))
        code = cli.main([*argv, "--data-dir", str(office.data_dir), "--user", user])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def one_sentence(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def state(office):
    s = office.session
    return digests(office), s.db.scalar("SELECT count(*) FROM change_log"), s.db.scalar("SELECT count(*) FROM packages")


# --- trust ------------------------------------------------------------------------------------


def test_trust_card_prints_the_fingerprint(offices, run, tmp_path):  # noqa: F811
    county, _a, _b = offices
    code, out, _err = run(county, "trust", "card", "--out", str(tmp_path / "c.json"), "--json")
    assert code == 0
    card = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert json.loads(out)["fingerprint"] == card["fingerprint"]
    assert len(card["fingerprint"]) == 29  # six groups of four


def test_trust_add_refuses_a_fingerprint_that_does_not_match(offices, run):  # noqa: F811
    _county, a, b = offices
    code, _out, err = run(a, "trust", "add", str(b.card), "--fingerprint", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert code == 28
    assert "指纹" in one_sentence(err) and "没有添加" in err
    assert a.session.trust.peer(b.code) is None


def test_trust_add_list_and_the_same_card_twice(offices, run):  # noqa: F811
    _county, a, b = offices
    fingerprint = b.session.trust.card().fingerprint.lower().replace("-", " ")  # as typed from the phone
    assert run(a, "trust", "add", str(b.card), "--fingerprint", fingerprint)[0] == 0
    code, out, _ = run(a, "trust", "add", str(b.card), "--fingerprint", fingerprint, "--json")
    assert code == 0 and json.loads(out)["added"] is False
    code, out, _ = run(a, "trust", "list", "--json")
    assert {p["office_code"] for p in json.loads(out)["peers"]} == {b.code, "640424000000"}


def test_only_the_administrator_manages_trust(offices, run):  # noqa: F811
    _county, a, b = offices
    a.session.users.add("clerk1", "clerk", PASSWORD, display_name="王经办")
    code, _out, err = run(a, "trust", "add", str(b.card), "--fingerprint", "x", user="clerk1")
    assert code == 9 and "无权" in one_sentence(err)


def test_a_new_card_for_a_trusted_office_needs_the_old_one_revoked(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    from app.exchange.cards import card_for
    from app.exchange.keys import new_office_keys

    new_card = card_for(new_office_keys(), a.code, "香水镇", "township")
    path = tmp_path / "new.json"
    path.write_text(new_card.to_json(), encoding="utf-8")
    code, _out, err = run(county, "trust", "add", str(path), "--fingerprint", new_card.fingerprint)
    assert code == 4 and "先吊销" in one_sentence(err)
    assert run(county, "trust", "revoke", a.code[:9])[0] == 0
    assert run(county, "trust", "add", str(path), "--fingerprint", new_card.fingerprint)[0] == 0


# --- packages ---------------------------------------------------------------------------------


def test_export_inspect_import_and_import_again(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    code, out, _ = run(a, "package", "export", "--to", str(tmp_path), "--json")
    assert code == 0
    [written] = json.loads(out)["packages"]
    path = written["path"]
    code, out, _ = run(county, "package", "inspect", path, "--json")
    seen = json.loads(out)
    assert code == 0 and seen["signature_ok"] is True and seen["manifest"]["channel_seq"] == 1
    assert seen["manifest"]["audit_chain_head"]["seq"] > 0
    code, out, _ = run(county, "package", "import", path, "--json")
    receipt = json.loads(out)
    assert code == 0 and receipt["applied"]["households"] == 25 and receipt["quarantined"] == []
    code, out, _ = run(county, "package", "import", path)
    assert code == 0 and "以前已导入过" in out


def test_inspect_says_when_the_sender_is_unknown(offices, run, tmp_path):  # noqa: F811
    county, a, b = offices
    path = export_one(a, county, tmp_path)
    code, out, _ = run(b, "package", "inspect", str(path))
    assert code == 0 and "不在信任列表中" in out


def test_check_json_carries_digests(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    county.session.packages.import_file(export_one(a, county, tmp_path))
    code, out, _ = run(county, "check", "--json")
    report = json.loads(out)
    assert report["digests"][a.code] == digests(a)[a.code]
    # Rows written as they came are change-logged and audited like any other: the check passes.
    assert code == 0 and report["ok"], report["problems"]
    code, out, _ = run(county, "check")
    assert code == 0 and digests(a)[a.code][:8] in out


def _flip(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _refusal(run, county, path, exit_code, words):
    before = state(county)
    code, _out, err = run(county, "package", "import", str(path))
    sentence = one_sentence(err)
    assert code == exit_code, sentence
    assert path.name in sentence or "数据包" in sentence
    for word in words:
        assert word in sentence
    assert state(county) == before  # nothing applied, nothing recorded


def test_a_tampered_package_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    _flip(path, len(path.read_bytes()) - 10)  # inside the encrypted payload
    _refusal(run, county, path, 21, ["校验值不符"])


def test_a_truncated_package_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    path.write_bytes(path.read_bytes()[:-100])
    _refusal(run, county, path, 21, [])


def test_a_package_with_a_forged_manifest_fails_its_signature(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    data = path.read_bytes()
    parsed = package_file.parse_package(data, source="x")
    forged = parsed.manifest_bytes.replace(b'"channel_seq":1', b'"channel_seq":7')
    assert forged != parsed.manifest_bytes
    path.write_bytes(package_file.encode_package(forged, parsed.signature, parsed.ciphertext))
    _refusal(run, county, path, 22, ["签名"])


def test_an_unsigned_package_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    parsed = package_file.parse_package(path.read_bytes(), source="x")
    path.write_bytes(package_file.encode_package(parsed.manifest_bytes, b"", parsed.ciphertext))
    _refusal(run, county, path, 22, ["没有签名"])


def test_a_package_from_an_unknown_office_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, b = offices
    path = export_one(b, county, tmp_path)  # township A never added B's card
    _refusal(run, a, path, 23, ["未信任"])


def test_a_package_signed_after_revocation_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    earlier = export_one(a, county, tmp_path / "1")
    county.session.trust.revoke(a.code)
    later = export_one(a, county, tmp_path / "2")
    _refusal(run, county, later, 24, ["吊销"])
    # One signed before the revocation still applies (it was written before the PC was stolen).
    assert run(county, "package", "import", str(earlier))[0] == 0


def test_a_package_for_another_office_is_refused(offices, run, tmp_path):  # noqa: F811
    county, a, b = offices
    b.session.trust.add(a.card, a.session.trust.card().fingerprint)
    path = export_one(a, county, tmp_path)
    _refusal(run, b, path, 25, ["不是发给本单位"])


def test_an_older_package_after_a_newer_one_is_a_replay(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    first = export_one(a, county, tmp_path)
    second = export_one(a, county, tmp_path)
    assert run(county, "package", "import", str(second))[0] == 0
    _refusal(run, county, first, 26, ["重放"])


def test_a_package_over_the_size_cap_is_refused_before_reading(offices, run, tmp_path, monkeypatch):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    monkeypatch.setattr(package_file, "DEFAULT_MAX_BYTES", 1000)
    _refusal(run, county, path, 27, ["超过上限"])


def test_a_broken_audit_chain_is_refused(offices, run, tmp_path):  # noqa: F811
    """A sender whose history was rewritten after the county saw it is refused, naming the break."""
    county, a, _b = offices
    assert run(county, "package", "import", str(export_one(a, county, tmp_path / "1")))[0] == 0
    # Rewrite the township's last audit entry (as someone with its key could) and send again.
    db = a.session.db
    with a.session.store.transaction():
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute(
            "UPDATE audit_log SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(hash, 2) "
            "WHERE seq = (SELECT max(seq) FROM audit_log)"
        )
    path = export_one(a, county, tmp_path / "2")
    _refusal(run, county, path, 21, ["审计"])


def test_a_temporary_file_left_by_an_export_is_never_imported(offices, run, tmp_path):  # noqa: F811
    county, a, _b = offices
    path = export_one(a, county, tmp_path)
    partial = path.with_name(package_file.partial_name(path.name))
    partial.write_bytes(path.read_bytes())
    _refusal(run, county, partial, 21, ["临时文件"])


def test_progress_goes_to_a_terminal_only(monkeypatch, capsys):
    import io

    from app.cli.exchange import terminal_progress

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert terminal_progress() is None  # a script's standard error stays one sentence on refusal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    show = terminal_progress()
    assert show is not None
    show(0, 3, "正在读取变更…")
    show(1, 3, "正在读取变更…")
    show(2, 3, "正在加密…")
    assert tty.getvalue().splitlines() == ["正在读取变更…", "正在加密…"]
