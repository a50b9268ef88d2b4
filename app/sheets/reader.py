"""Open a department list or a ledger and hand back its cells (issue 12).

Clerks drop whatever the department sent: .xlsx from Excel or WPS, old .xls, .ods, CSV in GBK.
The file's kind is decided from its first bytes, not its name (an .xls is often an .xlsx renamed,
and a PNG renamed .xlsx must be refused, not "read"), and every refusal is one sentence naming the
file. Merged cells are filled with their top-left value, as a clerk sees them: a 家庭成员 label
over two columns names both, and a 户主 merged down a household's rows belongs to every member.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import python_calamine

from ..domain.sheet_layout import Cell, RawSheet, as_cells
from ..errors import InvalidInput
from . import extent

MB = 1024 * 1024
MAX_BYTES = 50 * MB  # refused before a byte is read: a township list is a few MB at most
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # .xlsx, .xlsm, .ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an encrypted .xlsx
# An encrypted .xlsx is an OLE container with these streams instead of a zip (MS-OFFCRYPTO).
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
OLE_SUFFIXES = (".xls",)
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads UTF-8 without a BOM; GB18030 covers GBK
CSV_DELIMITERS = ",\t;"
SNIFF_CHARS = 64 * 1024
SNIFF_LINES = 30


def read_sheet(
    path: Path, sheet: str | None = None, *, as_read: bool = False, parsing: Callable[[], None] | None = None
) -> RawSheet:
    """The cells of *sheet* (by name), or of the first visible sheet that holds anything.

    *as_read* leaves a workbook's cells as calamine gives them ("" for a blank, a float for every
    number, text with its spaces): ``sheet_layout.as_cells`` turns a row into what the layout reads.
    The comparison converts only the rows and cells it looks at, which on a 100,000-row list is most
    of what reading it costs beyond calamine's own read.

    *parsing* is called just before calamine parses a workbook's sheet (it lets go of the
    interpreter meanwhile; again before each further sheet tried, when the first are empty): the
    comparison starts its register's refresh there, so that the two overlap and the refresh does
    not contend with the size check before it. It is not called for a CSV, nor for a file refused
    before a sheet is parsed.

    Raises InvalidInput(field="file") when the file is too large, not a spreadsheet, password
    protected, damaged or empty, or the sheet named does not exist."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise InvalidInput(f"找不到文件“{name}”。", field="file") from None
    if size > MAX_BYTES:
        raise InvalidInput(
            f"文件“{name}”有 {size / MB:.0f} MB，超过 {MAX_BYTES // MB} MB 的上限，请只导出需要的工作表。",
            field="file",
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InvalidInput(f"无法打开文件“{name}”：{e.strerror or e}。", field="file") from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTION_STREAMS):
            raise _password(name)
        return _read_workbook(path, data, OLE_SUFFIXES, sheet, digest, as_read, parsing)
    if data.startswith(ZIP_MAGIC):
        return _read_workbook(path, data, ZIP_SUFFIXES, sheet, digest, as_read, parsing)
    if _looks_like_markup(data):
        raise InvalidInput(
            f"文件“{name}”是网页或 XML 格式导出的表格，不是真正的 Excel 文件：请用 WPS 或 Excel 打开后另存为 .xlsx。",
            field="file",
        )
    if path.suffix.lower() in TEXT_SUFFIXES:
        return _read_csv(name, data, sheet, digest)
    raise InvalidInput(
        f"文件“{name}”不是表格文件（应为 .xlsx、.xls、.ods 或 .csv）。",
        field="file",
    )


def _password(name: str) -> InvalidInput:
    return InvalidInput(f"文件“{name}”有密码保护，无法读取：请在 WPS 或 Excel 里去掉密码后另存一份。", field="file")


def _damaged(name: str) -> InvalidInput:
    return InvalidInput(f"文件“{name}”已损坏或格式不对，无法读取：请用 WPS 或 Excel 打开后另存为 .xlsx。", field="file")


def _empty(name: str, sheet: str | None = None) -> InvalidInput:
    where = f"的工作表“{sheet}”" if sheet else ""
    return InvalidInput(f"文件“{name}”{where}是空的，没有任何数据。", field="file")


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    return head.startswith((b"<?xml", b"<html", b"<!doctype", b"<table", b"<meta"))


def _read_workbook(  # noqa: PLR0917 - read_sheet's own arguments, passed on
    path: Path,
    data: bytes,
    suffixes: tuple[str, ...],
    sheet: str | None,
    digest: str,
    as_read: bool,
    parsing: Callable[[], None] | None = None,
) -> RawSheet:
    name = path.name
    # From a path calamine reads a third faster than from bytes, but it goes by the file's
    # extension: a file whose name lies about its content (an .xlsx renamed .xls) is read from bytes.
    source = str(path) if path.suffix.lower() in suffixes else io.BytesIO(data)
    try:
        book = (
            python_calamine.CalamineWorkbook.from_path(source)
            if isinstance(source, str)
            else python_calamine.CalamineWorkbook.from_filelike(source)
        )
    except python_calamine.PasswordError:
        raise _password(name) from None
    except (python_calamine.CalamineError, ValueError, OSError):
        raise _damaged(name) from None
    # calamine aborts the process on a sheet whose cells span millions of rows × columns: measure first.
    parts = _zip_parts(data) if data.startswith(ZIP_MAGIC) else None
    try:
        metadata = book.sheets_metadata
        names = tuple(m.name for m in metadata)
        if sheet is not None:
            if sheet not in names:
                listed = "、".join(f"“{n}”" for n in names)
                raise InvalidInput(f"文件“{name}”里没有工作表“{sheet}”；有的是：{listed}。", field="file")
            rows = _sheet_rows(book, sheet, name, parts, as_read=as_read, parsing=parsing)
            if rows is None:
                raise _empty(name, sheet)
            return RawSheet(name, sheet, names, rows, digest)
        visible = [m.name for m in metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]
        for candidate in visible or list(names):
            rows = _sheet_rows(book, candidate, name, parts, as_read=as_read, parsing=parsing)
            if rows is not None:
                return RawSheet(name, candidate, names, rows, digest)
        raise _empty(name)
    except python_calamine.PasswordError:
        raise _password(name) from None
    except python_calamine.CalamineError:
        raise _damaged(name) from None
    finally:
        book.close()
        if parts is not None:
            parts[0].close()


def _zip_parts(data: bytes) -> tuple[zipfile.ZipFile, dict[str, str]] | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return None  # calamine has already opened it, or refused it as damaged
    return zf, extent.sheet_parts(zf)


def _too_large(file_name: str, sheet: str, rows: int, columns: int) -> InvalidInput:
    return InvalidInput(
        f"文件“{file_name}”的工作表“{sheet}”有数据的范围达 {rows:,} 行 × {columns:,} 列，"
        f"超过名单的上限（{extent.MAX_ROWS:,} 行、{extent.MAX_COLUMNS} 列）："
        "多半是远处的单元格里误填了内容，请删掉多余的行列或只复制名单另存后再导入。",
        field="file",
    )


def _sheet_rows(
    book: python_calamine.CalamineWorkbook,
    sheet: str,
    file_name: str,
    parts: tuple[zipfile.ZipFile, dict[str, str]] | None,
    *,
    as_read: bool = False,
    parsing: Callable[[], None] | None = None,
) -> list[list[Cell]] | None:
    """The sheet's rows from row 1 (so rows[i] is row i + 1), merged cells filled; None when empty.
    *as_read*: the cells as calamine gives them (see read_sheet)."""
    if parts is not None and sheet in parts[1]:
        try:
            height, width = extent.extent(parts[0], parts[1][sheet])
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
            raise _damaged(file_name) from None
        if extent.too_large(height, width):
            raise _too_large(file_name, sheet, height, width)
    if parsing is not None:
        parsing()
    ws = book.get_sheet_by_name(sheet)
    # A second guard for what was not scanned (.xls, .ods): the grid is loaded, but turning it into
    # Python objects would take many times its memory again.
    start = ws.start or (0, 0)
    if extent.too_large(ws.height + start[0], ws.width + start[1]):
        raise _too_large(file_name, sheet, ws.height + start[0], ws.width + start[1])
    raw: list[list[Any]] = ws.to_python(skip_empty_area=False)
    rows: list[list[Cell]] = raw if as_read else [as_cells(values) for values in raw]
    # Blank rows at the bottom (a styled blank area) are dropped: found from the end, so a list's
    # own rows are not looked at one by one.
    while rows and all(_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        return None
    for (top, left), (bottom, right) in ws.merged_cell_ranges or ():
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        if _blank(value):
            continue
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if _blank(row[c]):
                    row[c] = value
    return rows


def _blank(value: object) -> bool:
    """A blank cell, converted (None) or as read ("" or spaces)."""
    return value is None or (value.__class__ is str and not value.strip())


def _read_csv(name: str, data: bytes, sheet: str | None, digest: str) -> RawSheet:
    text = None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InvalidInput(
            f"文件“{name}”的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030），请用 WPS 另存为 .xlsx。",
            field="file",
        )
    if "\x00" in text:
        raise _damaged(name)
    sheet_name = Path(name).stem
    if sheet is not None and sheet != sheet_name:
        raise InvalidInput(f"文件“{name}”是 CSV，只有一张表“{sheet_name}”，没有“{sheet}”。", field="file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows: list[list[Cell]] = [[c if c.strip() else None for c in r] for r in reader]
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            # One field past csv's limit (128 K characters) is no name list: say where, not "damaged".
            raise InvalidInput(
                f"文件“{name}”第 {reader.line_num} 行过长（一格超过 {csv.field_size_limit():,} 个字符），不像是名单，"
                "请检查是不是选错了文件。",
                field="file",
            ) from None
        raise _damaged(name) from None
    while rows and all(c is None for c in rows[-1]):
        rows.pop()
    if not rows:
        raise _empty(name)
    return RawSheet(name, sheet_name, (sheet_name,), rows, digest)


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most multi-column rows (a comma when none
    does). csv.Sniffer guesses wrong on short Chinese files, so it is not used."""
    head = text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for d in CSV_DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(head, delimiter=d)]
        except csv.Error:
            continue
        multi = [w for w in widths if w > 1]
        score = (len(multi), max(multi, default=0))
        if score > best_score:
            best, best_score = d, score
    return best
