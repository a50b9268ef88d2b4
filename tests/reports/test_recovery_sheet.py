"""The recovery sheet is one A4 page whose text (CJK font embedded) holds the code."""

import re
import shutil
import subprocess
from datetime import datetime

import pytest

from app.reports.recovery_sheet import write_recovery_sheet

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"


@pytest.fixture
def sheet(tmp_path):
    return write_recovery_sheet(
        tmp_path / "sheet.pdf", "香水镇", "640424100000", "admin", CODE, datetime(2026, 3, 1, 9, 30)
    )


def test_written_atomically(sheet):
    assert sheet.read_bytes().startswith(b"%PDF")
    assert not list(sheet.parent.glob("*.part"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_text_holds_code_and_instructions(sheet):
    text = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True, text=True, check=True).stdout
    assert CODE in text
    for words in ("香水镇", "640424100000", "admin", "2026-03-01 09:30", "忘记密码", "doudi recover", "保险柜"):
        assert words in text


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) not installed")
def test_one_a4_page_with_embedded_font(sheet):
    info = subprocess.run(["pdfinfo", str(sheet)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE) and "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(sheet)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
