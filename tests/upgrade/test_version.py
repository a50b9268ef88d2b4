"""``doudi --version``: the version, the schema version and the build date, what support asks first."""

from __future__ import annotations

import json

import pytest

from app import build_info as build_info_module
from app.build_info import SOURCE_BUILD, build_info
from app.db.schema import latest_version
from tests.cli.test_cli import doudi, env  # noqa: F401 - fixtures


@pytest.fixture
def fresh_info():
    build_info.cache_clear()
    yield
    build_info.cache_clear()


def test_a_source_run_says_so_and_takes_the_package_version(fresh_info, monkeypatch, tmp_path):
    monkeypatch.setattr("app.resource_files.resource", tmp_path.joinpath)
    info = build_info()
    assert info["build_date"] == SOURCE_BUILD
    assert info["version"] == build_info_module._package_version()


def test_a_frozen_build_reads_the_file_its_spec_wrote(fresh_info, monkeypatch, tmp_path):
    (tmp_path / "build_info.json").write_text(
        json.dumps({"version": "1.2.0", "build_date": "2026-11-30", "commit": "abc1234"}), encoding="utf-8"
    )
    monkeypatch.setattr("app.resource_files.resource", tmp_path.joinpath)
    assert build_info() == {"version": "1.2.0", "build_date": "2026-11-30", "commit": "abc1234"}


def test_a_damaged_build_file_falls_back_to_the_package(fresh_info, monkeypatch, tmp_path):
    (tmp_path / "build_info.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr("app.resource_files.resource", tmp_path.joinpath)
    assert build_info()["build_date"] == SOURCE_BUILD


def test_version_prints_one_line_each_or_json(env, tmp_path):  # noqa: F811
    r = doudi(env, "--version")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("兜底 Doudi ") and lines[1] == f"数据库版本 {latest_version()}"
    assert lines[2].startswith("构建日期 ")
    r = doudi(env, "--version", "--json")
    shown = json.loads(r.stdout)
    assert shown["schema_version"] == latest_version() and shown["version"] and shown["build_date"]
    assert not (tmp_path / "config").exists()  # no office, no keyring, no data folder touched
