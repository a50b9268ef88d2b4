"""The built program (dist/doudi) works on its own, as an office PC without Python runs it: the
command line and the window, with its policy book, divisions, fonts and translations found inside
the bundle, started from a folder that is not the checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from .conftest import BUNDLE, ROOT, run

DEMO_PASSWORD = "doudi-demo-2021"


def _last_month() -> str:
    today = date.today()
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


@pytest.fixture(scope="module")
def demo_office(frozen, clean_env, tmp_path_factory) -> Path:
    """A demo office made by the frozen program (divisions, policy, pinyin, argon2, SQLCipher inside)."""
    where = tmp_path_factory.mktemp("demo") / "office"
    r = run([frozen, "--data-dir", where, "demo", "--no-gui", "--households", "60"], clean_env, where.parent)
    assert r.returncode == 0, r.stderr
    assert "已创建演示单位" in r.stdout
    return where


def test_version_names_the_release_and_its_build_date(frozen, clean_env, tmp_path):
    r = run([frozen, "--version", "--json"], clean_env, tmp_path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert info["version"] == version
    assert info["build_date"] == date.fromisoformat(info["build_date"]).isoformat()  # a date, not "源码运行"
    assert info["schema_version"] >= 1


def test_check_passes_on_the_demo_office(frozen, clean_env, demo_office):
    env = {**clean_env, "DOUDI_PASSWORD": DEMO_PASSWORD}
    r = run([frozen, "--data-dir", demo_office, "check", "--json"], env, demo_office.parent)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True


def test_assess_decides_the_documented_example_as_the_source_does(frozen, clean_env, tmp_path):
    example = tmp_path / "household.json"
    shutil.copy(ROOT / "docs" / "assess-example.json", example)
    args = ["assess", example, "--month", "2022-03", "--json"]
    r = run([frozen, *args], clean_env, tmp_path)
    assert r.returncode == 0, r.stderr
    source = subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    # The policy book inside the bundle is the one in the checkout: same standards, same decisions.
    assert json.loads(r.stdout) == json.loads(source.stdout)


def test_report_writes_a_payment_roster_in_chinese(frozen, clean_env, demo_office, tmp_path):
    out = tmp_path / "花名册.pdf"
    env = {**clean_env, "DOUDI_PASSWORD": DEMO_PASSWORD}
    month = _last_month()
    r = run(
        [
            frozen,
            "--data-dir",
            demo_office,
            "--user",
            "clerk",
            "report",
            "payment-roster",
            "--month",
            month,
            "--out",
            out,
        ],
        env,
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    import pypdfium2

    pdf = pypdfium2.PdfDocument(out)
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    # The bundled CJK font was found and embedded: the title reads as Chinese, not as empty boxes.
    assert "资金发放花名册" in text


def test_compare_reads_a_department_workbook(frozen, clean_env, demo_office, tmp_path):
    """Excel written (openpyxl) and read back (calamine) by the frozen program, matched with pinyin."""
    env = {**clean_env, "DOUDI_PASSWORD": DEMO_PASSWORD}
    r = run([frozen, "--data-dir", demo_office, "demo-lists", "--out", tmp_path], env, tmp_path)
    assert r.returncode == 0, r.stderr
    (deaths,) = tmp_path.glob("*公安局*死亡*.xlsx")
    r = run([frozen, "--data-dir", demo_office, "--json", "compare", deaths, "--source", "公安"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    codes = {f["code"] for row in json.loads(r.stdout)["rows"] for f in row["findings"]}
    assert "deceased_still_enrolled" in codes


def test_gui_opens_its_sign_in_window_in_chinese(frozen, clean_env, demo_office, tmp_path):
    shot = tmp_path / "sign-in.png"
    env = {**clean_env, "DOUDI_SCREENSHOT": str(shot)}
    r = run([frozen, "--data-dir", demo_office], env, tmp_path, timeout=60)
    assert r.returncode == 0, r.stderr
    meta = json.loads(Path(f"{shot}.json").read_text(encoding="utf-8"))
    assert meta["saved"] is True
    assert meta["title"] == "兜底 — 登录"  # the .qm translation inside the bundle was loaded
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 300 and image.height() >= 120
    # Something is drawn: more than a blank window's one or two colours.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 10
    shutil.copy(shot, BUNDLE.parent / "sign-in.png")  # for a person to look at after a build


def test_bundle_leaves_out_unused_qt_and_keeps_what_the_program_needs(frozen):
    qt = BUNDLE / "_internal" / "PySide6" / "Qt"
    plugins = {p.parent.name + "/" + p.name for p in (qt / "plugins").glob("*/*")}
    assert not any(name.startswith(("wayland", "egldeviceintegrations", "platformthemes", "tls")) for name in plugins)
    assert not list(BUNDLE.rglob("*Qt6Network*")) and not list(BUNDLE.rglob("*Qt6Svg*"))
    if sys.platform.startswith("linux"):
        for needed in (
            "platforms/libqxcb.so",
            "printsupport/libcupsprintersupport.so",
            "platforminputcontexts/libibusplatforminputcontextplugin.so",
        ):
            assert needed in plugins
        assert [p.name for p in (qt / "translations").iterdir()] == ["qtbase_zh_CN.qm"]
