"""A list's rows matched against the register, in one pass over the cells as read (issue 12 point 8).

The budget for comparing a 100,000-row list is 1.5× reading it with calamine alone, and the row
by row path (every cell converted, a DataRow and its findings' sentences for every row) cost five
times that. Most rows of a department's list are people of the register, named by their number
written whole and saying nothing more. Such rows are sifted out column by column at C speed (the
ID cells looked up in one ``map``, names and the cells the kind's rules test compared likewise) and
are kept as their person only (:class:`Records`); a Python loop meets only the other rows. A row
whose number is whole but which fills a rule's cell is answered from what its filled cells allow
(:class:`_QuietRules`); every other row takes the general path (``sheet_layout.RowFilter``,
``idnumber.repair``, ``dc.match``), so all give what the general path alone would
(tests/services/test_comparison_one_pass.py compares them on every shipped kind).

A hit needs no check digit: the register holds only numbers ``idnumber.parse`` accepted (every save
validates a member), so a cell equal to one of them is that valid number, written exactly so.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import reduce
from itertools import compress, repeat
from operator import and_, eq, itemgetter, not_
from typing import Any, TypeVar, overload

from ..domain import comparison as dc
from ..domain import idnumber, sheet_layout

__all__ = ["MadeWhenRead", "Record", "Records", "compare_rows"]

T = TypeVar("T")

# One data row of a run: its row and sheet row, its match, the person matched, the normalised
# number, the name shown, and what it said as (code, value quoted) pairs.
Record = tuple[int, int, str, "dc.Person | None", "str | None", str, "Sequence[tuple[str, str]]"]
_TEXT_FILES = (".csv", ".txt", ".tsv")
_PROGRESS_EVERY = 10_000
_NOTHING: tuple[tuple[str, str], ...] = ()  # what a row that says nothing said (shared: never changed)
# What Records' made holds for a row in place of its Record (each a Record's shape saying nothing,
# so that C-speed filters pass over them): a person of the register, named as the register names
# them, every gate cell blank; a row that is no data row (blank, total, signature, the header
# repeated); a row the general path fills in at the end.
_QUIET_HIT: Record = (0, 0, dc.IN_REGISTER, None, None, "", _NOTHING)
_LEFT_OUT: Record = (0, 0, "", None, None, "", _NOTHING)
_LATER: Record = (0, 0, "", None, None, "later", _NOTHING)
_NOBODY = dc.Person("", "", "", object())  # type: ignore[arg-type]  # a name equal to no cell
_MATCH, _SAID = itemgetter(2), itemgetter(6)


class MadeWhenRead(Sequence[T]):
    """A sequence whose items are made as they are read, equal to any sequence of the same items
    (as the list it stands in for would be)."""

    def __iter__(self) -> Iterator[T]:
        for k in range(len(self)):
            yield self[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"


class Records(MadeWhenRead[Record]):
    """A run's rows as :data:`Record`\\ s, the quiet ones made only when read.

    A 100,000-row list is mostly rows that name a person of the register and say nothing. A tuple
    made for each cost about a tenth of reading the list (bench/compare.py: allocating is slow on
    the machines measured), so such a row is kept as its person, made into its Record when read
    (the 比对 page reads a screenful), and the summary and the rows with findings are counted and
    picked at C speed without making them."""

    def __init__(self, first: int, persons: list[Any] | None, made: list[Record]) -> None:
        self._first = first  # the sheet row of the first row of made, less one
        self._persons, self._made = persons, made
        left_out = made.count(_LEFT_OUT)
        size = len(made) - left_out
        # made[j] is the k-th data row with k == j, unless a row left out comes before a data row.
        self._places: list[int] | None = None
        if left_out and made.index(_LEFT_OUT) < size:
            self._places = [j for j, r in enumerate(made) if r is not _LEFT_OUT]
        self._size = size

    def __len__(self) -> int:
        return self._size

    def place_of(self, j: int) -> int:
        """The place among the data rows of the j-th row under the header (a data row)."""
        return j if self._places is None else bisect_left(self._places, j)

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> list[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | list[Record]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._size))]
        k = i + self._size if i < 0 else i
        if not 0 <= k < self._size:
            raise IndexError(i)
        j = self._places[k] if self._places is not None else k
        r = self._made[j]
        if r is _QUIET_HIT:
            p = self._persons[j]  # type: ignore[index]  # the row's number is the person's, written so
            return (k + 1, self._first + j + 1, dc.IN_REGISTER, p, p.id_number, p.name, _NOTHING)
        return r

    def matches(self) -> Iterator[str]:
        """Each row's match, for the summary, at C speed (a quiet row's mark bears its match, a row
        left out none)."""
        return filter(None, map(_MATCH, self._made))

    def saying(self) -> list[Record]:
        """The rows with findings, in order."""
        return list(filter(_SAID, self._made))


def compare_rows(  # noqa: PLR0912, PLR0915, PLR0917 - one hot loop, kept whole
    kind: dc.SourceKind,
    raw: sheet_layout.RawSheet,
    head: list[list[sheet_layout.Cell]],
    layout: sheet_layout.Layout,
    index: dc.RegisterIndex,
    progress: Any = None,
) -> Records:
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
    gate = [(f, columns[f]) for f in kind.gate if f in columns] if kind.gate is not None else None
    fast = id_col >= 0 and name_col >= 0 and gate is not None and widest >= 0
    # The gate cells of a row in one C call, and what they are when all blank as read (a blank cell
    # as read is ""; None only where a merged range was filled out, and the rules then say nothing).
    gate_of, blank_gate = _getter([c for _f, c in gate] if gate is not None else [])
    quiet_said = _QuietRules(kind, columns)
    get = index.by_id.get
    as_cells, values_of, values_as_read = sheet_layout.as_cells, sheet_layout.values_of, sheet_layout.values_as_read
    data_row, plain, text_of = sheet_layout.DataRow, idnumber.is_plain, dc.text_of
    said_of, in_register, not_in_register, matched = dc.said, dc.IN_REGISTER, dc.NOT_IN_REGISTER, dc.Match
    start, total = keep.start, len(rows)
    body = rows[start:]
    # made[j]: body[j]'s Record (numbered as the data row it is), or one of the marks above.
    made: list[Record]
    ids: list[Any] | None = None
    persons: list[dc.Person] | None = None
    others: Iterable[int]
    if fast and body and min(map(len, body)) > widest:
        # Most rows, at C speed: a person of the register, named as the register names them, with
        # every gate cell blank, says nothing. Only the other rows are looked at one by one.
        ids = list(map(itemgetter(id_col), body))
        persons = list(map(get, ids, repeat(_NOBODY)))  # any cell: only a number is found
        # Each test at C speed, and-ed a column at a time (and_ of two bools is a bool).
        tests = [
            map(eq, map(itemgetter(name_col), body), map(itemgetter(3), persons)),  # Person.name
            *(map(eq, map(itemgetter(c), body), repeat("")) for _f, c in gate),  # type: ignore[union-attr]
        ]
        quiet = list(reduce(lambda a, b: map(and_, a, b), tests))
        made = [_QUIET_HIT] * len(body)
        others = compress(range(len(body)), map(not_, quiet))
    else:
        made = [_LATER] * len(body)
        others = range(len(body))
    slow: list[tuple[int, sheet_layout.DataRow]] = []  # (place in made, row) of rows the fast path left
    left_out = 0
    next_report = 0
    for j in others:
        if j >= next_report:
            next_report = (j // _PROGRESS_EVERY + 1) * _PROGRESS_EVERY
            if progress is not None:
                progress.update(start + j, total, "正在比对…")
        row = body[j]
        if fast and len(row) > widest:
            cell = row[id_col]
            person: dc.Person | None = persons[j] if persons is not None else get(cell, _NOBODY)  # type: ignore[arg-type]
            if person is not _NOBODY:
                kind_of, name = in_register, person[3]  # type: ignore[index]  # Person.name
                quiet_row = row[name_col] == name
            elif plain(cell):
                person, kind_of, quiet_row = None, not_in_register, True
                name = text_of(sheet_layout.as_cell(row[name_col]))
            else:
                kind_of = ""
            if kind_of:
                number: str = cell  # type: ignore[assignment]  # the register's, or valid and written so
                kept = j + 1 - left_out
                gate_cells = gate_of(row)
                if quiet_row and gate_cells == blank_gate:
                    made[j] = (kept, start + j + 1, kind_of, person, number, name, _NOTHING)
                    continue
                found = matched(kind_of, person, number)
                said = quiet_said(row, gate_cells, found) if quiet_row else None
                if said is None:
                    said = said_of(kind, values_as_read(row, items), found)
                made[j] = (kept, start + j + 1, kind_of, person, number, name, said)
                continue
        cells = as_cells(row)
        if not keep.keep(cells):
            left_out += 1
            made[j] = _LEFT_OUT
            continue
        slow.append((j, data_row(j + 1 - left_out, start + j + 1, values_of(cells, items, widest))))
        made[j] = _LATER
    # The rows left: their numbers repaired with what their column says as a whole (a number ending
    # in 000 beside numbers that lost their digits, or in a CSV, has lost its digits too).
    slow_cells = [dc.id_cell(d) for _, d in slow]
    repairs = [idnumber.repair(c) for c in slow_cells]
    doubt = idnumber.column_doubt(slow_cells, repairs, text_file=raw.file_name.lower().endswith(_TEXT_FILES))
    if doubt is not None:
        repairs = [doubt(r, c) for r, c in zip(repairs, slow_cells, strict=True)]
        # The numbers taken whole too: one ending in 000 may be a stranger's that lost its digits.
        taken = Records(start, persons, made)
        for j in _ending_in_000(made, ids):
            rec = taken[taken.place_of(j)]
            number = rec[4]  # type: ignore[assignment]
            judged = doubt(idnumber.IdRepair(number, "ok", ""), number)
            if judged.status != "ok":
                drow = data_row(rec[0], rec[1], values_of(as_cells(body[j]), items, widest))
                slow.append((j, drow))
                slow_cells.append(dc.id_cell(drow))
                repairs.append(judged)
    match = dc.match
    for (place, drow), repaired in zip(slow, repairs, strict=True):
        found = match(drow, index, repaired)
        p = found.person
        name = p.name if p is not None and found.kind == in_register else text_of(drow.values.get("name"))
        made[place] = (
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
    return Records(start, persons, made)


def _ending_in_000(made: list[Record], ids: list[Any] | None) -> list[int]:
    """The places of the rows the fast path took whose number ends in 000 (about one in a
    thousand: the cells are sifted at C speed, text first, then by its end)."""
    if ids is not None:
        texts = list(map(isinstance, ids, repeat(str)))
        places = compress(compress(range(len(ids)), texts), map(str.endswith, compress(ids, texts), repeat("000")))
        return [j for j in places if made[j] is _QUIET_HIT or made[j][4] == ids[j]]
    return [j for j, r in enumerate(made) if r[1] and r[4] and r[4].endswith("000")]


def _getter(cols: list[int]) -> tuple[Any, Any]:
    """(a function giving a row's cells in *cols*, what it gives when they are all "")."""
    if not cols:
        return (lambda _row: ()), ()
    return itemgetter(*cols), ("",) * len(cols) if len(cols) > 1 else ""


_NO_VALUES: dict[str, sheet_layout.Cell] = {}
_READS_ROW = ("row_matches:", "row_at_least:")


class _QuietRules:
    """``dc.said`` of a row the fast path took whose name is the register's (or a stranger's) and
    some of whose gate cells are filled: 公安's deaths and moves, about two rows in five of its list.

    Once the gate cells filled are known, the rules left test only the person matched (in_register,
    alive, enrolled …) unless one tests a cell's text (row_matches, row_at_least): for those the
    general path is taken (None). So a row costs its gate cells, the rules' person checks and the
    quoted cell, not a dict of every mapped cell converted."""

    def __init__(self, kind: dc.SourceKind, columns: dict[str, int]) -> None:
        self.kind = kind
        self.columns = columns
        self.gate = [(f, columns[f]) for f in kind.gate if f in columns] if kind.gate is not None else []
        self.plans: dict[tuple[str, ...], list[tuple[str, int, tuple[dc.Check, ...]]] | None] = {}
        # the gate cells' values → (the plan for them, outcome of its checks → what the row says)
        self.by_cells: dict[Any, tuple[Any, dict[int, tuple[tuple[str, str], ...]]]] = {}

    def __call__(self, row: list[Any], key: Any, found: dc.Match) -> Sequence[tuple[str, str]] | None:
        """What *row* says (*key*: its gate cells, as ``gate_of`` gives them), or None."""
        # A list's gate cells take few values (a month's dates of death, a few places moved to): the
        # rules left for each, and what each outcome of their checks says, are worked out once.
        entry = self.by_cells.get(key)
        if entry is None:
            entry = self._entry(row)
            # Only text is kept: a cell equal to text is that text, while True, 1 and 1.0 are equal
            # and quoted differently (是, 1).
            if key.__class__ is str or (key.__class__ is tuple and all(c.__class__ is str for c in key)):
                self.by_cells[key] = entry
        plan, said_by_outcome = entry
        if plan is None:
            return None
        held, bit = 0, 1
        for _finding, _col, checks in plan:
            for check in checks:
                if not check(_NO_VALUES, found):
                    break
            else:
                held |= bit
            bit <<= 1
        said = said_by_outcome.get(held)
        if said is None:
            said = said_by_outcome[held] = self._said(plan, held, row)
        return said

    def _entry(self, row: list[Any]) -> tuple[Any, dict[int, tuple[tuple[str, str], ...]]]:
        filled = tuple([f for f, c in self.gate if _filled(row[c])])
        plans = self.plans
        plan = plans[filled] if filled in plans else plans.setdefault(filled, self._plan(filled))
        return plan, {}

    @staticmethod
    def _said(
        plan: list[tuple[str, int, tuple[dc.Check, ...]]], held: int, row: list[Any]
    ) -> tuple[tuple[str, str], ...]:
        """What the rules that *held* (a bit each, in the plan's order) say: each finding once (the
        row's gate cells, which alone are quoted, are those of every row sharing this answer)."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for n, (finding, col, _checks) in enumerate(plan):
            if held >> n & 1 and finding not in seen:
                seen.add(finding)
                out.append((finding, _quoted(row[col]) if col >= 0 else ""))
        return tuple(out)

    def _plan(self, filled: tuple[str, ...]) -> list[tuple[str, int, tuple[dc.Check, ...]]] | None:
        plan = self.kind.plan(filled)
        if any(c.startswith(_READS_ROW) for rule, _checks in plan for c in rule.conditions):
            return None
        return [(rule.finding, self.columns.get(rule.value_field, -1), checks) for rule, checks in plan]


def _filled(cell: object) -> bool:
    """Whether a cell as read reports anything (``dc.said``'s test of a gate cell, as the layout reads it)."""
    if cell.__class__ is str:
        return dc.filled(cell)
    if cell is None or cell == "":
        return False
    return dc.filled(sheet_layout.as_cell(cell))


def _quoted(cell: object) -> str:
    """A cell as read as a finding quotes it (``dc.text_of`` of the cell as the layout reads it)."""
    if cell.__class__ is str:
        return cell.strip()
    return dc.text_of(sheet_layout.as_cell(cell))
