"""``doudi compare FILE --source KIND``: the JSON shape scripts rely on, the workbook, and the exit codes."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import openpyxl
import pytest

from app import cli
from app.domain import idnumber
from tests.conftest import ADMIN_PASSWORD
from tests.services.test_comparison import police_list, register  # noqa: F401
from tests.services.test_month_cycle import IN_NEXT, NEXT


class _InNext(date):
    """The command is run once NEXT has begun (its 低保 payment is what the list is checked against)."""

    @classmethod
    def today(cls):
        return IN_NEXT


@pytest.fixture
def run(office, monkeypatch, capsys, tmp_path):
    _admin, _code, data_dir = office
    monkeypatch.setenv("DOUDI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def go(*argv):
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = cli.main([*argv, "--data-dir", str(data_dir), "--user", "admin"])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_json_shape_and_the_workbook(run, register, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr("app.services.comparison.date", _InNext)
    h, _other, people = register
    path, _ = police_list(tmp_path, people)
    out_file = tmp_path / "结果.xlsx"
    code, out, err = run("compare", str(path), "--source", "公安", "--month", NEXT, "--out", str(out_file), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"source", "file", "rows_read", "rows", "summary"}
    assert (data["source"], data["file"], data["rows_read"]) == ("公安", path.name, 5)
    first = data["rows"][0]
    assert set(first) == {"row", "sheet_row", "id_number", "match", "findings", "household"}
    whole = people["马学军"].id_number
    # The administrator may not see whole ID numbers: not on the screen, not in --json or --out either.
    assert first["household"] == h.id and first["id_number"] == idnumber.mask(whole)
    assert first["findings"][0]["code"] == "deceased_still_enrolled" and first["findings"][0]["text"]
    assert data["rows"][1]["id_number"] is None and data["rows"][1]["match"] == "possible_match"
    assert data["summary"]["possible_match"] == 1 and data["summary"]["deceased_still_enrolled"] == 1
    ws = openpyxl.load_workbook(out_file).active
    ids = [row[2].value for row in ws.iter_rows(min_row=3) if row[2].value]
    assert idnumber.mask(whole) in ids and whole not in ids and all(isinstance(v, str) for v in ids)
    highlighted = next(row for row in ws.iter_rows(min_row=3) if row[2].value == idnumber.mask(whole))
    assert highlighted[0].fill.fgColor.rgb.endswith("FFF2CC")


def test_an_unknown_source_is_exit_2_listing_the_kinds(run, tmp_path):
    code, out, err = run("compare", str(tmp_path / "x.xlsx"), "--source", "税务")
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "可选：" in lines[0] and "公安" in lines[0] and "不动产" in lines[0]


def test_a_file_that_is_not_a_spreadsheet_is_one_sentence(run, tmp_path):
    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _out, err = run("compare", str(bad), "--source", "公安")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_month_not_yet_begun_is_exit_2(run, tmp_path):
    code, out, err = run("compare", str(tmp_path / "x.xlsx"), "--source", "公安", "--month", "2999-01")
    assert code == 2 and out == "" and "2999-01 尚未开始" in err
