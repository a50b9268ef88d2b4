"""`doudi assess` on a bad household file: the one-sentence error names the person, not a list position."""

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_sentence, doudi, env  # noqa: F401  (env is a fixture)

EXAMPLE = Path("docs/assess-example.json")


def _household(tmp_path, mutate):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    mutate(data["members"])
    path = tmp_path / "household.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data["members"], path


def test_a_wrong_check_digit_names_the_member_by_ref_and_name(tmp_path, env):  # noqa: F811
    members, path = _household(tmp_path, lambda ms: ms[1].update(name="马小燕", id_number="642225197708020421"))
    r = doudi(env, "assess", str(path), "--month", "2022-03")
    line = assert_one_sentence(r)
    assert f"{members[1]['ref']} 马小燕 的身份证号" in line and "校验位不符" in line, line


@pytest.mark.parametrize("digit", ["²", "٢"])
def test_a_superscript_or_arabic_digit_is_refused_in_one_sentence_naming_it(tmp_path, env, digit):  # noqa: F811
    def mutate(ms):
        ms[1]["name"] = "马小燕"
        ms[1]["id_number"] = ms[1]["id_number"][:5] + digit + ms[1]["id_number"][6:]

    members, path = _household(tmp_path, mutate)
    r = doudi(env, "assess", str(path), "--month", "2022-03")
    assert r.returncode != 70, r.stderr
    line = assert_one_sentence(r)
    assert f"{members[1]['ref']} 马小燕 的身份证号" in line
    assert f"第 6 个字符“{digit}”" in line and "校验位" not in line, line
