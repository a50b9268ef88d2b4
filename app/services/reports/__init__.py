"""The standard papers a township prints (issue 11): one service, one catalogue, one door.

Each report is a :class:`ReportKind` declared by the module that builds it (``rosters``,
``changes``, ``publicity``, ``forms``, ``stats``, ``care``): its name on the command line, its
label in the 报表 page, what it needs (a programme, a village, a household, a closed month) and
the function that reads the register into a :class:`~app.domain.report.Document`. The columns,
title, signature lines and footer come from the report's data file (``specs.py``), so a county
can adjust them without code.

:meth:`ReportService.build` refuses a request it cannot honour with one sentence
(:class:`~app.errors.InvalidInput`, exit 2 on the command line): an unknown name, a month that
is not closed when the report needs the locked roster, a village of another township, a
household that is not in the register. Building only reads; rendering (``app/reports/``) is the
caller's, so the page's preview, its printer and its 另存为 all draw the same document.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ...domain import idnumber
from ...domain.divisions import is_county_code
from ...domain.entities import PROGRAMMES
from ...domain.ownership import village_in_township
from ...domain.report import Document, ReportSpec
from ...errors import InvalidInput
from ..base import Service
from . import care, changes, forms, publicity, rosters, stats
from .context import ReportContext, ReportKind, ReportRequest
from .specs import load_spec

__all__ = [
    "KINDS",
    "ReportContext",
    "ReportKind",
    "ReportRequest",
    "ReportService",
    "default_file_name",
    "looks_like_id_number",
]

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
# 15 to 18 characters of digits (the last may be X): what a clerk types as an ID number, typos included.
_ID_LIKE = re.compile(r"\d{14,17}[\dX]")
KINDS: dict[str, ReportKind] = {
    kind.name: kind for module in (rosters, changes, publicity, forms, stats, care) for kind in module.KINDS
}


class ReportService(Service):
    def catalogue(self) -> list[ReportKind]:
        return list(KINDS.values())

    def kind(self, name: str) -> ReportKind:
        kind = KINDS.get(name)
        if kind is None:
            raise InvalidInput(f"没有名为「{name}」的报表；可用的报表：{'、'.join(KINDS)}。", field="name")
        return kind

    def spec(self, name: str) -> ReportSpec:
        return load_spec(self.kind(name).name, self.s.paths.data_dir)

    def build(self, request: ReportRequest, progress: Any = None) -> Document:
        """The document for *request*, read from the register; refused in one sentence when it cannot be made."""
        kind = self.kind(request.name)
        request = self._checked(kind, request)
        spec = self.spec(kind.name)
        doc = kind.build(ReportContext(self.s, request, spec, progress))
        doc.source = doc.source or spec.source
        return doc

    def checked(self, request: ReportRequest) -> ReportRequest:
        """*request* as :meth:`build` will honour it: refused in one sentence, or with its programme
        filled in and its household resolved to the household's id (a member's ID number given at the
        command line never goes further, e.g. into a file name)."""
        return self._checked(self.kind(request.name), request)

    def _checked(self, kind: ReportKind, request: ReportRequest) -> ReportRequest:
        if not _MONTH.fullmatch(request.month or ""):
            raise InvalidInput(f"月份「{request.month}」应写作 YYYY-MM，例如 2026-11。", field="month")
        request = self._with_programme(kind, request)
        if request.village:
            if not kind.uses_village:
                raise InvalidInput(f"{kind.label}不按村出具。", field="village")
            self._check_village(request.village)
        elif kind.needs_village:
            raise InvalidInput(f"{kind.label}需要选定一个村（--village 村代码）。", field="village")
        unknown = set(request.options) - set(kind.options)
        if unknown:
            raise InvalidInput(f"{kind.label}没有「{min(unknown)}」这个选项。", field="options")
        if request.household:
            if not kind.uses_household:
                raise InvalidInput(f"{kind.label}不按户出具。", field="household")
            request = replace(request, household=self._household_id(request.household))
        elif kind.needs_household and "blank" not in request.options:
            raise InvalidInput(f"{kind.label}需要选定一户（--household 户编号）。", field="household")
        if kind.needs_closed_month and not (
            self.s.monthly_close.closed(request.month) or self.s.payments.is_approved(request.month)
        ):
            raise InvalidInput(
                f"{request.month} 的发放名册尚未审核锁定：{kind.label}只能从锁定的名册打印，请先审核锁定或完成月结。",
                field="month",
            )
        return request

    @staticmethod
    def _with_programme(kind: ReportKind, request: ReportRequest) -> ReportRequest:
        if request.programme:
            if request.programme not in PROGRAMMES:
                raise InvalidInput(f"没有「{request.programme}」这个救助项目。", field="programme")
            if not kind.uses_programme:
                raise InvalidInput(f"{kind.label}不按救助项目出具。", field="programme")
            if kind.programmes and request.programme not in kind.programmes:
                raise InvalidInput(
                    f"{kind.label}只用于{'、'.join(kind.programmes)}，不用于{request.programme}。", field="programme"
                )
            return request
        if not kind.needs_programme:
            return request
        if len(kind.programmes) == 1:
            return replace(request, programme=kind.programmes[0])
        raise InvalidInput(f"{kind.label}需要选定救助项目（{'、'.join(kind.programmes)}）。", field="programme")

    def _household_id(self, given: str) -> str:
        """The household *given* names: its id, or the ID number of one of its living members (what a
        clerk has at hand at the command line; the page passes the id)."""
        if self.db.scalar("SELECT 1 FROM households WHERE id = ? AND deleted = 0", (given,)):
            return given
        if idnumber.is_valid(given):
            found = self.db.scalar(
                "SELECT m.household_id FROM members m JOIN households h ON h.id = m.household_id "
                "WHERE m.id_number = ? AND m.deleted = 0 AND h.deleted = 0",
                (idnumber.normalize(given),),
            )
            if found:
                return str(found)
            raise InvalidInput("登记中没有这个身份证号的成员。", field="household")
        if looks_like_id_number(given):
            # Never echo an ID number (a mistyped one is still a person's): the terminal and logs keep it.
            raise InvalidInput("登记中没有这个身份证号的成员。", field="household")
        raise InvalidInput(f"登记中没有编号为 {given} 的家庭。", field="household")

    def _check_village(self, code: str) -> None:
        office = self.store.office_code
        row = self.db.query("SELECT name FROM divisions WHERE code = ? AND level = 'village'", (code,))
        if not row:
            raise InvalidInput(f"没有代码为 {code} 的村。", field="village")
        # A county prints for any of its townships' villages; a township for its own only.
        inside = code[:6] == office[:6] if is_county_code(office) else village_in_township(code, office)
        if not inside:
            raise InvalidInput(f"{row[0][0]}（{code}）不属于{self.store.office_name(office)}。", field="village")


def looks_like_id_number(text: str) -> bool:
    """Whether *text* is shaped like an ID number (15 to 18 digits, the last maybe X), valid or not."""
    return bool(_ID_LIKE.fullmatch(idnumber.clean(text)))


def default_file_name(request: ReportRequest, suffix: str) -> str:
    """A clear default name for a saved report, e.g. ``roster-2026-11-低保.pdf``.

    Give it the :meth:`ReportService.checked` request: its household is the household's id, whose
    first characters name the file. Anything shaped like an ID number is left out of the name.
    """
    household = request.household if request.household and not looks_like_id_number(request.household) else None
    extras = (request.programme, request.village, household and household[:8])
    parts = [request.name, request.month, *(extra for extra in extras if extra)]
    if "blank" in request.options:
        parts.append("blank")
    return "-".join(parts) + suffix
