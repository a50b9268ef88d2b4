"""A list's rows matched against the register, in one pass over the cells as read (issue 12 point 8).

The budget for comparing a 100,000-row list is 1.5× reading it with calamine alone, and the row
by row path (every cell converted, a DataRow and its findings' sentences for every row) cost five
times that. Most rows of a department's list are people of the register, named by their number
written whole and saying nothing more: such a row is one dictionary lookup of its ID cell as read,
and is looked at no further unless its name differs or one of the cells the kind's rules test is
filled. Every other row takes the general path (``sheet_layout.RowFilter``, ``idnumber.repair``,
``dc.match``), so both give what the general path alone would (tests/services/test_comparison*).

A hit needs no check digit: the register holds only numbers ``idnumber.parse`` accepted (every save
validates a member), so a cell equal to one of them is that valid number, written exactly so.
"""

from __future__ import annotations

from typing import Any

from ..domain import comparison as dc
from ..domain import idnumber, sheet_layout

__all__ = ["Record", "compare_rows"]

# One data row of a run: its row and sheet row, its match, the person matched, the normalised
# number, the name shown, and what it said as (code, value quoted) pairs.
Record = tuple[int, int, str, "dc.Person | None", "str | None", str, "list[tuple[str, str]]"]
_TEXT_FILES = (".csv", ".txt", ".tsv")
_PROGRESS_EVERY = 10_000


def compare_rows(  # noqa: PLR0912, PLR0917 - one hot loop, kept whole
    kind: dc.SourceKind,
    raw: sheet_layout.RawSheet,
    head: list[list[sheet_layout.Cell]],
    layout: sheet_layout.Layout,
    index: dc.RegisterIndex,
    progress: Any = None,
) -> list[Record]:
    """Each data row of *raw* (cells as read; *head*: its first rows as the layout reads them) as a
    :data:`Record`, in order."""
    rows = raw.rows
    keep = sheet_layout.RowFilter(head, layout)
    items = list(layout.columns.items())
    widest = max(layout.columns.values(), default=-1)
    columns = layout.columns
    id_col = columns.get("id_number", -1)
    name_col = columns.get("name", -1)
    # A row whose number is whole can say something only through its name or a cell a rule tests.
    gate_cols = [columns[f] for f in kind.gate if f in columns] if kind.gate is not None else None
    fast = id_col >= 0 and name_col >= 0 and gate_cols is not None and widest >= 0
    by_id = index.by_id
    as_cells, values_of, values_as_read = sheet_layout.as_cells, sheet_layout.values_of, sheet_layout.values_as_read
    data_row, plain, text_of = sheet_layout.DataRow, idnumber.is_plain, dc.text_of
    said_of, in_register, not_in_register, matched = dc.said, dc.IN_REGISTER, dc.NOT_IN_REGISTER, dc.Match
    records: list[Record | None] = []
    append = records.append
    slow: list[tuple[int, sheet_layout.DataRow]] = []  # (place in records, row) of rows the fast path left
    total = len(rows)
    kept = 0
    next_report = keep.start
    for i in range(keep.start, total):
        if i == next_report:
            next_report += _PROGRESS_EVERY
            if progress is not None:
                progress.update(i, total, "正在比对…")
        row = rows[i]
        if fast and len(row) > widest:
            cell = row[id_col]
            person = by_id.get(cell)  # type: ignore[arg-type]  # any cell: only a number is found
            if person is not None or plain(cell):
                number: str = cell  # type: ignore[assignment]  # the register's, or valid and written so
                kept += 1
                listed = row[name_col]
                if person is not None:
                    kind_of, name, quiet = in_register, person.name, listed == person.name
                else:
                    kind_of, name, quiet = not_in_register, text_of(sheet_layout.as_cell(listed)), True
                if quiet:
                    for c in gate_cols:  # type: ignore[union-attr]
                        v = row[c]
                        if v != "" and v is not None:
                            break
                    else:
                        append((kept, i + 1, kind_of, person, number, name, []))
                        continue
                found = matched(kind_of, person, number)
                append((kept, i + 1, kind_of, person, number, name, said_of(kind, values_as_read(row, items), found)))
                continue
        cells = as_cells(row)
        if not keep.keep(cells):
            continue
        kept += 1
        slow.append((len(records), data_row(kept, i + 1, values_of(cells, items, widest))))
        append(None)
    # The rows left: their numbers repaired with what their column says as a whole (a number ending
    # in 000 beside numbers that lost their digits, or in a CSV, has lost its digits too).
    slow_cells = [dc.id_cell(d) for _, d in slow]
    repairs = [idnumber.repair(c) for c in slow_cells]
    doubt = idnumber.column_doubt(slow_cells, repairs, text_file=raw.file_name.lower().endswith(_TEXT_FILES))
    if doubt is not None:
        repairs = [doubt(r, c) for r, c in zip(repairs, slow_cells, strict=True)]
        # The numbers taken whole too: one ending in 000 may be a stranger's that lost its digits.
        suspects = [place for place, rec in enumerate(records) if rec is not None and rec[4].endswith("000")]  # type: ignore[union-attr]
        for place in suspects:
            rec = records[place]
            cell = rec[4]  # type: ignore[index]
            judged = doubt(idnumber.IdRepair(cell, "ok", ""), cell)
            if judged.status != "ok":
                drow = data_row(rec[0], rec[1], values_of(as_cells(rows[rec[1] - 1]), items, widest))  # type: ignore[index]
                slow.append((place, drow))
                slow_cells.append(dc.id_cell(drow))
                repairs.append(judged)
    match = dc.match
    for (place, drow), repaired in zip(slow, repairs, strict=True):
        found = match(drow, index, repaired)
        p = found.person
        name = p.name if p is not None and found.kind == in_register else text_of(drow.values.get("name"))
        records[place] = (
            drow.row,
            drow.sheet_row,
            found.kind,
            p,
            found.id_number,
            name,
            said_of(kind, drow.values, found),
        )
    if progress is not None:
        progress.update(total, total, "正在比对…")
    return records  # type: ignore[return-value]  # every place is filled above
