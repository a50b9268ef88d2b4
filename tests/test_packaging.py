"""The wheel is the program: built, installed into a fresh environment outside the checkout, and run
from another folder, it finds its own fonts, divisions, policy book and translations.

The new environment borrows the third-party packages (PySide6, sqlcipher3, …) of the running one
through a ``.pth`` line, because installing them again would take minutes; ``app`` itself comes
only from the wheel, and the test checks that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from app.tools import translations

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "assess-example.json"

RUNTIME_FILES = (
    "app/resources/__init__.py",
    "app/resources/divisions/640424.csv",
    "app/resources/fonts/wqy-microhei.ttc",
    "app/resources/fonts/wqy-microhei.LICENSE-Apache-2.0.txt",
    "app/resources/policy/ningxia.json",
    "app/resources/i18n/doudi_zh_CN.qm",
    "app/resources/guide/guide.md",
)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built the way a release is: from the sources, with the translations compiled first."""
    translations.build(quiet=True)
    tmp = tmp_path_factory.mktemp("wheel")
    # A copy of what the build reads, so that a stale build/ folder in the checkout can neither
    # leak old modules into this wheel nor be left behind by it.
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "app", src / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".lock", "*.work.ts")
    )
    out = tmp / "dist"
    r = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, src],
        cwd=tmp,
        env=os.environ.copy(),
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    (built,) = out.glob("doudi-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """(bin folder of a fresh venv holding the wheel, a working folder outside the checkout, env)."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    r = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=os.environ.copy())
    assert r.returncode == 0, r.stderr
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp, env=os.environ.copy()
        ).stdout.strip()
    )
    # Only the dependencies are borrowed: a folder named in a .pth is appended to sys.path, after the
    # venv's own site-packages, and the .pth files inside it (the checkout's editable finder) are not run.
    (purelib / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    r = _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
        cwd=tmp,
        env=os.environ.copy(),
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr

    work = tmp / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DOUDI_", "VIRTUAL_ENV"))}
    env.update(
        {
            "HOME": str(tmp / "home"),
            "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    return venv / "bin", work, env


def test_the_wheel_carries_the_runtime_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in RUNTIME_FILES if name not in names]
    assert missing == [], f"not in {wheel.name}: {missing}"
    assert not any(n.startswith(("resources/", "tests/", "bench/")) for n in names)
    assert not any(n.endswith((".work.ts", "/.lock")) for n in names)  # translators' leftovers stay out


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    bindir, work, env = installed
    script = (
        "import app, app.resource_files as r; print(app.__file__); print(r.resource_path('fonts', 'wqy-microhei.ttc'))"
    )
    r = _run([bindir / "python", "-c", script], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    package, font = (Path(line) for line in r.stdout.split())
    venv = bindir.parent
    assert package.is_relative_to(venv) and not package.is_relative_to(ROOT)
    assert font.is_relative_to(venv) and font.is_file()


def test_doudi_help_from_another_folder(installed):
    bindir, work, env = installed
    r = _run([bindir / "doudi", "--help"], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    assert "usage: doudi" in r.stdout
    for command in ("init", "demo", "check", "recover", "assess"):
        assert command in r.stdout


def test_doudi_assess_on_the_documented_example(installed):
    bindir, work, env = installed
    shutil.copy2(EXAMPLE, work / "household.json")
    r = _run([bindir / "doudi", "assess", "household.json", "--month", "2022-03", "--json"], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["month"] == "2022-03"
    dibao = next(d for d in answer["decisions"] if d["programme"] == "低保")
    assert dibao["eligible"] and dibao["monthly_amount_fen"] > 0


def test_the_installed_program_speaks_chinese(installed):
    """The compiled translation is found inside the installed package (the GUI's default language)."""
    bindir, work, env = installed
    script = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from app.ui.i18n import install_translators\n"
        "app = QCoreApplication([])\n"
        "print(install_translators(app, 'zh_CN'))\n"
        "print(QCoreApplication.translate('CrashDialog', 'Open the log folder'))\n"
    )
    r = _run([bindir / "python", "-c", script], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["zh_CN", "打开日志文件夹"]
    assert "missing" not in r.stderr


def test_the_frozen_entry_script_runs_outside_the_package(installed):
    """installer/doudi_entry.py is what PyInstaller runs as __main__: it must not need a package."""
    bindir, work, env = installed
    entry = work / "doudi_entry.py"
    shutil.copy2(ROOT / "installer" / "doudi_entry.py", entry)
    r = _run([bindir / "python", entry, "--help"], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    assert "usage: doudi" in r.stdout
