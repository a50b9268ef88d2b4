"""What a report builder is handed: the session to read through, the checked request, its spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...domain.report import Document, Orientation

if TYPE_CHECKING:
    from ...domain.report import ReportSpec
    from ..session import Session
    from . import ReportRequest


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
