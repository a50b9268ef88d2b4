"""``doudi simulate`` as a script runs it: a demo moves on, a real office is refused with one sentence."""

import json

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env, office  # noqa: F401 - fixtures


def _simulate(env, data, *extra):  # noqa: F811
    return doudi(env, "simulate", "--data-dir", str(data), "--password-stdin", *extra, stdin=PASSWORD + "\n")


def test_simulate_plays_this_month_on_a_demo_and_check_stays_clean(env, tmp_path):  # noqa: F811
    data = tmp_path / "demo"
    r = doudi(
        env,
        "demo",
        "--households",
        "30",
        "--no-gui",
        "--data-dir",
        str(data),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    r = _simulate(env, data, "--months", "1", "--json")
    assert r.returncode == 0, r.stderr
    counts = json.loads(r.stdout)
    assert len(counts["months"]) == 1 and counts["months_closed"] == 1
    assert "正在模拟" in r.stderr  # progress goes to standard error, the counts alone to standard output
    r = doudi(env, "check", "--data-dir", str(data), "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stdout + r.stderr
    # This month is closed now and the next one has not begun: nothing to play, one sentence, exit 2.
    r = _simulate(env, data, "--months", "1")
    assert r.returncode == 2
    assert "没有可以模拟的月份" in assert_one_sentence(r)


def test_simulate_refuses_a_real_office(office, env):  # noqa: F811
    data, _out = office
    r = _simulate(env, data, "--months", "2")
    assert r.returncode == 2
    assert "不是演示单位" in assert_one_sentence(r)
