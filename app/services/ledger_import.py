"""Importing the Excel ledgers townships keep today (花名册, 台账; issue 12, point 6).

Adopting Doudi must not mean retyping thousands of rows. :meth:`LedgerImportService.plan` is the
dry run: it reads the ledger, forms households, checks every person with the household editor's
rules and says what would be created and updated, naming every row it cannot take and why; it
writes nothing. :meth:`LedgerImportService.apply` does the same inside one transaction and saves
through the store (change log and audit), so the import is synced and audited like any edit.
Importing the same file again finds its people by ID number and changes nothing; a row that cannot
be imported never blocks the others, and :meth:`export_invalid` writes those rows to fix and
import again. The parts are in app/services/ledger/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import idnumber, sheet_layout
from ..domain.entities import PROGRAMMES, Enrolment, Household, Member
from ..domain.idnumber import mask
from ..domain.report import yuan
from ..errors import InvalidInput
from . import permissions
from .base import Service
from .comparison import LayoutView, layout_view
from .ledger import export, fields
from .ledger.grouping import LedgerHousehold, LedgerRow, group_rows, read_member
from .ledger.matching import Draft, Drafts, Matcher, differences

__all__ = ["InvalidRow", "LayoutView", "LedgerImportService", "LedgerPlan"]

AUDIT_ACTION = "导入台账"
# Files that hold text, not typed cells: what they show of a number is all there is.
TEXT_FILES = (".csv", ".txt", ".tsv")
_PROGRESS_EVERY = 1000
_SAMPLE_ROWS = 5


def ledger_synonyms() -> dict[str, tuple[str, ...]]:
    """The common header synonyms with the ledger's own fields. A 救助类型 column holds 农村低保 in a
    ledger, so the words that name a programme leave the 分类施保 class's list."""
    programme_words = set(fields.LEDGER_SYNONYMS["programme"])
    common = {
        k: tuple(w for w in v if w not in programme_words) if k == "class" else v
        for k, v in sheet_layout.FIELD_SYNONYMS.items()
    }
    return {**common, **fields.LEDGER_SYNONYMS}


@dataclass(frozen=True)
class InvalidRow:
    row: int  # data rows counted from 1 under the header
    sheet_row: int  # the row number the clerk sees in WPS
    reason: str


# The register's field names as a clerk knows them, for the list of changes.
FIELD_LABELS = {
    "name": "姓名",
    "relation": "与户主关系",
    "head_name": "户主",
    "village_code": "村",
    "group_name": "村民小组",
    "address": "住址",
    "phone": "联系电话",
    "bank_name": "开户银行",
    "bank_account": "银行账号",
    "monthly_amount_fen": "月保障金（元）",
    "class_code": "保障类别",
    "persons_covered": "保障人数",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "disability_cert": "残疾证号",
    "ethnicity": "民族",
    "health": "健康状况",
    "labour_ability": "劳动能力",
    "notes": "备注",
    "urban": "城镇",
}


def _blank(value: Any) -> str:
    return "（空）" if value is None or value == "" else str(value)


@dataclass(frozen=True)
class RowChange:
    """One registered row the import changes (``fields``: name → [old, new]) or an enrolment it
    cannot record for this user (``fields`` empty, ``amount`` the ledger's)."""

    row: int
    sheet_row: int
    who: str  # a person with a masked ID number, or a household by its head
    fields: dict[str, list[Any]] = field(default_factory=dict)
    warning: str = ""
    programme: str = ""
    amount: str = ""  # 元, for withheld enrolments

    def describe(self) -> str:
        """One line for a person: 马建军（640424********1234）：姓名：马建军 → 马建军改 …"""
        changes = "；".join(
            f"{FIELD_LABELS.get(k, k)}：{_blank(old)} → {_blank(new)}" for k, (old, new) in self.fields.items()
        )
        return f"{self.who}：{changes}" + (f"（{self.warning}）" if self.warning else "")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "sheet_row": self.sheet_row, "who": self.who}
        if self.fields:
            out["fields"] = {k: list(v) for k, v in self.fields.items()}
        if self.programme:
            out["programme"] = self.programme
        if self.amount:
            out["amount"] = self.amount
        if self.warning:
            out["warning"] = self.warning
        return out


@dataclass
class LedgerPlan:
    """What an import would do (``done`` False) or did (``done`` True)."""

    file_name: str
    households: int  # the ledger's households that can be imported
    members: int  # the rows (people) that can be imported
    would_create: int  # register rows (households, members, enrolments) new
    would_update: int  # register rows changed
    invalid_rows: list[InvalidRow]
    done: bool = False
    sheet: str = ""
    sha256: str = ""
    programme: str = ""
    created: dict[str, int] = field(default_factory=dict)  # per table
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    updates: list[RowChange] = field(default_factory=list)
    amount_changes: list[RowChange] = field(default_factory=list)  # approved amounts the import changes
    withheld: list[RowChange] = field(default_factory=list)  # enrolments left for a reviewer to import
    notes: list[str] = field(default_factory=list)
    rejected: export.Rejected = field(default_factory=export.Rejected, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "sheet": self.sheet,
            "programme": self.programme,
            "done": self.done,
            "households": self.households,
            "members": self.members,
            "would_create": self.would_create,
            "would_update": self.would_update,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": self.unchanged,
            "updates": [u.as_dict() for u in self.updates],
            "amount_changes": [u.as_dict() for u in self.amount_changes],
            "withheld_enrolments": [u.as_dict() for u in self.withheld],
            "notes": list(self.notes),
            "invalid_rows": [{"row": r.row, "sheet_row": r.sheet_row, "reason": r.reason} for r in self.invalid_rows],
        }


class _Steps:
    def __init__(self, progress: Any) -> None:
        self.progress = progress

    def __call__(self, done: int | None, total: int | None, label: str) -> None:
        if self.progress is not None:
            self.progress.update(done, total, label)


class LedgerImportService(Service):
    def layout(self, path: Path, sheet: str | None = None) -> LayoutView:
        """What the wizard's mapping step shows: the header found and the columns mapped."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        raw, layout = self._read(path, sheet, None)
        return layout_view(raw, layout, fields.REQUIRED, fields.text)

    def plan(
        self,
        path: Path,
        sheet: str | None = None,
        mapping: dict[str, int] | None = None,
        programme: str | None = None,
        progress: Any = None,
    ) -> LedgerPlan:
        """The dry run: what :meth:`apply` would do with this file, writing nothing."""
        return self._run(path, sheet, mapping, programme, progress, write=False)

    def apply(
        self,
        path: Path,
        sheet: str | None = None,
        mapping: dict[str, int] | None = None,
        programme: str | None = None,
        progress: Any = None,
    ) -> LedgerPlan:
        """Import the ledger in one transaction; the rows that cannot be imported are listed, not fatal."""
        return self._run(path, sheet, mapping, programme, progress, write=True)

    def export_invalid(self, plan: LedgerPlan, path: Path) -> Path:
        """The plan's refused rows, with their reasons, as a workbook to fix and import again."""
        if not plan.invalid_rows:
            raise InvalidInput("没有未导入的行，无需导出。", field="out")
        full = permissions.allowed(self.s.user, permissions.VIEW_FULL_ID)
        return export.write(plan.rejected, Path(path), mask_ids=not full)

    # --- the run ---------------------------------------------------------------------------------

    def _run(
        self,
        path: Path,
        sheet: str | None,
        mapping: dict[str, int] | None,
        programme: str | None,
        progress: Any,
        *,
        write: bool,
    ) -> LedgerPlan:
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        if self.s.office.kind != "township":
            raise InvalidInput("台账导入只在乡镇使用：户档案由乡镇登记。")
        if programme and programme not in PROGRAMMES:
            raise InvalidInput(f"没有“{programme}”这个救助项目（可选：{'、'.join(PROGRAMMES)}）。", field="programme")
        step = _Steps(progress)
        step(None, None, "读取台账…")
        raw, layout = self._read(path, sheet, mapping)
        default_programme = programme or fields.programme(layout.title)
        data = list(sheet_layout.data_rows(raw.rows, layout))
        if not data:
            raise InvalidInput(f"“{raw.file_name}”的表头下面没有数据行。", field="file")
        has_relation = "relation" in layout.columns
        # The ID column as a whole: a number ending in 000 beside numbers that lost their digits (or in a
        # CSV, which holds what a spreadsheet showed) lost its digits too.
        ids = idnumber.repair_column(
            [d.values.get("id_number") for d in data], text_file=raw.file_name.lower().endswith(TEXT_FILES)
        )
        rows = []
        for i, (d, fixed) in enumerate(zip(data, ids, strict=True), start=1):
            rows.append(read_member(d, has_relation, fixed))
            if i % _PROGRESS_EVERY == 0:
                step(i, len(data), "核对成员…")
        groups = group_rows(rows, layout.columns)
        step(len(data), len(data), "比对户档案…")
        amount_col = layout.columns.get("amount")
        amount_header = layout.headers[amount_col] if amount_col is not None else ""
        matcher = Matcher(self.s, default_programme, layout.columns, amount_header, f"{layout.title} {layout.unit}")
        if write:
            with self.store.transaction():
                drafts = matcher.drafts(groups)
                if drafts.touches_enrolments:  # the matcher withholds them otherwise; never write one unapproved
                    permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)
                step(len(data), len(data), "写入…")
                drafts.write(self.store, self.s.user.username, raw.file_name)
                plan = self._plan(raw, layout, default_programme, groups, drafts, done=True)
                self.store.audit(
                    self.s.user.username,
                    AUDIT_ACTION,
                    "",
                    "",
                    {
                        "file": raw.file_name,
                        "sheet": raw.sheet,
                        "sha256": raw.sha256,
                        "created": plan.created,
                        "updated": plan.updated,
                        "invalid_rows": len(plan.invalid_rows),
                    },
                )
            return plan
        return self._plan(raw, layout, default_programme, groups, matcher.drafts(groups), done=False)

    def _read(
        self, path: Path, sheet: str | None, mapping: dict[str, int] | None
    ) -> tuple[sheet_layout.RawSheet, sheet_layout.Layout]:
        from ..sheets.reader import read_sheet

        raw = read_sheet(Path(path), sheet)
        return raw, sheet_layout.detect_layout(raw.rows, ledger_synonyms(), fields.REQUIRED, mapping)

    def _plan(
        self,
        raw: sheet_layout.RawSheet,
        layout: sheet_layout.Layout,
        programme: str,
        groups: list[LedgerHousehold],
        drafts: Drafts,
        *,
        done: bool,
    ) -> LedgerPlan:
        create, update, same = drafts.counts()
        bad = sorted((r for g in groups for r in g.rows if r.reason), key=lambda r: r.data.row)
        rejected = export.Rejected(
            headers=layout.headers,
            columns=dict(layout.columns),
            programme=programme,
            rows=[(list(raw.rows[r.data.sheet_row - 1]), r.reason) for r in bad],
        )
        updates = [_update(row, d) for row, d in drafts.updates()]
        withheld = [_withheld(row, d) for d, row in drafts.withheld]
        notes = []
        if withheld:
            notes.append(
                f"保障金额在审批时确定：台账中 {len(withheld)} 条救助登记（新纳入或金额改变）"
                "未导入，请由审核人运行导入来登记。"
            )
        return LedgerPlan(
            file_name=raw.file_name,
            households=len(drafts.households),
            members=sum(len(h.members) for h in drafts.households),
            would_create=sum(create.values()),
            would_update=sum(update.values()),
            invalid_rows=[InvalidRow(r.data.row, r.data.sheet_row, r.reason) for r in bad],
            done=done,
            sheet=raw.sheet,
            sha256=raw.sha256,
            programme=programme,
            created=create,
            updated=update,
            unchanged=same,
            updates=updates,
            amount_changes=[u for u in updates if "monthly_amount_fen" in u.fields],
            withheld=withheld,
            notes=notes,
            rejected=rejected,
        )


def _who(obj: Any) -> str:
    if isinstance(obj, Member):
        return f"{obj.name}（{mask(obj.id_number)}）"
    if isinstance(obj, Household):
        return f"户主 {obj.head_name} 户"
    return ""


def _update(row: LedgerRow, draft: Draft) -> RowChange:
    changes = differences(draft)
    before = draft.before
    warning = ""
    programme = ""
    if isinstance(before, Member) and "name" in changes:
        old, new = changes["name"]
        warning = f"已登记的{old}在台账中写作“{new}”：姓名改变多半是笔误，请核对后再导入。"
    who = _who(before)
    if isinstance(before, Enrolment):
        programme = before.programme
        who = f"{_head(row)}的{programme}"
    return RowChange(row.data.row, row.data.sheet_row, who, changes, warning, programme)


def _withheld(row: LedgerRow, draft: Draft) -> RowChange:
    enrolment = draft.obj
    assert isinstance(enrolment, Enrolment)
    fields_ = differences(draft) if draft.before is not None else {}
    return RowChange(
        row.data.row,
        row.data.sheet_row,
        f"{_head(row)}的{enrolment.programme}",
        fields_,
        programme=enrolment.programme,
        amount=yuan(enrolment.monthly_amount_fen),
    )


def _head(row: LedgerRow) -> str:
    return row.member.name if row.member is not None else ""
