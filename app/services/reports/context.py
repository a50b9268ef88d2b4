"""What a report is in the catalogue (:class:`ReportKind`), what is asked of it (:class:`ReportRequest`),
and what its builder is handed (:class:`ReportContext`): the session to read through, the checked request, its spec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...domain.report import Document, Orientation

if TYPE_CHECKING:
    from ...domain.report import ReportSpec
    from ..session import Session


@dataclass(frozen=True)
class ReportRequest:
    name: str
    month: str
    programme: str | None = None
    village: str | None = None
    household: str | None = None
    options: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ReportKind:
    """One report of the catalogue, as its builder module declares it."""

    name: str  # on the command line: roster, payment-roster, …
    label: str  # the paper's Chinese name, as in the 报表 page's list (reports are Chinese, like the paper)
    build: Callable[[ReportContext], Document]
    # The programmes it can be asked for; empty when it is not per programme.
    programmes: tuple[str, ...] = ()
    # Whether it needs a programme (the roster of *which* programme) or takes all when none is given.
    needs_programme: bool = False
    # False where the builder does not filter by programme: a programme asked of it would be silently
    # ignored, so it is refused instead.
    uses_programme: bool = True
    uses_village: bool = True
    needs_village: bool = False
    uses_household: bool = False
    needs_household: bool = False
    # The bank's payment roster is printed only from a locked roster (审核锁定, or a closed month).
    needs_closed_month: bool = False
    # Extra switches, e.g. ("masked_id",) for the 公示 list, ("blank",) for the blank survey form.
    options: tuple[str, ...] = ()
    description: str = ""


@dataclass
class ReportContext:
    s: Session
    request: ReportRequest
    spec: ReportSpec
    progress: Any = None

    @property
    def township(self) -> str:
        """The office's name as it heads the paper (泾河源镇)."""
        return self.s.office.name

    @property
    def month_label(self) -> str:
        """2026-11 → 2026年11月."""
        year, month = self.request.month.split("-")
        return f"{year}年{int(month)}月"

    def step(self, done: int, total: int, label: str) -> None:
        """Report progress to the op (which may raise Cancelled between steps: builders only read)."""
        if self.progress is not None:
            self.progress.update(done, total, label)

    def document(self, title: str | None = None, subtitle: str = "", **kwargs: Any) -> Document:
        """An empty document with the spec's title (prefixed with township and month), orientation,
        footer and font scale; builders add their blocks."""
        spec = self.spec
        programme = self.request.programme or ""
        heading = title if title is not None else f"{self.township}{self.month_label}{programme}{spec.title}"
        kwargs.setdefault("orientation", spec.orientation or Orientation.PORTRAIT)
        kwargs.setdefault("footer", spec.footer)
        kwargs.setdefault("font_scale", spec.font_scale)
        return Document(name=spec.name, title=heading, subtitle=subtitle, **kwargs)
