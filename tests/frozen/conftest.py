"""The frozen program, built once per test session the way `make dist` builds it, and a clean place
to run it: outside the checkout, with an empty HOME, no Python environment and the file key store.

The build (about a minute on two cores) is skipped when dist/doudi is newer than every source it
is made from, so a second run of these tests only runs the program.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BUNDLE = DIST / "doudi"
PROGRAM = BUNDLE / ("doudi.exe" if os.name == "nt" else "doudi")
# Written afresh by every build (installer/doudi.spec), so its time is the build's.
BUILD_MARK = BUNDLE / "_internal" / "app" / "resources" / "build_info.json"
BUILD_INPUTS = ("app", "installer", "pyproject.toml", "tools/build_dist.sh")


def newest_source() -> float:
    newest = 0.0
    for name in BUILD_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for f in files:
            # The .qm are rebuilt from the .ts by every build; a cache says nothing about the sources.
            if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".qm", ".pyc", ".lock"):
                newest = max(newest, f.stat().st_mtime)
    return newest


def run(
    args: list[str | Path], env: dict[str, str], cwd: Path, timeout: int = 180, **kw
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, **kw
    )


@pytest.fixture(scope="session")
def frozen() -> Path:
    """dist/doudi/doudi, built by tools/build_dist.sh when missing or older than the sources."""
    pytest.importorskip("PyInstaller", reason="the dist extra is not installed (pip install -e '.[dist]')")
    if not BUILD_MARK.exists() or BUILD_MARK.stat().st_mtime < newest_source():
        r = subprocess.run(
            ["bash", str(ROOT / "tools" / "build_dist.sh")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert r.returncode == 0, f"make dist failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    assert PROGRAM.is_file()
    return PROGRAM


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory) -> dict[str, str]:
    """What an office PC's user has: a home folder and a PATH; no venv, no PYTHONPATH, no checkout."""
    base = tmp_path_factory.mktemp("clean")
    home = base / "home"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DOUDI_KEYRING": "file",
        "DOUDI_CONFIG_DIR": str(base / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
