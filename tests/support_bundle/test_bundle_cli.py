"""``doudi support bundle`` from the command line: no sign-in needed; the check only with a password."""

from __future__ import annotations

import json
import zipfile

from tests.cli.test_cli import PASSWORD, doudi, env, office  # noqa: F401 - fixtures


def _check_json(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("check.json"))


def test_the_command_makes_a_bundle_with_or_without_the_password(env, office, tmp_path):  # noqa: F811
    data, _out = office
    r = doudi(env, "support", "bundle", "--out", str(tmp_path / "a.zip"), "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert "未运行检查" in r.stderr and "a.zip" in r.stdout
    assert _check_json(tmp_path / "a.zip")["run"] is False

    r = doudi(
        env, "support", "bundle", "--out", str(tmp_path / "b.zip"), "--data-dir", str(data), "--json",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["check_run"] is True
    assert _check_json(tmp_path / "b.zip")["ok"] is True
