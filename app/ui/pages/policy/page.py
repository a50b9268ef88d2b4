"""政策参数 page: the dated policy figures in force for a month, and the periods that set them.

docs/domain.md §1.2 and docs/architecture.md §3.4: figures the research could not confirm ship
as dated parameters marked ``unconfirmed``; this page shows them in orange so the county bureau can replace them. The
county or an administrator adds a period ("Add period…"): one or more figures with an
effective date and the document number (文号) that sets them. The page shows what the policy
book (read in an op) holds for the month chosen, and hands new figures to a write op through
:class:`AddPeriodDialog`; it computes nothing itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ....domain.policy.params import PolicyBook, PolicyError
from ....errors import DoudiError
from ....services import permissions
from ...i18n import QT_TRANSLATE_NOOP
from ...widgets import (
    CENTER,
    RIGHT,
    WARN_COLOR,
    Col,
    ListTableModel,
    error_sentence,
    fit_columns,
    month_header,
    open_dialog,
    setup_table,
    table_item,
)
from ..base import Page
from .add_period_dialog import AddPeriodDialog, NewPeriod
from .figures_table import TITLES, figure_name, format_value, source_text

__all__ = ["PolicyPage"]

UNCONFIRMED_BG = "#fdebd0"


class _Row:
    def __init__(self, key: str, item: Any, value_text: str, source_note: str):
        self.key = key
        self.item = item
        self.value_text = value_text
        self.source_note = source_note


class PolicyPage(Page):
    tables = frozenset({"policy_periods"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.book: PolicyBook | None = None
        self.params = None
        self._complained = False
        self.dialog: AddPeriodDialog | None = None
        self.can_edit = session.can(permissions.COUNTY_DECIDE) or session.can(permissions.MANAGE_USERS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar, self.month = month_header(self.tr("Policy parameters"), self.tr("Figures in force in:"))
        self.month.month_changed.connect(lambda _m: self.show_month())
        bar.addSpacing(12)
        self.summary = QLabel()
        bar.addWidget(self.summary)
        bar.addStretch(1)
        self.add_button = QPushButton(self.tr("Add period…"))
        self.add_button.clicked.connect(self.open_add_dialog)
        if self.can_edit:
            self.add_button.setToolTip(self.tr("Enter figures from a new document, with the date they take effect."))
        else:
            self.add_button.setEnabled(False)
            self.add_button.setToolTip(self.tr("Only the county bureau or the administrator may add policy figures."))
        bar.addWidget(self.add_button)
        layout.addLayout(bar)

        self.explain = QLabel(
            self.tr(
                "Figures marked Unconfirmed in orange were not found in an official Ningxia document: "
                "the county bureau must replace them by adding a period with the document number. "
                "Old periods are kept, so earlier months are still computed with the figures then in force."
            )
        )
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        layout.addWidget(self.message)

        self.model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("PolicyPage", "Figure"),
                    lambda r: figure_name(r.key),
                    context="PolicyPage",
                    tooltip=lambda r: r.key,
                ),
                Col(QT_TRANSLATE_NOOP("PolicyPage", "Value"), lambda r: r.value_text, RIGHT, context="PolicyPage"),
                Col(
                    QT_TRANSLATE_NOOP("PolicyPage", "Since"),
                    lambda r: r.item.effective_from,
                    CENTER,
                    context="PolicyPage",
                ),
                Col(
                    QT_TRANSLATE_NOOP("PolicyPage", "Status"),
                    lambda r: (
                        QCoreApplication.translate("PolicyPage", "Unconfirmed")
                        if r.item.unconfirmed
                        else QCoreApplication.translate("PolicyPage", "Confirmed")
                    ),
                    CENTER,
                    context="PolicyPage",
                    color=lambda r: "#ffffff" if r.item.unconfirmed else "#1e8449",
                    background=lambda r: WARN_COLOR if r.item.unconfirmed else None,
                ),
                Col(
                    QT_TRANSLATE_NOOP("PolicyPage", "Source"),
                    lambda r: source_text(r.item.source),
                    context="PolicyPage",
                    tooltip=lambda r: r.source_note,
                    background=lambda r: UNCONFIRMED_BG if r.item.unconfirmed else None,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        fit_columns(self.table, [330, 330, 96, 70])
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumHeight(36)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.detail)

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 4, 0, 0)
        bl.addWidget(QLabel(self.tr("Periods (each sets the figures that changed on its date):")))
        self.periods = QTableWidget(0, 5)
        self.periods.setHorizontalHeaderLabels(
            [self.tr("Effective from"), self.tr("Source"), self.tr("Figures"), self.tr("Status"), self.tr("Note")]
        )
        setup_table(self.periods)
        fit_columns(self.periods, [110, 170, 60, 140])
        bl.addWidget(self.periods, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 170])
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        self._selected_changed()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.read(lambda s, _p: s.policy.policy_book()).success(self._loaded).failure(self._not_loaded).run()

    def _not_loaded(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):  # a bug, not a refusal: the error dialog shows it
            raise exc
        self.message.error(error_sentence(exc))  # e.g. a bad local period, named by its date
        self._complained = True

    def _loaded(self, book: PolicyBook) -> None:
        self.book = book
        self._fill_periods()
        self.show_month()

    def show_month(self) -> None:
        if self.book is None:
            return
        month = self.month.month()
        try:
            self.params = self.book.for_month(month)
        except PolicyError as exc:
            self.params = None
            self.model.set_rows([])
            self.summary.setText("")
            self.message.error(exc.message)
            self._complained = True
            self._selected_changed()
            return
        if self._complained:  # only the page's own complaint goes; a "saved" notice stays
            self.message.clear_message()
            self._complained = False
        p = self.params
        rural_monthly = p.rural_standard_monthly_fen
        rows = []
        for key in TITLES:
            item = p.items.get(key)
            if item is None:
                continue
            value_text = format_value(key, item.value, rural_monthly)
            rows.append(_Row(key, item, value_text, self._source_note(item)))
        # Anything the book holds that this page has no name for still shows, by its key.
        rows += [
            _Row(k, it, str(it.value), self._source_note(it)) for k, it in sorted(p.items.items()) if k not in TITLES
        ]
        self.model.set_rows(rows)
        n_unconfirmed = len(p.unconfirmed)
        text = self.tr("%1 figures, %2 unconfirmed").replace("%1", str(len(rows))).replace("%2", str(n_unconfirmed))
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {WARN_COLOR}; font-weight: bold;" if n_unconfirmed else "")
        self._selected_changed()

    def _source_note(self, item) -> str:
        # The source by its name only: the book's own description of a code is a note in English.
        parts = [source_text(item.source)]
        if item.tag:
            parts.append(self.tr("Reliability: %1").replace("%1", item.tag))
        if item.note:
            parts.append(item.note)
        return "\n".join(parts)

    def _fill_periods(self) -> None:
        assert self.book is not None
        periods = list(reversed(self.book.periods))  # newest first
        self.periods.setRowCount(len(periods))
        for i, p in enumerate(periods):
            n_unconfirmed = sum(1 for it in p.values.values() if it.unconfirmed)
            unconfirmed = p.unconfirmed or n_unconfirmed > 0
            if p.unconfirmed or n_unconfirmed == len(p.values):
                status = self.tr("Unconfirmed")
            elif n_unconfirmed:
                status = (
                    self.tr("%1 of %2 unconfirmed").replace("%1", str(n_unconfirmed)).replace("%2", str(len(p.values)))
                )
            else:
                status = self.tr("Confirmed")
            names = "、".join(figure_name(k) for k in p.values)
            self.periods.setItem(i, 0, table_item(p.effective_from.isoformat(), CENTER))
            src = table_item(source_text(p.source))
            src.setToolTip(src.text())  # a long policy name does not fit the column
            self.periods.setItem(i, 1, src)
            count = table_item(str(len(p.values)), CENTER)
            count.setToolTip(names)
            self.periods.setItem(i, 2, count)
            self.periods.setItem(i, 3, table_item(status, CENTER, WARN_COLOR if unconfirmed else "#1e8449"))
            note = table_item(p.note)
            note.setToolTip(f"{p.note}\n\n{names}" if p.note else names)
            self.periods.setItem(i, 4, note)

    def selected(self) -> _Row | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def row_for(self, key: str) -> _Row | None:
        return next((r for r in self.model.rows if r.key == key), None)

    def _selected_changed(self) -> None:
        r = self.selected()
        if r is None:
            self.detail.setText(self.tr("Select a figure to see its source and notes."))
            return
        lines = [f"<b>{figure_name(r.key)}</b>（{r.key}）：{_html(r.value_text)}"]
        lines += [_html(line) for line in r.source_note.splitlines()]
        if r.item.unconfirmed:
            warning = self.tr("Unconfirmed: the county bureau must replace this figure.")
            lines.append(f"<span style='color:{WARN_COLOR}; font-weight:bold'>{_html(warning)}</span>")
        self.detail.setText("<br>".join(lines))

    # ------------------------------------------------------------------ adding a period

    def open_add_dialog(self) -> AddPeriodDialog | None:
        if not self.can_edit or self.book is None:
            return None
        dlg = AddPeriodDialog(self.params, self)
        # The lists refresh through the write op's changes; this only says what was saved.
        dlg.saved.connect(lambda _period: self._added(dlg.period))
        open_dialog(self, dlg)
        return dlg

    def _added(self, period: NewPeriod | None) -> None:
        if period is None:
            return
        self.message.info(
            self.tr("A period from %1 with %2 figure(s) was added.")
            .replace("%1", period.effective_from.isoformat())
            .replace("%2", str(len(period.values)))
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
