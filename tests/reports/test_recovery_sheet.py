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


@pytest.fixture
def slot_sheet(tmp_path):
    from app.db.keyslots import KeySlotFile

    slots = KeySlotFile(store_id="0190a3b4-0000-7000-8000-000000000001", office_code="640424100000")
    slots.set_recovery(CODE, bytes(range(32)))
    head = "ab" * 32
    path = write_recovery_sheet(
        tmp_path / "sheet.pdf",
        "香水镇",
        "640424100000",
        "admin",
        CODE,
        datetime(2026, 3, 1, 9, 30),
        slot_lines=slots.recovery_sheet_lines(),
        slot_qr=slots.recovery_sheet_payload(),
        chain_head=head,
    )
    return path, slots, head


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_sheet_carries_the_recovery_slot_lines_and_the_chain_head(slot_sheet):
    from app.db.keyslots import KeySlotFile

    path, slots, head = slot_sheet
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert head in text and "doudi recover --sheet" in text
    printed = [line.strip() for line in text.splitlines() if re.match(r"^\s*\d\d\s+[0-9A-Z]{4}\s", line)]
    assert [" ".join(line.split()) for line in printed] == [
        " ".join(line.split()) for line in slots.recovery_sheet_lines()
    ]
    # What a person types back from the printed page opens the slot again.
    assert KeySlotFile.from_recovery_sheet("\n".join(printed)).unlock_recovery(CODE) == bytes(range(32))


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) not installed")
def test_sheet_with_the_slot_is_still_one_page(slot_sheet):
    path, _slots, _head = slot_sheet
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_the_qr_code_scans_back_to_the_slot(slot_sheet, tmp_path):
    import zxingcpp  # a dev dependency: the QR code must scan back to the slot
    from PIL import Image  # Pillow comes with reportlab

    path, slots, _head = slot_sheet
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(path), str(tmp_path / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("page*.png"))))
    assert [r.text for r in found] == [slots.recovery_sheet_payload()]


def test_the_chain_head_printed_on_the_sheet_is_kept_as_an_anchor(office):
    from app.services.anchors import known_anchors
    from app.services.office import recovery_sheet_fields

    session, _code, data_dir = office
    fields = recovery_sheet_fields(session)
    sheet_anchors = [a for a in known_anchors(data_dir) if a.where == "恢复单"]
    assert sheet_anchors and sheet_anchors[-1].hash == fields["chain_head"]
