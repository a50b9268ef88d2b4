"""init, demo and recover as an office meets them when files are lost or damaged (issue 8, items 2, 6, 7)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env  # noqa: F401 - env is a fixture

NEW_PASSWORD = "after-the-loss-1"


@pytest.fixture
def office(tmp_path, env):  # noqa: F811
    data = tmp_path / "data"
    sheet = tmp_path / "sheet.pdf"
    r = doudi(
        env,
        "init",
        "--office",
        "640424101",
        "--admin",
        "admin",
        "--data-dir",
        str(data),
        "--sheet",
        str(sheet),
        "--json",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    return data, json.loads(r.stdout), sheet


def check(env, data, password=PASSWORD):  # noqa: F811
    return doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin=password + "\n")


def test_lost_key_slot_files_are_rebuilt_from_the_sheet_and_the_code(office, env, tmp_path):  # noqa: F811
    data, out, sheet = office
    assert sheet.read_bytes().startswith(b"%PDF")
    assert len(out["recovery_slot"]) >= 5 and len(out["chain_head"]) == 64
    (data / "keyslots.json").unlink()
    (data / "keyslots.backup.json").unlink()
    said = assert_one_sentence(check(env, data))  # check explains both ways out before asking anything
    assert "没有密钥槽文件" in said and "recover --sheet" in said
    typed = tmp_path / "typed.txt"
    typed.write_text("\n".join(out["recovery_slot"]) + "\n")
    r = doudi(
        env,
        "recover",
        "--data-dir",
        str(data),
        "--sheet",
        str(typed),
        stdin=f"{out['recovery_code']}\n{NEW_PASSWORD}\n",
    )
    assert r.returncode == 0, r.stderr
    assert "重建" in r.stdout
    assert (data / "keyslots.json").exists() and (data / "keyslots.backup.json").exists()
    r = check(env, data, NEW_PASSWORD)
    assert r.returncode == 0, r.stdout + r.stderr
    # The sheet keeps working after the rebuild: the recovery slot is the one printed.
    r = doudi(env, "recover", "--data-dir", str(data), stdin=f"{out['recovery_code']}\n{NEW_PASSWORD}-2\n")
    assert r.returncode == 0, r.stderr


def test_recover_reads_the_sheet_from_stdin_on_another_pc(office, env, tmp_path):  # noqa: F811
    data, out, _ = office
    (data / "keyslots.json").unlink()
    (data / "keyslots.backup.json").unlink()
    other_pc = dict(env, DOUDI_CONFIG_DIR=str(tmp_path / "other-pc"))
    stdin = "\n".join(out["recovery_slot"]) + f"\n\n{out['recovery_code']}\n{NEW_PASSWORD}\n"
    r = doudi(other_pc, "recover", "--data-dir", str(data), "--sheet", "-", stdin=stdin)
    assert r.returncode == 0, r.stderr
    assert check(other_pc, data, NEW_PASSWORD).returncode == 0


def test_a_mistyped_sheet_line_is_named_not_a_wrong_code(office, env, tmp_path):  # noqa: F811
    data, out, _ = office
    lines = list(out["recovery_slot"])
    number, first, *rest = lines[1].split()
    lines[1] = " ".join([number, ("Z" if first[0] != "Z" else "Y") + first[1:], *rest])
    typed = tmp_path / "typed.txt"
    typed.write_text("\n".join(lines))
    r = doudi(
        env, "recover", "--data-dir", str(data), "--sheet", str(typed), stdin=f"{out['recovery_code']}\nx-pass-12345\n"
    )
    assert r.returncode == 2
    assert "第 2 行" in assert_one_sentence(r)


def test_a_damaged_first_copy_is_survived_and_said(office, env):  # noqa: F811
    data, _, _ = office
    (data / "keyslots.json").write_text('{"format": "doudi-keyslots", "version": 1, "slots": [')
    r = check(env, data)
    assert r.returncode == 0, r.stderr
    assert "keyslots.backup.json" in r.stderr


def _garble_both(data, change):
    for name in ("keyslots.json", "keyslots.backup.json"):
        path = data / name
        content = json.loads(path.read_text())
        change(content["slots"][0])
        path.write_text(json.dumps(content))


@pytest.mark.parametrize("field", ["salt", "nonce", "wrapped"])
def test_a_garbled_key_slot_field_is_exit_7_not_a_wrong_password(office, env, field):  # noqa: F811
    data, _, _ = office
    _garble_both(data, lambda slot: slot.update({field: slot[field][:-4] + "!!!!"}))
    r = check(env, data)
    assert r.returncode == 7
    line = assert_one_sentence(r)
    assert "密钥槽" in line and "密码不正确" not in line


def test_a_garbled_device_secret_is_exit_6_not_a_wrong_password(office, env, tmp_path):  # noqa: F811
    data, out, _ = office
    (secret,) = (tmp_path / "config" / "device-secrets").glob("*.key")
    secret.write_text("garbage%%")
    r = check(env, data)
    assert r.returncode == 6
    line = assert_one_sentence(r)
    assert "设备密钥已损坏" in line and "doudi recover" in line
    r = doudi(env, "recover", "--data-dir", str(data), stdin=f"{out['recovery_code']}\n{NEW_PASSWORD}\n")
    assert r.returncode == 0, r.stderr
    assert check(env, data, NEW_PASSWORD).returncode == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_office_files_are_owner_only(office, env):  # noqa: F811
    data, _, _ = office
    assert check(env, data, "a wrong password").returncode == 5  # writes the back-off state
    assert data.stat().st_mode & 0o777 == 0o700
    for path in data.iterdir():
        if path.is_file():
            assert path.stat().st_mode & 0o777 == 0o600, path.name


def test_demo_households_have_an_upper_bound(env, tmp_path):  # noqa: F811
    r = doudi(env, "demo", "--households", "100001", "--no-gui", "--data-dir", str(tmp_path / "demo"))
    assert r.returncode == 2
    assert "最多" in assert_one_sentence(r)
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(("month", "words"), [("2025-13", "YYYY-MM"), ("2999-01", "还没有到")])
def test_the_demo_end_month_is_a_past_month(env, tmp_path, month, words):  # noqa: F811
    r = doudi(env, "demo", "--households", "3", "--end-month", month, "--no-gui", "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2
    assert words in assert_one_sentence(r)
    assert not (tmp_path / "d").exists()


def test_the_demo_history_ends_in_the_month_asked_for(env, tmp_path):  # noqa: F811
    data = str(tmp_path / "d")
    r = doudi(env, "demo", "--households", "20", "--end-month", "2025-03", "--no-gui", "--data-dir", data, "--json")
    assert r.returncode == 0, r.stderr
    password = json.loads(r.stdout)["password"]
    r = doudi(env, "check", "--data-dir", data, "--json", "--password-stdin", stdin=password + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"]
    from app.services.office import open_session

    session = open_session(data, "admin", password)
    try:
        assert "2025-03-01" <= session.db.scalar("SELECT max(visit_date) FROM visits") < "2025-04-01"
    finally:
        session.close()


def test_a_killed_demo_leaves_no_office_and_a_retry_works(env, tmp_path):  # noqa: F811
    data = tmp_path / "demo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "demo", "--households", "3000", "--no-gui", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not list(tmp_path.glob(".demo.partial-*/keyslots.json")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # into the loading of households
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the demo finished before it could be killed"
    assert not (data / "office.db").exists()  # no office whose recovery code was never shown
    r = doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin="doudi-demo-2021\n")
    assert r.returncode == 1 and "半成品" in r.stderr  # the cut-short build beside it is explained
    r = doudi(env, "demo", "--households", "20", "--no-gui", "--json", "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"]["households"] == 20
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".demo")] == []  # the leftover is gone
