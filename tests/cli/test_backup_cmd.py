"""``doudi backup`` / ``doudi restore`` as a person or a script runs them."""

import json

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env, office  # noqa: F401 - fixtures


def _backup(env, data, dest):  # noqa: F811
    r = doudi(
        env, "backup", "--to", str(dest), "--data-dir", str(data), "--json", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_backup_then_restore_onto_a_new_folder(office, env, tmp_path):  # noqa: F811
    data, _out = office
    made = _backup(env, data, tmp_path / "usb")
    manifest = json.loads((tmp_path / "usb" / made["path"].rsplit("/", 1)[1] / "manifest.json").read_text())
    assert manifest["office_code"] == "640424101000"
    assert manifest["audit_chain_head"] == made["audit_chain_head"]
    r = doudi(
        env, "restore", made["path"], "--to", str(tmp_path / "new"), "--json", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["aside"] is None
    r = doudi(env, "check", "--data-dir", str(tmp_path / "new"), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stdout + r.stderr


def test_restore_over_an_office_keeps_it_aside(office, env, tmp_path):  # noqa: F811
    data, _out = office
    made = _backup(env, data, tmp_path / "usb")
    r = doudi(
        env, "restore", made["path"], "--data-dir", str(data), "--json", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert r.returncode == 0, r.stderr
    aside = json.loads(r.stdout)["aside"]
    assert aside and "before-restore" in aside
    assert (tmp_path / aside).exists() or __import__("pathlib").Path(aside, "office.db").exists()


def test_a_tampered_backup_is_refused_with_one_sentence(office, env, tmp_path):  # noqa: F811
    data, _out = office
    made = _backup(env, data, tmp_path / "usb")
    db = __import__("pathlib").Path(made["path"]) / "office.db"
    raw = bytearray(db.read_bytes())
    raw[4096 + 17] ^= 0x40
    db.write_bytes(bytes(raw))
    before = sorted(p.name for p in data.iterdir())
    r = doudi(env, "restore", made["path"], "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    sentence = assert_one_sentence(r)
    assert r.returncode == 8
    assert "与清单不符" in sentence
    assert sorted(p.name for p in data.iterdir()) == before
    assert not list(data.parent.glob("*before-restore*"))


def test_restore_on_a_pc_without_the_device_secret_asks_the_recovery_code(office, env, tmp_path):  # noqa: F811
    data, out = office
    made = _backup(env, data, tmp_path / "usb")
    env["DOUDI_CONFIG_DIR"] = str(tmp_path / "other-pc")  # the file keyring lives there: no device secret
    r = doudi(env, "restore", made["path"], "--to", str(tmp_path / "new"), "--json", stdin=out["recovery_code"] + "\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["needs_recover"] is True
    r = doudi(env, "restore", made["path"], "--to", str(tmp_path / "new2"), stdin="AAAA-BBBB\n")
    assert_one_sentence(r)
    assert r.returncode == 5
