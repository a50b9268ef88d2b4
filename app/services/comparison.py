"""Comparison with partner departments' lists (数据比对, issue 12): read a list, match it against the
register, record what was found and what a person made of each finding.

The matching and the findings are the domain's (app/domain/comparison.py); reading the file is
app.sheets', and the pass over its rows is comparison_rows' (one dictionary lookup for most rows,
the register read on a second thread while calamine parses the sheet). This service reads the
register in four queries (members, households, enrolments and
pension income, never per row) and keeps it between runs, fresh from the change log; it stores one
``comparisons`` row and one ``comparison_findings`` row per finding in one transaction, and carries
each finding through its dispositions: 待核实 → 属实 / 不属实, then 已处理. A finding found true that points at wrong or
missed assistance raises an alert through the monitoring service.

A stored result (:meth:`ComparisonService.result`) lists only the rows with findings: every
``possible_match``, ``id_damaged`` and ``id_invalid`` row has one, so what is left out are rows that
matched (or did not) and said nothing; the summary still counts every row.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, overload

from ..domain import comparison as dc
from ..domain import idnumber, months, sheet_layout
from ..domain.entities import (
    COMPARISON_DISPOSITIONS,
    Alert,
    Comparison,
    ComparisonFinding,
    Enrolment,
    Household,
    Member,
    Visit,
)
from ..errors import InvalidInput, NotFound
from ..resource_files import resource
from . import permissions
from .base import Service
from .comparison_register import RegisterCache, forget, kept_for
from .comparison_rows import MadeWhenRead, Record, compare_rows
from .households import village_names

__all__ = [
    "DISPOSITIONS",
    "ComparisonResult",
    "ComparisonService",
    "ComparisonSummary",
    "FindingView",
    "LayoutView",
    "ResultRow",
    "SourceInfo",
]

DISPOSITIONS = COMPARISON_DISPOSITIONS
PENDING, TRUE, UNTRUE, HANDLED = DISPOSITIONS
# Which disposition may follow which: a finding is checked first, and only a true one is handled.
_NEXT = {PENDING: (TRUE, UNTRUE), TRUE: (HANDLED, UNTRUE), UNTRUE: (TRUE,), HANDLED: ()}
# Changing a finding already found 属实 or 不属实 to the other is a correction: a reviewer's, with a
# note, so a finding does not flip back and forth in a clerk's hands (and its alert follows it).
_CORRECTIONS = {(TRUE, UNTRUE), (UNTRUE, TRUE)}
LINK_TABLES = {"visit": Visit, "alert": Alert, "stop": Enrolment, "application": Enrolment, "household": Household}
ALERT_RULE_PREFIX = "comparison:"
_MAPPING_KEY = "comparison_mapping:"
_SAMPLE_ROWS = 5
_ID_COLUMN = 2  # the workbook's 身份证号 column (0-based)


@dataclass(frozen=True)
class SourceInfo:
    name: str
    label: str
    description: str
    fields: dict[str, str]


@dataclass(frozen=True)
class LayoutView:
    file_name: str
    sheets: tuple[str, ...]
    sheet: str
    title: str
    header_rows: tuple[int, ...]
    headers: tuple[str, ...]
    mapping: dict[str, int]
    unsure: tuple[str, ...]
    required: tuple[str, ...]
    sample: list[list[str]]


@dataclass(frozen=True)
class FindingView:
    id: str  # "" until stored
    code: str
    text: str
    disposition: str
    note: str


@dataclass(frozen=True)
class ResultRow:
    row: int
    sheet_row: int
    id_number: str | None
    name: str
    match: str
    household_id: str | None
    household_label: str
    findings: list[FindingView]


@dataclass(frozen=True)
class ComparisonResult:
    comparison_id: str
    source: str
    file_name: str
    rows_read: int
    rows: Sequence[ResultRow]
    summary: dict[str, int]
    repeated: bool  # the same file (SHA-256) and source were already compared this month: nothing stored


@dataclass(frozen=True)
class ComparisonSummary:
    id: str
    source: str
    source_label: str
    file_name: str
    month: str
    at: str
    by: str
    rows_read: int
    open_findings: int


@cache
def _kinds() -> dict[str, dc.SourceKind]:
    """The shipped source kinds by name (read once)."""
    out: dict[str, dc.SourceKind] = {}
    for entry in sorted(resource("sources").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            kind = dc.parse_source(json.loads(entry.read_text(encoding="utf-8")), entry.name)
        except (ValueError, dc.SourceError) as e:
            raise InvalidInput(str(e)) from e
        out[kind.name] = kind
    return out


def source_kind(name: str) -> dc.SourceKind:
    """A kind by its name (公安) or its file's ASCII name (police); refused in one sentence listing them."""
    kinds = _kinds()
    if name in kinds:
        return kinds[name]
    for kind in kinds.values():
        if name in kind.aliases:
            return kind
    raise InvalidInput(f"没有比对来源“{name}”；可选：{'、'.join(kinds)}。", field="source")


def _finding_rows(comparison_id: str, records: list[Record]) -> list[ComparisonFinding]:
    """The rows to store for the findings of a run (one per finding)."""
    sentence, who_of = dc.sentence, dc.who_of
    out = []
    for row, sheet_row, match, person, number, name, said in records:
        who = who_of(name, row, person)
        for code, value in said:
            out.append(
                ComparisonFinding(
                    comparison_id=comparison_id,
                    household_id=person.household_id if person is not None else "",
                    member_id=person.member_id if person is not None else "",
                    row=row,
                    sheet_row=sheet_row,
                    id_number=number or "",
                    name=name,
                    match=match,
                    code=code,
                    text=sentence(code, who, person, value),
                )
            )
    return out


class ResultRows(MadeWhenRead[ResultRow]):
    """A run's rows, each made when first read from its :data:`Record`.

    A 100,000-row list has as many rows, most of them saying nothing; making a ResultRow (and the
    sentence of each finding) for all of them cost more than matching them. The 比对 page and the
    command line read them all the same, as a list would give them."""

    def __init__(
        self,
        records: Sequence[Record],
        shown: Callable[[str], str],
        stored: dict[tuple[int, str], FindingView] | None = None,
    ) -> None:
        self._records = records
        self._shown = shown
        self._stored = stored or {}
        self._made: list[ResultRow | None] = [None] * len(records)

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, i: int) -> ResultRow: ...
    @overload
    def __getitem__(self, i: slice) -> list[ResultRow]: ...
    def __getitem__(self, i: int | slice) -> ResultRow | list[ResultRow]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        made = self._made[i]
        if made is None:
            made = self._made[i] = self._make(self._records[i])
        return made

    def _make(self, record: Record) -> ResultRow:
        row, sheet_row, match, person, number, name, said = record
        findings: list[FindingView] = []
        if said:
            who = dc.who_of(name, row, person)
            stored = self._stored
            for code, value in said:
                view = stored.get((row, code))
                findings.append(view or FindingView("", code, dc.sentence(code, who, person, value), PENDING, ""))
        return ResultRow(
            row=row,
            sheet_row=sheet_row,
            id_number=self._shown(number) if number else number,
            name=name,
            match=match,
            household_id=person.household_id if person is not None else None,
            household_label=person.household_label if person is not None else "",
            findings=findings,
        )


def layout_view(
    raw: sheet_layout.RawSheet, layout: sheet_layout.Layout, required: tuple[str, ...], text: Callable[[Any], str]
) -> LayoutView:
    """What a mapping dialog shows of a file (the comparison's and the ledger import's): the header found,
    the columns mapped and the first data rows as *text* reads them."""
    sample: list[list[str]] = []
    for data in sheet_layout.data_rows(raw.rows, layout):
        sample.append([text(c) for c in raw.rows[data.sheet_row - 1]])
        if len(sample) >= _SAMPLE_ROWS:
            break
    return LayoutView(
        file_name=raw.file_name,
        sheets=raw.sheets,
        sheet=raw.sheet,
        title=layout.title,
        header_rows=layout.header_rows,
        headers=layout.headers,
        mapping=dict(layout.columns),
        unsure=layout.unsure,
        required=required,
        sample=sample,
    )


def synonyms_of(kind: dc.SourceKind) -> dict[str, tuple[str, ...]]:
    common: dict[str, tuple[str, ...]] = dict(sheet_layout.FIELD_SYNONYMS)
    for fld, words in kind.synonyms.items():
        common[fld] = tuple(dict.fromkeys((*words, *common.get(fld, ()))))
    return common


def _headers_key(source: str, headers: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\x1f".join(headers).encode("utf-8")).hexdigest()[:16]
    return f"{_MAPPING_KEY}{source}:{digest}"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a run builds its objects.

    A run makes about a million objects that live until it ends (the sheet's cells, a Person per
    member, a row per line of the list); every few thousand new ones Python would otherwise walk
    them all again, which cost a third of a 100,000-row comparison (bench/compare.py). Reference
    counting still frees what the run drops, and the collector resumes as soon as the run ends."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class ComparisonService(Service):
    # --- what can be compared, and how a file is laid out ---------------------------------------

    def sources(self) -> list[SourceInfo]:
        return [SourceInfo(k.name, k.label, k.description, dict(k.fields)) for k in _kinds().values()]

    def layout(self, path: Path, source: str, sheet: str | None = None) -> LayoutView:
        """What the mapping dialog shows: the header found and the columns mapped (the mapping a
        person chose for this source and these headers before, when there is one)."""
        kind = source_kind(source)
        raw, layout = self._read(path, kind, sheet, None, required=False)
        return layout_view(raw, layout, kind.required, dc.text_of)

    def _read(
        self,
        path: Path,
        kind: dc.SourceKind,
        sheet: str | None,
        mapping: dict[str, int] | None,
        *,
        required: bool = True,
    ) -> tuple[sheet_layout.RawSheet, sheet_layout.Layout]:
        """The file's cells and layout. The header is found before any field is required, so that the
        mapping a person chose for these headers last month applies before the check (a list whose
        name column says 人员 is not refused again every month), and so that the mapping dialog
        (``required=False``) opens for exactly the files that need it."""
        from ..sheets.reader import read_sheet

        raw = read_sheet(Path(path), sheet)
        return raw, self._layout(raw.rows, kind, mapping, required=required)

    def _layout(
        self,
        rows: list[list[sheet_layout.Cell]],
        kind: dc.SourceKind,
        mapping: dict[str, int] | None,
        *,
        required: bool = True,
    ) -> sheet_layout.Layout:
        """The layout of *rows* (as the layout reads them; the first rows are enough), with the
        mapping a person chose for these headers before when none is given."""
        synonyms = synonyms_of(kind)
        if mapping is None:
            found = sheet_layout.detect_layout(rows, synonyms, ())
            remembered = self.db.scalar(
                "SELECT value FROM meta WHERE key = ?", (_headers_key(kind.name, found.headers),)
            )
            if remembered:
                mapping = {field: int(col) for field, col in json.loads(remembered).items()}
        return sheet_layout.detect_layout(rows, synonyms, kind.required if required else (), mapping)

    # --- a run ----------------------------------------------------------------------------------

    @_collector_paused()
    def run(  # noqa: PLR0917 - the 比对 page and the command line call it with these, in this order
        self,
        path: Path,
        source: str,
        sheet: str | None = None,
        month: str | None = None,
        mapping: dict[str, int] | None = None,
        progress: Any = None,
        *,
        on: date | None = None,
    ) -> ComparisonResult:
        """Compare the file with the register and record it (once per file, source and month).

        *on* is the day of the run (today): a comparison counts for a month that has begun and is
        not yet closed."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        kind = source_kind(source)
        month = month or months.of(on or date.today())
        if not months.is_month(month):
            raise InvalidInput(f"月份“{month}”应写作 YYYY-MM。", field="month")
        self._open_month(month, on or date.today())
        raw, index = self._read_with_register(Path(path), sheet, month)
        head = [sheet_layout.as_cells(r) for r in raw.rows[: sheet_layout.HEADER_SCAN_ROWS * 2]]
        layout = self._layout(head, kind, mapping)
        earlier = self.db.scalar(
            "SELECT id FROM comparisons WHERE sha256 = ? AND source = ? AND month = ? AND deleted = 0",
            (raw.sha256, kind.name, month),
        )
        records = compare_rows(kind, raw, head, layout, index, progress)
        # Counted and picked at C speed, without making a Record of each quiet row.
        pending = records.saying()
        summary = dc.summarise(records.matches(), (code for r in pending for code, _ in r[6]))
        # Numbers as this role may see them, masked as each row is made; what is stored below is the
        # whole number.
        shown = (lambda n: n) if self.s.can(permissions.VIEW_FULL_ID) else _masked
        if earlier:
            return self._with_stored(str(earlier), kind, raw.file_name, records, pending, summary, shown)
        if progress is not None:
            progress.update(len(records), len(records), "正在保存比对结果…")
        user = self.s.user.username
        record = Comparison(
            month=month,
            source=kind.name,
            file_name=raw.file_name,
            sha256=raw.sha256,
            sheet=raw.sheet,
            rows_read=len(records),
            summary=summary,
            compared_on=date.today(),
        )
        stored: list[ComparisonFinding] = []
        with self.store.transaction():
            self.store.save(record, user, f"与{kind.name}名单比对")
            stored.extend(_finding_rows(record.id, pending))
            # Made above from a run's own values (a comparison, a code, 待核实, no link): what
            # validate() checks holds by construction, and 30,000 calls of it cost a fifth of a second.
            self.store.bulk_save(stored, user, validate=False)
            self.store.audit(
                user,
                "记录比对结论",
                "comparison_findings",
                record.id,
                {"comparison": record.id, "source": kind.name, "month": month, "findings": len(stored)},
            )
            if mapping is not None:
                self.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (_headers_key(kind.name, layout.headers), json.dumps(mapping, sort_keys=True)),
                )
        views = {(f.row, f.code): FindingView(f.id, f.code, f.text, f.disposition, f.note) for f in stored}
        rows = ResultRows(records, shown, views)
        return ComparisonResult(record.id, kind.name, raw.file_name, len(rows), rows, summary, repeated=False)

    def _read_with_register(
        self, path: Path, sheet: str | None, month: str
    ) -> tuple[sheet_layout.RawSheet, dc.RegisterIndex]:
        """The file's cells as read, and the register index, the two read at once.

        calamine lets go of the interpreter while it parses a sheet (most of a large list's read), so
        the register is read or brought up to date on a thread of its own meanwhile: on a first
        comparison that hides up to the whole of calamine's parse, on a later one the whole of a
        refresh. A refresh starts as calamine begins to parse, not before: the size check before
        it holds the interpreter, and the two would only take turns. It does nothing with the
        database until the other has finished (they share its connection)."""
        from ..sheets.reader import read_sheet

        got: dict[str, Any] = {}
        # Taken here: a session refuses to be used from another thread, and the worker needs only these.
        db, kept = self.db, self._kept_register()

        @_collector_paused()
        def read_register() -> None:
            try:
                got["index"] = kept.index(db, month)
            except BaseException as e:  # noqa: BLE001 - raised again on the caller's thread below
                got["error"] = e

        worker = threading.Thread(target=read_register, name="doudi-register-index", daemon=True)
        started = False

        def start() -> None:
            nonlocal started
            if not started:
                started = True
                worker.start()

        if not kept.loaded:
            start()  # a first read of the register takes longer than the whole of calamine's parse
        try:
            raw = read_sheet(path, sheet, as_read=True, parsing=start)
            start()  # a CSV: nothing to overlap with
        finally:
            if started:
                worker.join()
        if "error" in got:
            raise got["error"]
        return raw, got["index"]

    def _open_month(self, month: str, today: date) -> None:
        """Refuse a comparison for a month already closed (its checklist is frozen) or not yet begun."""
        if month > months.of(today):
            raise InvalidInput(f"{month} 尚未开始，不能为它比对名单。", field="month")
        if self.s.monthly_close.closed(month) is not None:
            raise InvalidInput(f"{month} 已月结，比对请记入下个月。", field="month")

    def _with_stored(  # noqa: PLR0917 - a run's own state, handed on once
        self,
        comparison_id: str,
        kind: dc.SourceKind,
        file_name: str,
        records: Sequence[Record],
        pending: list[Record],
        summary: dict[str, int],
        shown: Callable[[str], str],
    ) -> ComparisonResult:
        """The fresh rows with the stored findings' ids and dispositions (the file was compared before).

        The register may have changed since: a finding the stored run did not have (a death now
        still paid, a person since enrolled) is added to the stored comparison, audited, so that it
        can be disposed like the others; nothing stored is dropped or rewritten."""
        views = {
            (f.row, f.code): FindingView(f.id, f.code, f.text, f.disposition, f.note)
            for f in self.store.repo(ComparisonFinding).where("comparison_id = ?", (comparison_id,))
        }
        new = [finding for finding in _finding_rows(comparison_id, pending) if (finding.row, finding.code) not in views]
        if new:
            user = self.s.user.username
            with self.store.transaction():
                self.store.bulk_save(new, user)
                self.store.audit(
                    user,
                    "补记比对结论",
                    "comparison_findings",
                    comparison_id,
                    {"comparison": comparison_id, "source": kind.name, "findings": len(new)},
                )
            views.update({(f.row, f.code): FindingView(f.id, f.code, f.text, f.disposition, f.note) for f in new})
        rows = ResultRows(records, shown, views)
        return ComparisonResult(comparison_id, kind.name, file_name, len(rows), rows, summary, repeated=True)

    def _mask_result(self, result: ComparisonResult) -> ComparisonResult:
        """ID numbers as this role may see them (masked as on the register unless it may see them whole)."""
        if self.s.can(permissions.VIEW_FULL_ID):
            return result
        # A run's result is masked already (the command line hands it back to export): never twice.
        rows = [
            replace(r, id_number=idnumber.mask(r.id_number)) if r.id_number and "*" not in r.id_number else r
            for r in result.rows
        ]
        return replace(result, rows=rows)

    @_collector_paused()
    def register_index(self, month: str, *, fresh: bool = False) -> dc.RegisterIndex:
        """Every member of the register as the comparison sees it in *month*.

        Kept between runs for the session (:class:`RegisterCache`): the first run reads it in four
        queries, later ones lay over it only what the change log says was written since, and a
        month change touches only the people whose programmes differ. *fresh* reads it anew
        without touching the kept one (what a first run costs)."""
        if fresh:
            return RegisterCache().index(self.db, month)
        return self._kept_register().index(self.db, month)

    def _kept_register(self) -> RegisterCache:
        # The root session is the one its worker threads' twins share, as they share the search index.
        return kept_for(self.s._root)

    def forget_register(self) -> None:
        """Let go of the kept register index (about 110 MB for a county's 133,000 members): the
        next comparison reads it anew. For the idle lock, or when memory matters more."""
        forget(self.s._root)

    # --- the record -----------------------------------------------------------------------------

    def history(self, month: str | None = None) -> list[ComparisonSummary]:
        """The comparisons recorded (one month's, or all), newest first, with their open findings."""
        where, params = ("deleted = 0", ()) if month is None else ("deleted = 0 AND month = ?", (month,))
        open_counts = dict(
            self.db.query(
                "SELECT comparison_id, count(*) FROM comparison_findings WHERE deleted = 0 AND disposition = ? "
                "GROUP BY comparison_id",
                (PENDING,),
            )
        )
        kinds = _kinds()
        # Who compared, as people know them (李主任), not as they sign in (lizhuren).
        names = dict(self.db.query("SELECT username, display_name FROM users WHERE deleted = 0"))
        out = []
        for c in self.store.repo(Comparison).where(where, params, order="updated_at DESC"):
            label = kinds[c.source].label if c.source in kinds else c.source
            out.append(
                ComparisonSummary(
                    id=c.id,
                    source=c.source,
                    source_label=label,
                    file_name=c.file_name,
                    month=c.month,
                    at=c.compared_on.isoformat() if c.compared_on else "",
                    by=names.get(c.updated_by) or c.updated_by,
                    rows_read=c.rows_read,
                    open_findings=int(open_counts.get(c.id, 0)),
                )
            )
        return out

    def result(self, comparison_id: str) -> ComparisonResult:
        """A stored comparison: its rows with findings (see the module's docstring) and its summary."""
        c = self.store.repo(Comparison).get(comparison_id)
        if c is None or c.deleted:
            raise NotFound("没有找到这次比对。")
        labels = self._household_labels()
        by_row: dict[int, ResultRow] = {}
        for f in self.store.repo(ComparisonFinding).where(
            "comparison_id = ?", (comparison_id,), order="row, updated_at"
        ):
            r = by_row.get(f.row)
            if r is None:
                r = by_row[f.row] = ResultRow(
                    row=f.row,
                    sheet_row=f.sheet_row,
                    id_number=f.id_number or None,
                    name=f.name,
                    match=f.match,
                    household_id=f.household_id or None,
                    household_label=labels.get(f.household_id, ""),
                    findings=[],
                )
            r.findings.append(FindingView(f.id, f.code, f.text, f.disposition, f.note))
        rows = [by_row[k] for k in sorted(by_row)]
        return self._mask_result(
            ComparisonResult(c.id, c.source, c.file_name, c.rows_read, rows, dict(c.summary), repeated=False)
        )

    def _household_labels(self) -> dict[str, str]:
        villages = village_names(self.db)
        return {
            hid: f"{villages.get(v, '')}{head}户"
            for hid, v, head in self.db.query("SELECT id, village_code, head_name FROM households WHERE deleted = 0")
        }

    def month_status(self, month: str) -> tuple[int, int]:
        """(comparisons recorded for *month*, their findings not yet handled): the month close's 数据比对
        item. A finding is handled once it is found 不属实 or, found 属实, has been acted on (已处理)."""
        done = self.db.scalar("SELECT count(*) FROM comparisons WHERE deleted = 0 AND month = ?", (month,))
        pending = self.db.scalar(
            "SELECT count(*) FROM comparison_findings f JOIN comparisons c ON c.id = f.comparison_id "
            "WHERE f.deleted = 0 AND c.deleted = 0 AND c.month = ? AND f.disposition IN (?, ?)",
            (month, PENDING, TRUE),
        )
        return int(done or 0), int(pending or 0)

    def month_sources(self, month: str) -> tuple[list[str], list[str]]:
        """(the sources compared for *month*, the shipped sources not compared), each in the kinds' order,
        so the month close shows which departments' lists are missing."""
        compared = {
            s
            for (s,) in self.db.query(
                "SELECT DISTINCT source FROM comparisons WHERE deleted = 0 AND month = ?", (month,)
            )
        }
        kinds = list(_kinds())
        done = [k for k in kinds if k in compared] + sorted(compared - set(kinds))
        return done, [k for k in kinds if k not in compared]

    # --- dispositions ---------------------------------------------------------------------------

    def dispose(
        self, finding_ids: list[str], disposition: str, note: str = "", link: tuple[str, str] | None = None
    ) -> int:
        """Record what a person made of the findings, all of them or (on a refusal) none.

        A finding found 属实 that points at wrong or missed assistance raises an alert (rule
        ``comparison:<code>``) on its household and is linked to it unless another link is given.
        A possible match's other findings are found 属实 only once the match is confirmed (its
        ``confirm_match`` 属实, before or in the same batch). Correcting 属实 to 不属实 (or back) is a
        reviewer's, with a note; corrected to 不属实, the alert the finding raised is closed.
        A link must be a record of the finding's household.
        """
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        if not finding_ids:
            raise InvalidInput("请先选择比对结论。")
        if disposition not in DISPOSITIONS:
            raise InvalidInput(
                f"核实结果“{disposition}”不在可选值中（{'、'.join(DISPOSITIONS)}）。", field="disposition"
            )
        link_kind, link_id = link or ("", "")
        if link_kind and link_kind not in LINK_TABLES:
            raise InvalidInput(f"关联事项“{link_kind}”不在可选值中（{'、'.join(LINK_TABLES)}）。", field="link")
        if disposition == UNTRUE and not note.strip():
            raise InvalidInput("核实为不属实的，须写明核实情况。", field="note")
        if disposition == HANDLED and not (link_kind or note.strip()):
            raise InvalidInput("标记已处理须关联所办的事项（走访、预警、停保或申请），或写明处理情况。", field="note")
        user = self.s.user.username
        today = date.today()
        with self.store.transaction():
            target: Any = None
            if link_kind:
                target = self.store.repo(LINK_TABLES[link_kind]).get(link_id)
                if target is None or target.deleted:
                    raise InvalidInput(f"没有找到要关联的记录 {link_id}。", field="link")
            befores = []
            for i, fid in enumerate(finding_ids, 1):
                before = self.store.repo(ComparisonFinding).get(fid)
                if before is None or before.deleted:
                    raise NotFound(f"所选第 {i} 条比对结论已不存在。")
                befores.append(before)
            confirming = {(f.comparison_id, f.row) for f in befores if f.code == "confirm_match"}
            for i, before in enumerate(befores, 1):
                self._check_step(before, i, disposition, note, confirming=confirming, link=(link_kind, target))
                after = replace(
                    before,
                    disposition=disposition,
                    note=note.strip() or before.note,
                    disposed_on=today,
                    link_kind=link_kind or before.link_kind,
                    link_id=link_id or before.link_id,
                )
                if disposition == TRUE and before.code in dc.ALERTING and before.household_id:
                    alert = self.s.monitoring.raise_alert(
                        household_id=before.household_id,
                        member_id=before.member_id,
                        rule=ALERT_RULE_PREFIX + before.code,
                        level=dc.ALERTING[before.code],
                        message=before.text,
                        on=today,
                    )
                    if not link_kind:
                        after = replace(after, link_kind="alert", link_id=alert.id)
                if before.disposition == TRUE and disposition == UNTRUE:
                    self._close_alert(before, note.strip(), today)  # the link stays: the closed alert explains
                self.store.save(after, user, f"比对结论核实为{disposition}", before=before)
        return len(finding_ids)

    def _check_step(
        self,
        before: ComparisonFinding,
        i: int,
        disposition: str,
        note: str,
        *,
        confirming: set[tuple[str, int]],
        link: tuple[str, Any],
    ) -> None:
        """Refuse, in one sentence naming the selection's *i*-th finding, a step :meth:`dispose` may not take."""
        link_kind, target = link
        what = f"所选第 {i} 条结论（第 {before.sheet_row} 行 {before.name}）"
        if disposition not in _NEXT[before.disposition]:
            raise InvalidInput(_refusal(what, before.disposition, disposition), item=i - 1)
        correction = (before.disposition, disposition) in _CORRECTIONS
        if correction and not self.s.can(permissions.APPROVE_ENROLMENT):
            raise InvalidInput(f"{what}已核实为“{before.disposition}”，改为“{disposition}”须由审核人更正。", item=i - 1)
        if correction and not note.strip():
            raise InvalidInput(f"更正{what}的核实结果须写明更正理由。", field="note", item=i - 1)
        if (
            disposition == TRUE
            and before.match == dc.POSSIBLE_MATCH
            and before.code != "confirm_match"
            and (before.comparison_id, before.row) not in confirming
            and not self._confirmed(before)
        ):
            raise InvalidInput(f"{what}的身份尚未确认：请先将“待确认身份”核实为属实。", item=i - 1)
        if target is not None and not self._belongs(target, link_kind, before):
            raise InvalidInput(f"关联的记录不属于{what}所在的户。", field="link", item=i - 1)

    def _confirmed(self, f: ComparisonFinding) -> bool:
        """Whether the possible match of *f*'s row was confirmed (its confirm_match found 属实)."""
        return bool(
            self.db.scalar(
                "SELECT count(*) FROM comparison_findings WHERE deleted = 0 AND comparison_id = ? AND row = ? "
                "AND code = 'confirm_match' AND disposition IN (?, ?)",
                (f.comparison_id, f.row, TRUE, HANDLED),
            )
        )

    def _belongs(self, target: Any, link_kind: str, f: ComparisonFinding) -> bool:
        """Whether the record linked is the finding's household's (or, for a person not in the register,
        a household that has since taken in that person's ID number)."""
        household = target.id if link_kind == "household" else target.household_id
        if f.household_id:
            return bool(household == f.household_id)
        if not f.id_number:
            return False
        return any(
            m.id_number == f.id_number and not m.deleted
            for m in self.store.repo(Member).where("household_id = ?", (household,))
        )

    def _close_alert(self, f: ComparisonFinding, note: str, today: date) -> None:
        """Close the alert a finding raised once it is corrected to 不属实, unless another finding still
        found true stands behind the same alert."""
        if f.link_kind == "alert" and f.link_id:
            alert_id = f.link_id
        else:
            alert_id = self.db.scalar(
                "SELECT id FROM alerts WHERE deleted = 0 AND status != 'closed' AND household_id = ? "
                "AND member_id = ? AND rule = ?",
                (f.household_id, f.member_id, ALERT_RULE_PREFIX + f.code),
            )
        if not alert_id:
            return
        alert = self.store.repo(Alert).get(str(alert_id))
        if alert is None or alert.deleted or alert.status == "closed" or not alert.rule.startswith(ALERT_RULE_PREFIX):
            return
        others = self.db.scalar(
            "SELECT count(*) FROM comparison_findings WHERE deleted = 0 AND id != ? AND link_kind = 'alert' "
            "AND link_id = ? AND disposition IN (?, ?)",
            (f.id, alert.id, TRUE, HANDLED),
        )
        if others:
            return
        self.s.monitoring.close(alert.id, f"比对结论更正为不属实：{note}", on=today)

    # --- the workbook ---------------------------------------------------------------------------

    def export(self, comparison_id: str, path: Path, result: ComparisonResult | None = None) -> Path:
        """The comparison as an Excel workbook (IDs as text, rows with findings highlighted), written
        atomically. *result* is a run's full result; without it, the stored rows with findings."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        result = self._mask_result(result) if result is not None else self.result(comparison_id)
        path = Path(path)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("比对结果")
        kind_label = _kinds()[result.source].label if result.source in _kinds() else result.source
        ws.append([f"与{kind_label}名单比对：{result.file_name}（{result.rows_read} 行）"])
        bold = Font(bold=True)
        headers = ["序号", "表格行号", "身份证号", "姓名", "比对结果", "所在户", "结论", "说明", "核实结果", "核实情况"]
        ws.append([_styled(ws, h, font=bold) for h in headers])
        fill = PatternFill("solid", fgColor="FFF2CC")
        for r in result.rows:
            lines: list[FindingView | None] = list(r.findings) or [None]
            for f in lines:
                values: list[Any] = [
                    r.row,
                    r.sheet_row,
                    r.id_number or "",
                    r.name,
                    dc.MATCH_LABELS.get(r.match, r.match),
                    r.household_label,
                    dc.FINDINGS[f.code][0] if f is not None and f.code in dc.FINDINGS else "",
                    f.text if f is not None else "",
                    f.disposition if f is not None else "",
                    f.note if f is not None else "",
                ]
                cells = []
                for col, v in enumerate(values):
                    cell = WriteOnlyCell(ws, value=v)
                    if col == _ID_COLUMN:
                        cell.number_format = "@"  # text: an 18-digit number would lose its last digits
                    if f is not None:
                        cell.fill = fill
                    cells.append(cell)
                ws.append(cells)
        ws.append([])
        ws.append(["汇总"])
        for key, count in result.summary.items():
            label = dc.MATCH_LABELS.get(key) or (dc.FINDINGS[key][0] if key in dc.FINDINGS else key)
            ws.append([label, count])
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".doudi-", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            wb.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return path


def _masked(number: str) -> str:
    """idnumber.mask() of a number as repair() gives it (18 ASCII characters), without cleaning it
    again character by character: a list has 100,000 of them. Anything else goes to mask()."""
    if len(number) == idnumber.LENGTH and number.isascii() and number[:-1].isdigit() and number[-1] in _CHECK:
        head, tail = idnumber.MASK_KEEP_HEAD, idnumber.MASK_KEEP_TAIL
        return number[:head] + "*" * (idnumber.LENGTH - head - tail) + number[-tail:]
    return idnumber.mask(number)


_CHECK = frozenset("0123456789X")


def _styled(ws: Any, value: Any, **style: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def _refusal(what: str, now: str, wanted: str) -> str:
    if wanted == HANDLED:
        return f"{what}现为“{now}”，须先核实为属实，才能标记已处理。"
    if now == HANDLED:
        return f"{what}已处理，不能再改为“{wanted}”。"
    if wanted == PENDING:
        return f"{what}已核实为“{now}”，不能改回待核实。"
    return f"{what}已是“{now}”。"
