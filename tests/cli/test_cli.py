"""The command-line contract of docs/architecture.md §6, run as a person or a script would run it."""

import json
import os
import shutil
import subprocess
import sys

import pytest

PASSWORD = "cli-pass-2021"


@pytest.fixture
def env(tmp_path):
    e = os.environ.copy()
    e.update(
        {
            "DOUDI_KEYRING": "file",
            "DOUDI_CONFIG_DIR": str(tmp_path / "config"),
            "DOUDI_KDF_PROFILE": "fast",
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        }
    )
    e.pop("DOUDI_PASSWORD", None)
    return e


def doudi(env, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def assert_one_sentence(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def office(tmp_path, env):
    data = tmp_path / "data"
    r = doudi(
        env,
        "init",
        "--office",
        "640424101",
        "--admin",
        "admin",
        "--data-dir",
        str(data),
        "--json",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    return data, json.loads(r.stdout)


def test_init_prints_the_recovery_code_once(office, tmp_path):
    data, out = office
    assert out["office_name"] == "泾河源镇" and out["office_code"] == "640424101000"
    assert len(out["recovery_code"]) == 29
    for path in data.iterdir():
        assert out["recovery_code"].encode() not in path.read_bytes()


def test_password_from_environment(tmp_path, env):
    env["DOUDI_PASSWORD"] = PASSWORD
    r = doudi(env, "init", "--office", "640424", "--admin", "chief", "--data-dir", str(tmp_path / "c"))
    assert r.returncode == 0 and "泾源县" in r.stdout
    r = doudi(env, "check", "--data-dir", str(tmp_path / "c"), "--user", "chief", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True


def test_check_passes_on_a_fresh_office(office, env):
    data, _ = office
    r = doudi(env, "check", "--data-dir", str(data), "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] and report["device_secret_store"] == "file"
    assert {s["kind"] for s in report["key_slots"]} == {"user", "recovery"}


def test_wrong_password(office, env):
    data, _ = office
    r = doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin="nope\n")
    assert assert_one_sentence(r) == "用户名或密码不正确。"


def test_missing_database(tmp_path, env):
    r = doudi(env, "check", "--data-dir", str(tmp_path / "nothing"), "--password-stdin", stdin=PASSWORD + "\n")
    assert "没有找到单位数据库" in assert_one_sentence(r)


def test_no_password_given(office, env):
    data, _ = office
    r = doudi(env, "check", "--data-dir", str(data))
    assert "--password-stdin" in assert_one_sentence(r)


def test_corrupt_key_slot_file(office, env):
    data, _ = office
    broken = '{"format": "doudi-keyslots", "version": 1, "slots": ['
    (data / "keyslots.json").write_text(broken)
    # The second copy still opens the office, and the person is told which file is damaged.
    r = doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0 and "keyslots.json" in r.stderr and "Traceback" not in r.stderr
    (data / "keyslots.json").write_text(broken)
    (data / "keyslots.backup.json").write_text(broken)
    r = doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 7 and "密钥槽文件" in assert_one_sentence(r)


def test_copied_to_a_machine_without_the_device_secret_then_recovered(office, env, tmp_path):
    data, out = office
    copy = tmp_path / "usb-copy"
    shutil.copytree(data, copy)
    other_pc = dict(env, DOUDI_CONFIG_DIR=str(tmp_path / "other-pc-config"))
    r = doudi(other_pc, "check", "--data-dir", str(copy), "--password-stdin", stdin=PASSWORD + "\n")
    assert "设备密钥" in assert_one_sentence(r)
    r = doudi(
        other_pc,
        "recover",
        "--data-dir",
        str(copy),
        "--user",
        "admin",
        stdin=f"{out['recovery_code']}\nnew-pass-on-pc2\n",
    )
    assert r.returncode == 0, r.stderr
    r = doudi(other_pc, "check", "--data-dir", str(copy), "--password-stdin", stdin="new-pass-on-pc2\n")
    assert r.returncode == 0, r.stderr


def test_recover_with_a_wrong_code(office, env):
    data, _ = office
    r = doudi(env, "recover", "--data-dir", str(data), stdin="WRONG-CODE\nnew-pass-xyz1\n")
    assert assert_one_sentence(r) == "恢复码不正确。"


def test_check_detects_a_changed_audit_row(office, env, monkeypatch):
    from app.services.office import open_session

    data, _ = office
    monkeypatch.setenv("DOUDI_KEYRING", "file")
    monkeypatch.setenv("DOUDI_CONFIG_DIR", env["DOUDI_CONFIG_DIR"])
    s = open_session(data, "admin", PASSWORD)
    s.db.execute("DROP TRIGGER audit_log_no_update")
    s.db.execute("UPDATE audit_log SET action = '无事发生' WHERE seq = 1")
    s.close()
    r = doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "审计记录 1" in r.stderr


def test_bad_office_code(tmp_path, env):
    r = doudi(
        env,
        "init",
        "--office",
        "12ab",
        "--admin",
        "admin",
        "--data-dir",
        str(tmp_path / "x"),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert "区划代码" in assert_one_sentence(r) or "单位代码" in r.stderr


def test_demo_creates_a_filled_office_without_gui(tmp_path, env):
    data = tmp_path / "demo"
    r = doudi(env, "demo", "--households", "40", "--no-gui", "--data-dir", str(data), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["counts"]["households"] == 40 and out["counts"]["members"] >= 40
    assert out["password"] and out["user"] == "admin"
    r = doudi(env, "check", "--data-dir", str(data), "--json", "--password-stdin", stdin=out["password"] + "\n")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"]


def test_assess_answers_in_json_and_refuses_bad_files(tmp_path, env):
    r = doudi(env, "assess", "docs/assess-example.json", "--month", "2022-03", "--json")
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    dibao = next(d for d in answer["decisions"] if d["programme"] == "低保")
    assert dibao["eligible"] and dibao["monthly_amount_fen"] > 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"urban": false, "members": [{"id_number": "640424199001011235"}]}')
    r = doudi(env, "assess", str(bad), "--month", "2022-03")
    assert "members[0]" in assert_one_sentence(r) or "m1" in r.stderr
    bad.write_text("{oops")
    r = doudi(env, "assess", str(bad), "--month", "2022-03")
    assert "第 1 行" in assert_one_sentence(r)


def test_a_failed_demo_leaves_nothing_behind(tmp_path, env):
    data = tmp_path / "demo"
    r = doudi(env, "demo", "--households", "-3", "--no-gui", "--data-dir", str(data))
    assert "不能为负" in assert_one_sentence(r)
    assert not (data / "office.db").exists() and not (data / "keyslots.json").exists()
