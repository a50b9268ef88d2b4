"""``doudi report``: the file it writes by default, and refusals as one sentence that echoes no ID number."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest

from app import cli
from tests.conftest import ADMIN_PASSWORD
from tests.factories import household, member


@pytest.fixture
def run(office, monkeypatch, capsys, tmp_path):
    _admin, _code, data_dir = office
    monkeypatch.setenv("DOUDI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)

    def go(*argv):
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = cli.main([*argv, "--data-dir", str(data_dir), "--user", "admin"])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_a_survey_asked_for_by_id_number_is_saved_under_the_households_id(office, run, tmp_path):
    session = office[0]
    head = member("马玉兰", date(1970, 3, 1), male=False)
    saved = session.households.add(household(head_name="马玉兰"), [head])
    code, _out, err = run("report", "survey", "--month", "2026-11", "--household", head.id_number)
    assert code == 0, err
    written = [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"]
    assert written == [f"survey-2026-11-{saved.id[:8]}.pdf"]
    assert head.id_number[:6] not in written[0]


def test_an_unknown_id_number_is_refused_without_echoing_it(run, tmp_path):
    typed = "640424198001011239"
    code, out, err = run("report", "survey", "--month", "2026-11", "--household", typed)
    assert code == 2 and out == ""
    assert err.strip() == "登记中没有这个身份证号的成员。"
    assert not list(tmp_path.glob("*.pdf"))


def test_a_programme_the_report_ignores_is_refused(run):
    code, _out, err = run("report", "monthly-stats", "--month", "2026-11", "--programme", "低保")
    assert (code, err.strip()) == (2, "民政统计月报不按救助项目出具。")


def test_a_hostile_override_is_one_sentence_and_exit_2(office, run):
    folder = office[2] / "reports"
    folder.mkdir()
    (folder / "monthly-stats.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _out, err = run("report", "monthly-stats", "--month", "2026-11")
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "monthly-stats.json" in err
    (folder / "monthly-stats.json").write_text(json.dumps({"font_scale": 2.0}), encoding="utf-8")
    code, _out, err = run("report", "monthly-stats", "--month", "2026-11", "--out", "统计.pdf")
    assert code == 0, err
