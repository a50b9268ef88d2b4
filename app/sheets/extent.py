"""How large an .xlsx sheet is, found before calamine loads it (issue 12 review).

calamine holds a sheet as a dense grid over the bounding box of its cells: one cell typed at XFD2
and another at A200000 in a 5 KB file make it ask for 104 GB, and Rust then aborts the whole
process (no exception reaches Python; in the GUI the app vanishes). python-calamine 0.9.1 tells a
sheet's size only after it has loaded it, so the sheet's XML is scanned here first, streamed in
chunks so memory stays flat, and a sheet too large for a list is refused with one sentence.
.xls cannot grow past 65,536 × 256 cells, so only zip workbooks (.xlsx, .xlsm) are scanned.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET

MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
MAX_CELLS = 30_000_000
CHUNK = 4 * 1024 * 1024
CARRY = 256  # a tag split between two chunks is kept for the next one

# Excel, WPS, LibreOffice and openpyxl all write a cell's reference as its first attribute, so the
# scans below key on the literal text and stay a C-speed search. Only what can pass a cap is looked
# for: a row numbered past 99,999 and a cell past column GR (200); each such rare find is then checked
# for holding a value. A self-closing cell or row holds no value (a styled blank) and calamine skips
# it, so it does not widen the grid.
_ROW = re.compile(rb'row r="([0-9]{1,8})"[^>]*?(/?)>')
_BIG_ROW = re.compile(rb'row r="([0-9]{6,8})"')
_FAR_CELL = re.compile(rb'c r="((?:[H-Z][A-Z]|G[S-Z]|[A-Z]{3,})[0-9]+)"')
_CELL = re.compile(rb'c r="([A-Z]{1,3})[0-9]{1,8}"[^>]*?(/?)>')
_ROW_TAG = b'row r="'
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def column_number(letters: bytes) -> int:
    """A1-style column letters as a 1-based number (A → 1, XFD → 16384)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name → the zip member holding its XML, from xl/workbook.xml and its relationships."""
    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[s.get("name", "")] = path
    return parts


def _chunks(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in pieces that never cut a tag in two."""
    carry = b""
    with zf.open(member) as f:
        while chunk := f.read(CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<", max(0, len(data) - CARRY))
            cut = cut if cut > 0 else len(data)
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _holds_value(data: bytes, end: int) -> bool:
    """Whether the tag whose reference ends at *end* is not self-closing (chunks never cut a tag)."""
    close = data.find(b">", end)
    return close > 0 and data[close - 1] != ord("/")


def _last_row(data: bytes) -> int:
    """The number of the last row element of *data* holding cells, 0 when none does."""
    at = len(data)
    while (at := data.rfind(_ROW_TAG, 0, at)) >= 0:
        found = _ROW.match(data, at)
        if found is not None and not found[2]:
            return int(found[1])
    return 0


def extent(zf: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """(last row, last column) of *member*'s grid as far as the caps need it (1-based; (0, 0) when
    empty). The row is the greatest row number past 99,999 of a row element holding cells, or else
    the last such row element (rows are written in order, and below 100,000 rows only a column
    past the cap can make a sheet too large); the column is reported only when it passes
    MAX_COLUMNS, or when the sheet is tall enough for the cell cap to depend on it, else 0. The
    reader turns exactly rows × columns into Python objects, and calamine's grid is at most that."""
    big = last = far = 0
    for data in _chunks(zf, member):
        for found in _BIG_ROW.finditer(data):
            if _holds_value(data, found.end()):
                big = max(big, int(found[1]))
        for found in _FAR_CELL.finditer(data):
            if _holds_value(data, found.end()):
                far = max(far, column_number(found[1].rstrip(b"0123456789")))
        last = _last_row(data) or last
    bottom = big or last
    if far or bottom * MAX_COLUMNS <= MAX_CELLS:
        return bottom, far
    # Only a sheet this tall can pass the cell cap with columns under MAX_COLUMNS: measure them.
    right = 0
    for data in _chunks(zf, member):
        for letters, closed in _CELL.findall(data):
            if not closed:
                right = max(right, column_number(letters))
    return bottom, right


def too_large(rows: int, columns: int) -> bool:
    return rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS
