"""The Inno Setup script (installer/doudi.iss) cannot be compiled here (docs/install.md): these tests
check what can be checked on Linux — that it is well-formed, installs for the whole machine with a
Chinese wizard, never deletes the data folder, and names only files the build makes."""

from __future__ import annotations

import re

from .conftest import BUNDLE, ROOT

ISS = ROOT / "installer" / "doudi.iss"


def _sections() -> dict[str, list[str]]:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads the Chinese text as UTF-8 only after a BOM"
    sections: dict[str, list[str]] = {}
    current = None
    for raw_line in raw.decode("utf-8-sig").splitlines():
        line = raw_line.strip()
        if not line or line.startswith((";", "#")):  # comments and preprocessor lines
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = m.group(1)
            assert current not in sections, f"section [{current}] twice"
            sections[current] = []
            continue
        assert current is not None, f"a line before any section: {line}"
        sections[current].append(line)
    return sections


def _setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in _sections()["Setup"])


def _entries(section: str) -> list[dict[str, str]]:
    """``Name: "x"; Flags: a b`` lines as dicts."""
    rows = []
    for line in _sections()[section]:
        row = {}
        for part in re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line):
            row[part[0]] = part[1].strip().strip('"')
        rows.append(row)
    return rows


def test_installs_per_machine_with_a_chinese_wizard():
    setup = _setup()
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"] == r"{autopf}\Doudi"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    (language,) = _entries("Languages")
    assert language["MessagesFile"] == r"compiler:Languages\ChineseSimplified.isl"


def test_start_menu_and_desktop_shortcuts_open_the_windowed_program():
    icons = _entries("Icons")
    targets = {row["Name"].split("\\")[0]: row.get("Filename") for row in icons}
    assert targets["{group}"] in (r"{app}\doudi-gui.exe", "{uninstallexe}")
    desktop = [row for row in icons if row["Name"].startswith("{autodesktop}")]
    assert desktop and desktop[0]["Filename"] == r"{app}\doudi-gui.exe"
    # The spec builds that windowed program on Windows (and doudi.exe for the command line).
    spec = (ROOT / "installer" / "doudi.spec").read_text(encoding="utf-8")
    assert 'name="doudi-gui", console=False' in spec and 'name="doudi", console=True' in spec


def test_uninstaller_never_touches_the_data_folder_and_the_last_page_says_where_it_is():
    sections = _sections()
    assert "UninstallDelete" not in sections
    text = ISS.read_text(encoding="utf-8-sig")
    assert not re.search(r"\{(localappdata|userappdata|commonappdata)\}", text)
    for row in _entries("InstallDelete"):
        assert row["Name"].startswith("{app}")
    finished = next(line for line in sections["Messages"] if line.startswith("FinishedLabel="))
    assert r"AppData\Local\doudi" in finished and "backups" in finished and "不会删除" in finished


def test_every_file_it_names_is_made_by_the_build(frozen):
    (files,) = _entries("Files")
    assert files["Source"] == r"{#DistDir}\*" and "recursesubdirs" in files["Flags"]
    defines = dict(re.findall(r'#define (\w+) "([^"]*)"', ISS.read_text(encoding="utf-8-sig")))
    # The defaults, relative to installer/, are where build_windows.ps1 and the spec put them.
    dist = (ROOT / "installer" / defines["DistDir"].replace("\\", "/")).resolve()
    assert dist == BUNDLE.resolve() and (dist / "_internal").is_dir()
    icon = (ROOT / "installer" / defines["IconFile"].replace("\\", "/")).resolve()
    assert icon.is_file(), "the spec writes the icon when it builds"
    assert icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an .ico
