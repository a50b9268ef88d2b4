"""``doudi check`` as support staff run it: altered rows, the chain head and its anchors (issue 8 item 1)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.cli.test_cli import PASSWORD, doudi, env, office  # noqa: F401 - fixtures
from tests.factories import household, member


@pytest.fixture
def opened(office, env, monkeypatch):  # noqa: F811 - the fixtures above
    """Open the CLI's office in this process, as the same user on the same PC."""
    from app.services.office import open_session

    monkeypatch.setenv("DOUDI_KEYRING", "file")
    monkeypatch.setenv("DOUDI_CONFIG_DIR", env["DOUDI_CONFIG_DIR"])
    data, _ = office

    def open_as(user="admin", password=PASSWORD):
        return open_session(data, user, password)

    return open_as


def _check(env, data, *extra):  # noqa: F811
    return doudi(env, "check", "--data-dir", str(data), *extra, "--password-stdin", stdin=PASSWORD + "\n")


def test_check_names_the_altered_row_and_column_and_fails(office, env, opened):  # noqa: F811
    data, _ = office
    admin = opened()
    admin.users.add("clerk1", "clerk", "clerk-pass-2021")
    admin.close()
    clerk = opened("clerk1", "clerk-pass-2021")
    h = clerk.households.add(household(bank_account="6228480000000001"), [member("马学军", date(1958, 3, 4))])
    clerk.db.execute("UPDATE households SET bank_account = '6228489999999999' WHERE id = ?", (h.id,))
    clerk.close()

    r = _check(env, data, "--json")
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    assert not report["ok"]
    assert [(p["table"], p["row"], p["kind"], p["columns"]) for p in report["content_problems"]] == [
        ("households", h.id, "altered", ["bank_account"])
    ]
    assert report["unlogged_changes"] == {}  # updated_at kept: the old check passed this
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and h.id in lines[0] and "bank_account" in lines[0]

    text = _check(env, data)
    assert text.returncode == 1 and text.stdout.startswith("检查发现问题")
    assert "行内容 有改动" in text.stdout


def test_check_prints_the_chain_head_and_then_sees_it_continue(office, env):  # noqa: F811
    data, _ = office
    first = _check(env, data, "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    for key in ("ok", "integrity", "audit_entries", "unlogged_changes", "audit_problems", "key_slots"):
        assert key in report
    assert report["content_problems"] == [] and report["schema_problems"] == []
    assert report["anchor"]["continues"] is True  # the head printed with the recovery code at init
    head = report["chain_head"]
    assert head["seq"] == report["audit_entries"] and len(head["hash"]) == 64

    second = _check(env, data)
    assert second.returncode == 0, second.stderr
    assert f"审计链头：第 {head['seq']} 条 {head['hash']}" in second.stdout
    assert "审计链仍经过已知的全部" in second.stdout and f"最新的是第 {head['seq']} 条" in second.stdout


def test_check_reads_anchors_from_backup_manifests(office, env, tmp_path):  # noqa: F811
    data, _ = office
    usb = tmp_path / "usb"
    usb.mkdir()
    manifest = {"audit_chain_head": {"seq": 1, "hash": "f" * 64, "at": "2026-01-01T08:00:00+08:00"}}
    (usb / "doudi-2026-01-01.manifest.json").write_text(json.dumps(manifest))
    r = _check(env, data, "--anchors", str(usb), "--json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["anchor"]["continues"] is False  # an older anchor off the chain counts as much as the newest
    assert report["anchor"]["broken"][0]["where"] == "doudi-2026-01-01.manifest.json"
    assert "不再经过锚点第 1 条" in r.stderr


def test_check_reports_a_dropped_trigger(office, env, opened):  # noqa: F811
    data, _ = office
    s = opened()
    s.db.execute("DROP TRIGGER change_log_no_update")
    s.close()
    r = _check(env, data, "--json")
    assert r.returncode == 1
    assert any("change_log_no_update" in p for p in json.loads(r.stdout)["schema_problems"])


def test_check_on_a_half_made_folder_says_what_happened_and_what_to_do(tmp_path, env):  # noqa: F811
    data = tmp_path / "office"
    data.mkdir()
    (data / "office.db").write_bytes(b"x" * 4096)  # a set-up cut short: a database, no key slots
    r = _check(env, data, "--json")
    assert r.returncode == 1
    assert "没有密钥槽文件" in r.stderr and "Traceback" not in r.stderr
    assert json.loads(r.stdout)["half_made"] is True


def test_check_warns_of_a_missing_key_slot_copy_without_failing(office, env):  # noqa: F811
    data, _ = office
    (data / "keyslots.backup.json").unlink()
    r = _check(env, data, "--json")
    assert r.returncode == 0, r.stderr  # the office opens; the copy is rewritten at the next password change
    assert json.loads(r.stdout)["key_slot_copy_problems"] and "注意" in r.stderr
