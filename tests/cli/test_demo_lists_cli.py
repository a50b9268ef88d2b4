"""``doudi demo-lists`` as a newcomer runs it: lists that ``doudi compare`` agrees with; a real office refused."""

import json

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env, office  # noqa: F401 - fixtures


def _run(env, data, *extra):  # noqa: F811
    return doudi(env, *extra, "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")


def test_demo_lists_compare_as_the_command_said(env, tmp_path):  # noqa: F811
    data, out = tmp_path / "demo", tmp_path / "lists"
    r = _run(env, data, "demo", "--households", "60", "--no-gui")
    assert r.returncode == 0, r.stderr
    # As the administrator (the default user): the demo's clerk writes the whole ID numbers.
    r = _run(env, data, "demo-lists", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    lists = json.loads(r.stdout)["lists"]
    assert len(lists) == 9 and all((out / item["file"].rsplit("/", 1)[-1]).is_file() for item in lists)
    for item in lists:
        r = _run(env, data, "compare", item["file"], "--source", item["source"], "--json")
        assert r.returncode == 0, r.stderr
        found = {row["row"]: sorted(f["code"] for f in row["findings"]) for row in json.loads(r.stdout)["rows"]}
        assert found == {e["row"]: sorted(e["findings"]) for e in item["expect"]}, item["source"]
    # The plain text names every file and what to expect in it.
    r = _run(env, data, "demo-lists", "--out", str(tmp_path / "again"))
    assert r.returncode == 0, r.stderr
    assert "死亡注销人员名单" in r.stdout and "deceased_still_enrolled" in r.stdout


def test_demo_lists_refuses_a_real_office(office, env, tmp_path):  # noqa: F811
    data, _out = office
    r = _run(env, data, "demo-lists", "--out", str(tmp_path / "lists"))
    assert r.returncode == 2
    assert "不是演示单位" in assert_one_sentence(r)
    assert not (tmp_path / "lists").exists()
