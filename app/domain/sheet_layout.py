"""How a department's spreadsheet is laid out, found from its cells alone (issue 12).

Real lists are messy the way WPS and department systems write them: title rows above the header,
a 填报单位：…（盖章） line, headers merged over two rows, total and signature rows at the bottom.
This module reads the grid of cells (already read from the file by ``app/sheets``) and finds the
header, maps its columns to the fields a comparison or an import needs (by synonyms; a person
confirms when unsure), and yields the data rows with their numbers: ``row`` counts data rows from
1 under the header, ``sheet_row`` is the spreadsheet's own row number a clerk sees in WPS.

Pure: no files, no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file as read: ``rows[i]`` is the spreadsheet's row ``i + 1``."""

    file_name: str
    sheet: str
    sheets: tuple[str, ...]
    rows: list[list[Cell]]
    sha256: str


@dataclass(frozen=True)
class Layout:
    """Where the header is and which column holds which field."""

    header_rows: tuple[int, ...]  # 0-based indexes into RawSheet.rows: one row, or two when merged
    headers: tuple[str, ...]  # each column's header text (two-row headers joined, e.g. "家庭成员-姓名")
    columns: dict[str, int]  # field → 0-based column index
    # Fields matched only loosely (a person should confirm them in the mapping dialog).
    unsure: tuple[str, ...] = ()
    title: str = ""  # the title rows above the header, joined
    unit: str = ""  # the 填报单位 line, if any


@dataclass(frozen=True)
class DataRow:
    row: int  # data rows counted from 1 under the header (skipped rows not counted)
    sheet_row: int  # the spreadsheet's own row number (1-based)
    values: dict[str, Cell] = field(default_factory=dict)  # field → the cell as read


def detect_layout(
    rows: Sequence[Sequence[Cell]],
    synonyms: Mapping[str, Sequence[str]],
    required: Sequence[str] = ("name",),
    mapping: Mapping[str, int] | None = None,
) -> Layout:
    """The header and column mapping of *rows*; *mapping* (field → column), when given, is what a
    person chose (or what was remembered for this source) and wins over the synonyms."""
    raise NotImplementedError


def data_rows(rows: Sequence[Sequence[Cell]], layout: Layout) -> Iterator[DataRow]:
    """The data rows under the header: blank, total (合计/小计/总计) and signature rows skipped."""
    raise NotImplementedError
