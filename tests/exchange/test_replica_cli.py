"""``doudi init --join`` and ``doudi trust``, as the two clerks of one township type them."""

import json

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env  # noqa: F401 - env is a fixture


def _run(env, data, *args, user="admin"):  # noqa: F811
    return doudi(
        env, *args, "--data-dir", str(data), "--user", user, "--json", "--password-stdin", stdin=PASSWORD + "\n"
    )


def test_a_second_pc_joins_by_card_and_fingerprint_and_gets_the_register(tmp_path, env):  # noqa: F811
    first, second = tmp_path / "pc1", tmp_path / "pc2"
    made = _run(env, first, "demo", "--office", "640424100", "--households", "6", "--no-gui")
    assert made.returncode == 0, made.stderr
    card1 = tmp_path / "pc1.card.json"
    fp1 = json.loads(_run(env, first, "trust", "card", "--out", str(card1)).stdout)["fingerprint"]

    wrong = "0000-0000-0000-0000-0000-0000"
    said = assert_one_sentence(_run(env, second, "init", "--join", str(card1), "--fingerprint", wrong, "--admin", "b"))
    assert "指纹" in said and not second.exists()

    r = _run(env, second, "init", "--join", str(card1), "--fingerprint", fp1.lower(), "--admin", "clerk2")
    assert r.returncode == 0, r.stderr
    joined = json.loads(r.stdout)
    assert joined["office_code"] == "640424100000" and joined["node"] == f"640424100000-{joined['replica']}"
    assert joined["fingerprint"] != fp1 and joined["first_pc_fingerprint"] == fp1

    card2 = tmp_path / "pc2.card.json"
    _run(env, second, "trust", "card", "--out", str(card2), user="clerk2")
    added = json.loads(_run(env, first, "trust", "add", str(card2), "--fingerprint", joined["fingerprint"]).stdout)
    assert added["added"] and added["sibling"]

    out = tmp_path / "usb"
    out.mkdir()
    [package] = json.loads(_run(env, first, "package", "export", "--to", str(out)).stdout)["packages"]
    assert package["fingerprint"] == joined["fingerprint"]
    r = _run(env, second, "package", "import", package["path"], user="clerk2")
    assert r.returncode == 0, r.stderr
    digests = [
        json.loads(_run(env, d, "check", user=u).stdout)["digests"] for d, u in ((first, "admin"), (second, "clerk2"))
    ]
    assert digests[0]["640424100000"] and digests[0] == digests[1]
    # The second PC stolen: the first PC revokes that card alone, named by its fingerprint.
    r = _run(env, first, "trust", "revoke", "640424100", "--fingerprint", joined["fingerprint"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["revoked"]["fingerprint"] == joined["fingerprint"]
