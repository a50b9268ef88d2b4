"""乡镇概况: the county's first page (county mode). One row per township: when its last package
came in and whether the next is late, how many households and persons it supports, whether its
month is closed, its overdue visits and rows held in quarantine. Double-click opens nothing yet:
the township's rows are in 户档案, read-only here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout

from ...services.county import CountyOverview, TownshipStatus
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import CENTER, RIGHT, Col, ListTableModel, error_sentence, page_title, setup_table
from ..widgets.tables import fit_headers
from .base import Page

__all__ = ["CountyOverviewPage"]

LATE = "#b03a2e"
C = "CountyOverviewPage"


def _pair(t: TownshipStatus, programme: str) -> str:
    households, persons = t.supported.get(programme, (0, 0))
    return f"{households} / {persons}"


class CountyOverviewPage(Page):
    # Everything a township's package brings in can change a figure here.
    tables = frozenset({"packages", "households", "enrolments", "month_closes", "visits", "quarantine"})

    def __init__(self, session, parent=None, today: Callable[[], date] | None = None):
        super().__init__(session, parent)
        self.today = today
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        bar.addWidget(page_title(self.tr("Townships")))
        bar.addSpacing(16)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        self.model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("CountyOverviewPage", "Township"), lambda t: t.name, context=C),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Last package"),
                    lambda t: t.last_package_at[:16].replace("T", " ") or self.tr("never"),
                    CENTER,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Package"),
                    lambda t: self.tr("late") if t.package_overdue else self.tr("on time"),
                    CENTER,
                    context=C,
                    color=lambda t: LATE if t.package_overdue else None,
                ),
                Col(QT_TRANSLATE_NOOP("CountyOverviewPage", "Households"), lambda t: t.households, RIGHT, context=C),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Dibao households / persons"),
                    lambda t: _pair(t, "低保"),
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Tekun households / persons"),
                    lambda t: _pair(t, "特困"),
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "This month"),
                    lambda t: (
                        self.tr("closed %1").replace("%1", t.month_closed_on) if t.month_closed_on else self.tr("open")
                    ),
                    CENTER,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Overdue visits"),
                    lambda t: t.overdue_visits,
                    RIGHT,
                    context=C,
                    color=lambda t: LATE if t.overdue_visits else None,
                ),
                Col(
                    QT_TRANSLATE_NOOP("CountyOverviewPage", "Quarantined rows"),
                    lambda t: t.open_quarantine,
                    RIGHT,
                    context=C,
                    color=lambda t: LATE if t.open_quarantine else None,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch=0)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        today = self.today() if self.today is not None else None
        self.read(lambda s, _p: s.county.overview(today)).success(self._show).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def _show(self, overview: CountyOverview) -> None:
        self.model.set_rows(overview.townships)
        self.table.resizeColumnsToContents()
        fit_headers(self.table)
        late = len(overview.late)
        self.summary.setText(
            self.tr("%1 townships; %2 late with their package for %3.")
            .replace("%1", str(len(overview.townships)))
            .replace("%2", str(late))
            .replace("%3", overview.month)
        )
