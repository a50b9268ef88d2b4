"""The .deb for Debian, UOS and Kylin (`make deb`): what dpkg sees in it, and the program it unpacks
running from its /opt/doudi without the checkout."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .conftest import DIST, ROOT, run

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not on this machine")


@pytest.fixture(scope="module")
def deb(frozen):
    r = subprocess.run(
        ["bash", str(ROOT / "tools" / "build_deb.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    (path,) = DIST.glob("doudi_*_amd64.deb")
    return path


def _info(deb) -> dict[str, str]:
    out = subprocess.run(["dpkg-deb", "--field", deb], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    key = ""
    for line in out.splitlines():
        if line.startswith(" "):
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def test_control_names_the_package_and_the_qt_xcb_libraries_it_needs(deb):
    fields = _info(deb)
    assert fields["Package"] == "doudi" and fields["Architecture"] == "amd64"
    depends = {d.strip().split(" ")[0] for d in fields["Depends"].split(",")}
    # Qt's xcb platform plugin loads these from the system (README's list); the bundle has no copies.
    for package in (
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libfontconfig1",
        "libegl1",
        "libc6",
    ):
        assert package in depends
    # What the bundle carries itself is no dependency.
    assert not depends & {"libssl3", "libsqlite3-0", "libpython3.11"}
    assert int(fields["Installed-Size"]) > 50_000


def test_contents_put_the_program_in_opt_with_a_link_and_a_desktop_entry(deb, tmp_path):
    listing = subprocess.run(["dpkg-deb", "--contents", deb], capture_output=True, text=True, check=True).stdout
    assert "./usr/bin/doudi -> /opt/doudi/doudi" in listing
    assert "./opt/doudi/doudi\n" in listing
    assert "./usr/share/icons/hicolor/256x256/apps/doudi.png" in listing
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    entry = (root / "usr/share/applications/doudi.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=兜底\n" in entry and "Exec=/usr/bin/doudi\n" in entry and "Icon=doudi\n" in entry


def test_unpacked_program_runs_from_its_root(deb, clean_env, tmp_path):
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    program = root / "opt" / "doudi" / "doudi"
    before = sorted(root.rglob("*"))
    r = run([program, "--version", "--json"], clean_env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["build_date"] != "源码运行"
    office = tmp_path / "office"
    r = run([program, "--data-dir", office, "demo", "--no-gui", "--households", "20"], clean_env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert (office / "office.db").is_file()
    # /opt/doudi is read-only for an office's users: the program writes nothing beside itself.
    assert sorted(root.rglob("*")) == before
