"""政策测算 (county mode): "if the rural standard becomes X from month M", what happens, township by
township — households and persons that enter, leave or change class, and the monthly and yearly cost.
The rules run in a background op over every household; nothing is written. The answer exports to Excel.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...domain import months as month_math
from ...domain.policy.what_if import TownshipEffect, WhatIf
from ...errors import DoudiError
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import RIGHT, Col, ListTableModel, MonthEdit, YuanEdit, error_sentence, page_title, setup_table
from ..widgets.money import yuan
from ..widgets.tables import fit_headers
from .base import Page

__all__ = ["WhatIfPage"]

C = "WhatIfPage"
RURAL, URBAN = "dibao.rural_standard_annual", "dibao.urban_standard_monthly"


def _signed(fen: int) -> str:
    return ("+" if fen > 0 else "") + yuan(fen)


class WhatIfPage(Page):
    # A new policy period changes what the figures in force are; nothing else moves this page.
    tables = frozenset({"policy_periods"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.result: WhatIf | None = None
        self.names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(page_title(self.tr("Policy what-if")))
        intro = QLabel(
            self.tr(
                "Try a new 低保 standard before it is decided: every household is assessed with the figures in "
                "force and with the new ones, by the same rules. Nothing is saved."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.month = MonthEdit()
        self.month.set_month(month_math.following(month_math.of(date.today())))
        self.month.setMaximumWidth(160)
        form.addRow(self.tr("From month"), self.month)
        self.rural = YuanEdit()
        self.rural_now = QLabel()
        form.addRow(self.tr("Rural standard (yuan per person per year)"), _beside(self.rural, self.rural_now))
        self.urban = YuanEdit()
        self.urban_now = QLabel()
        form.addRow(self.tr("Urban standard (yuan per person per month)"), _beside(self.urban, self.urban_now))
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Calculate"))
        self.run_button.clicked.connect(self.calculate)
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Township"),
                    lambda e: self.names.get(e.township, e.township) or self.tr("Total"),
                    context=C,
                ),
                Col(QT_TRANSLATE_NOOP("WhatIfPage", "Programme"), lambda e: e.programme, context=C),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Households before → after"),
                    lambda e: f"{e.households_before} → {e.households_after}",
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Persons before → after"),
                    lambda e: f"{e.persons_before} → {e.persons_after}",
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Enter (households / persons)"),
                    lambda e: f"{e.entering_households} / {e.entering_persons}",
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Leave (households / persons)"),
                    lambda e: f"{e.leaving_households} / {e.leaving_persons}",
                    RIGHT,
                    context=C,
                ),
                Col(QT_TRANSLATE_NOOP("WhatIfPage", "Class changed"), lambda e: e.class_changed, RIGHT, context=C),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Monthly change (yuan)"),
                    lambda e: _signed(e.monthly_change_fen),
                    RIGHT,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("WhatIfPage", "Yearly change (yuan)"),
                    lambda e: _signed(e.yearly_change_fen),
                    RIGHT,
                    context=C,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, stretch=0)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        month = self.month.month()

        def work(s, _p):
            p = s.policy.for_month(month)
            names = dict(s.county.township_names())
            return p.rural_standard_annual_fen, p.urban_standard_monthly_fen, names

        self.read(work).success(self._show_current).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def _show_current(self, current: tuple[int, int, dict[str, str]]) -> None:
        rural, urban, self.names = current
        self.rural_now.setText(self.tr("in force: %1").replace("%1", yuan(rural)))
        self.urban_now.setText(self.tr("in force: %1").replace("%1", yuan(urban)))
        if not self.rural.text():
            self.rural.set_fen(rural)
        if not self.urban.text():
            self.urban.set_fen(urban)

    def proposal(self) -> dict[str, Decimal]:
        out = {}
        for name, box in ((RURAL, self.rural), (URBAN, self.urban)):
            if box.text().strip():
                out[name] = Decimal(box.fen()) / 100
        return out

    def calculate(self) -> None:
        try:
            proposal, month = self.proposal(), self.month.month()
        except DoudiError as exc:
            self.message.error(error_sentence(exc))
            return
        self.run_button.setEnabled(False)

        def work(s, progress):
            return s.what_if.run(month, proposal, progress=progress.update)

        self.read(work).with_progress(self.tr("Assessing every household…"), cancellable=True).success(
            self._show
        ).failure(self._failed).run()

    def _show(self, result: WhatIf) -> None:
        self.run_button.setEnabled(True)
        self.result = result
        rows: list[TownshipEffect] = [*result.townships, *result.totals()]
        self.model.set_rows(rows)
        fit_headers(self.table)
        self.export_button.setEnabled(True)
        self.message.info(
            self.tr("%1 households assessed for %2; nothing was saved.")
            .replace("%1", str(result.households))
            .replace("%2", result.month)
        )

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.message.error(error_sentence(exc))

    def export(self, path: str | Path | None = None) -> None:
        result = self.result
        if result is None:
            return
        if path is None:
            suggested = str(Path.home() / (self.tr("policy-what-if") + f"-{result.month}.xlsx"))
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export to Excel"), suggested, self.tr("Excel workbook (*.xlsx)")
            )
            if not path:
                return
        target = Path(path).with_suffix(".xlsx")
        names = dict(self.names)
        text = "；".join(f"{label} {value} 元" for label, value in self._proposal_words(result))

        def work(_s, _p):
            from ...reports.what_if_excel import write_what_if

            return write_what_if(target, result, names, text)

        self.read(work).success(lambda p: self.message.info(self.tr("Exported to %1").replace("%1", str(p)))).failure(
            lambda exc: self.message.error(error_sentence(exc) if isinstance(exc, DoudiError) else str(exc))
        ).run()

    @staticmethod
    def _proposal_words(result: WhatIf) -> list[tuple[str, str]]:
        words = {RURAL: "农村低保标准（元/人·年）", URBAN: "城市低保标准（元/人·月）"}
        return [(words.get(k, k), str(v)) for k, v in result.proposal.items()]


def _beside(edit: YuanEdit, note: QLabel) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit)
    row.addWidget(note)
    row.addStretch(1)
    return row
