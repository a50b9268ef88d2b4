"""政策参数 page: the dated policy figures in force for a month, and the periods that set them.

DOMAIN.md §0.1/§1: figures the research could not confirm ship as dated parameters marked
``unconfirmed``; this page shows them in orange so the county bureau can replace them. The
county or an administrator adds a period ("Add period…"): one or more figures with an
effective date and the document number (文号) that sets them. The page only shows what
``session.programmes.policy_book()`` returns and hands new figures to
``session.programmes.add_policy_period``; it computes nothing itself.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.policy import months
from ...domain.policy.params import CARE_TIERS, ORPHAN_KINDS, RULE_TYPES, SPEC, PolicyError
from ...services import permissions
from ..widgets import (
    month_header,
    page_title,
    CENTER,
    RIGHT,
    WARN_COLOR,
    Col,
    DateEdit,
    FormDialog,
    ListTableModel,
    MessageBar,
    MonthEdit,
    YuanEdit,
    error_sentence,
    fen_from_yuan,
    fit_columns,
    setup_table,
    table_item,
)

__all__ = ["FIGURES", "PolicyPage", "figure_name", "format_value"]

CTX = "PolicyFigures"
UNCONFIRMED_BG = "#fdebd0"

# key → (readable name, unit). Units: "month" 元/月, "year" 元/年, "yuan" 元, "times" 倍, "share" %,
# "age" 岁, "days" 天, "months" 个月, "count" (a number), "" (text, switch, list).
FIGURES: dict[str, tuple[str, str]] = {
    "dibao.urban_standard_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Urban dibao standard (per person)"), "month"),
    "dibao.rural_standard_annual": (QT_TRANSLATE_NOOP("PolicyFigures", "Rural dibao standard (per person)"), "year"),
    "dibao.urban_topup_floor_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Urban dibao average top-up floor (per person)"),
                                        "month"),
    "dibao.rural_topup_floor_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Rural dibao average top-up floor (per person)"),
                                        "month"),
    "dibao.topup_floor_mode": (QT_TRANSLATE_NOOP("PolicyFigures", "How the top-up floor is used"), ""),
    "dibao.default_class": (QT_TRANSLATE_NOOP("PolicyFigures", "Default dibao benefit class"), ""),
    "dibao.classes": (QT_TRANSLATE_NOOP("PolicyFigures", "Dibao benefit classes"), ""),
    "property.deposit_limit_per_person": (QT_TRANSLATE_NOOP("PolicyFigures", "Savings limit per person"), "yuan"),
    "property.vehicle_limit": (QT_TRANSLATE_NOOP("PolicyFigures", "Non-exempt vehicles allowed"), "count"),
    "low_income.factor": (QT_TRANSLATE_NOOP("PolicyFigures", "Dibao-edge line (times the dibao standard)"), "times"),
    "tekun.basic_ratio": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun basic living standard (times the dibao standard)"), "times"),
    "tekun.basic_urban_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun basic living standard, urban (fixed amount)"),
                                  "month"),
    "tekun.basic_rural_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun basic living standard, rural (fixed amount)"),
                                  "month"),
    "tekun.care_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun care standard by self-care tier"), "month"),
    "tekun.minor_age": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun minors covered until age"), "age"),
    "tekun.elder_age": (QT_TRANSLATE_NOOP("PolicyFigures", "Tekun elderly from age"), "age"),
    "grace.months": (QT_TRANSLATE_NOOP("PolicyFigures", "Taper-off period (jiantui) length"), "months"),
    "grace.benefit_mode": (QT_TRANSLATE_NOOP("PolicyFigures", "Payment during the taper-off period"), ""),
    "employment_cost.fixed_per_person_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Employment cost deduction, fixed (per worker)"),
                                                 "month"),
    "employment_cost.rate": (QT_TRANSLATE_NOOP("PolicyFigures", "Employment cost deduction, share of wage"), "share"),
    "employment_cost.cap_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Employment cost deduction, cap (per worker)"), "month"),
    "income.exclude_basic_pension": (QT_TRANSLATE_NOOP("PolicyFigures", "Basic resident pension not counted as income"), ""),
    "gaoling.bands": (QT_TRANSLATE_NOOP("PolicyFigures", "Old-age allowance by age"), "month"),
    "gaoling.count_birthday_month": (QT_TRANSLATE_NOOP("PolicyFigures", "Old-age allowance paid from the birthday month"), ""),
    "disability.living_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Living subsidy for poor disabled people"), "month"),
    "disability.care_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Care subsidy for severely disabled people, by grade"), "month"),
    "orphan.monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Orphan and de-facto unsupported child allowance"), "month"),
    "monitoring.annual_line": (QT_TRANSLATE_NOOP("PolicyFigures", "Return-to-poverty monitoring line (per person)"), "year"),
    "linshi.emergency_multiple": (QT_TRANSLATE_NOOP("PolicyFigures", "Emergency temporary assistance (months of standard)"),
                                  "times"),
    "linshi.expense_cap_multiple": (QT_TRANSLATE_NOOP("PolicyFigures", "Expense-type temporary assistance cap (months of standard)"),
                                    "times"),
    "linshi.unemployed_multiple": (QT_TRANSLATE_NOOP("PolicyFigures", "One-off aid for uninsured unemployed (months of standard)"),
                                   "times"),
    "local.disposable_income_prev_year_annual": (
        QT_TRANSLATE_NOOP("PolicyFigures", "Local per-capita disposable income, last year"), "year"),
    "alerts.inpatient_ytd_formerly_poor": (
        QT_TRANSLATE_NOOP("PolicyFigures", "Alert: inpatient costs this year, formerly poor"), "yuan"),
    "alerts.inpatient_ytd_other": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: inpatient costs this year, others"), "yuan"),
    "alerts.outpatient_monthly": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: outpatient costs in a month"), "month"),
    "alerts.schooling_yearly": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: schooling costs in a year"), "year"),
    "alerts.income_drop_ratio": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: per-capita income drop"), "share"),
    "alerts.visit_max_days": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: longest gap between home visits"), "days"),
    "alerts.care_visit_max_days": (QT_TRANSLATE_NOOP("PolicyFigures", "Alert: longest gap between care visits"), "days"),
    "alerts.review_months_stable": (QT_TRANSLATE_NOOP("PolicyFigures", "Review interval, stable income"), "months"),
    "alerts.review_months_unstable": (QT_TRANSLATE_NOOP("PolicyFigures", "Review interval, unstable income"), "months"),
    "alerts.death_review_months": (QT_TRANSLATE_NOOP("PolicyFigures", "Review after a member's death, within"), "months"),
    "alerts.unemployed_months": (QT_TRANSLATE_NOOP("PolicyFigures", "Uninsured unemployment before one-off aid"), "months"),
}

# Stored option values → readable names.
OPTION_NAMES: dict[str, dict[str, str]] = {
    "dibao.topup_floor_mode": {
        "report_only": QT_TRANSLATE_NOOP("PolicyFigures", "Regional average, shown in reports only"),
        "per_person_minimum": QT_TRANSLATE_NOOP("PolicyFigures", "Each covered person gets at least the floor"),
    },
    "grace.benefit_mode": {"full": QT_TRANSLATE_NOOP("PolicyFigures", "Full original amount")},
}
DISABILITY_GRADES = {"1": QT_TRANSLATE_NOOP("PolicyFigures", "Grade 1"), "2": QT_TRANSLATE_NOOP("PolicyFigures", "Grade 2")}
# Sub-keys offered for the per-tier amounts when a period sets them.
MAP_KEYS = {
    "tekun.care_monthly": CARE_TIERS,
    "disability.care_monthly": tuple(DISABILITY_GRADES),
    "orphan.monthly": ORPHAN_KINDS,
}
# Figures that may be left empty ("not set": the test that uses them is not applied).
NULLABLE = {
    "dibao.urban_topup_floor_monthly", "dibao.rural_topup_floor_monthly", "property.deposit_limit_per_person",
    "property.vehicle_limit", "tekun.basic_ratio", "tekun.basic_urban_monthly", "tekun.basic_rural_monthly",
    "employment_cost.cap_monthly", "disability.living_monthly", "monitoring.annual_line",
    "linshi.emergency_multiple", "linshi.expense_cap_multiple", "linshi.unemployed_multiple",
    "local.disposable_income_prev_year_annual", "alerts.inpatient_ytd_formerly_poor", "alerts.inpatient_ytd_other",
    "alerts.outpatient_monthly", "alerts.schooling_yearly", "alerts.income_drop_ratio",
}


def _t(text: str) -> str:
    """A name held in a table above (marked with QT_TRANSLATE_NOOP), translated now."""
    return QCoreApplication.translate(CTX, text)


def figure_name(key: str) -> str:
    entry = FIGURES.get(key)
    return _t(entry[0]) if entry else key


def _unit_suffix(unit: str) -> str:
    return {
        "month": QCoreApplication.translate("PolicyFigures", "yuan/month"), "year": QCoreApplication.translate("PolicyFigures", "yuan/year"), "yuan": QCoreApplication.translate("PolicyFigures", "yuan"), "age": QCoreApplication.translate("PolicyFigures", "years old"),
        "days": QCoreApplication.translate("PolicyFigures", "days"), "months": QCoreApplication.translate("PolicyFigures", "months"),
    }.get(unit, "")


def _money(fen: int | None) -> str:
    return QCoreApplication.translate("PolicyFigures", "not set") if fen is None else months.yuan(int(fen))


def _ratio(value: Any, unit: str) -> str:
    d = Decimal(str(value))
    if unit == "share":
        pct = (d * 100).normalize()
        return f"{pct:f}%"
    return QCoreApplication.translate("PolicyFigures", "%1 times").replace("%1", f"{d.normalize():f}")


def format_value(key: str, value: Any, rural_monthly_fen: int | None = None) -> str:
    """The figure as a clerk reads it: 元 with two decimals and the unit; tiers and bands on one line."""
    kind = SPEC.get(key, ("", "str"))[1]
    unit = FIGURES.get(key, ("", ""))[1]
    if value is None:
        return QCoreApplication.translate("PolicyFigures", "not set (not applied)")
    if kind == "money":
        text = f"{_money(value)} {_unit_suffix(unit)}".strip()
        if key == "dibao.rural_standard_annual" and rural_monthly_fen is not None:
            text += QCoreApplication.translate("PolicyFigures", " (%1 yuan/month)").replace("%1", months.yuan(rural_monthly_fen))
        return text
    if kind == "money_map":
        if not value:
            return QCoreApplication.translate("PolicyFigures", "not set (not applied)")
        parts = [f"{_map_key_name(key, k)} {_money(v)}" for k, v in value.items()]
        return "、".join(parts) + " " + _unit_suffix(unit)
    if kind == "bands":
        if not value:
            return QCoreApplication.translate("PolicyFigures", "none")
        parts = [QCoreApplication.translate("PolicyFigures", "%1+ %2").replace("%1", str(b.min_age)).replace("%2", _money(b.amount_fen)) for b in value]
        return "、".join(parts) + " " + _unit_suffix(unit)
    if kind == "classes":
        parts = []
        for c in value:
            if c.rule == "定额" and c.amount_fen is not None:
                rule = f"{c.rule} {_money(c.amount_fen)}"
            elif c.rule == "标准×比例" and c.ratio is not None:
                rule = f"{c.rule} {c.ratio.normalize():f}"
            else:
                rule = c.rule
            parts.append(c.code if c.code == rule else f"{c.code}（{rule}）")
        return "、".join(parts)
    if kind == "ratio":
        return _ratio(value, unit)
    if kind == "bool":
        return QCoreApplication.translate("PolicyFigures", "Yes") if value else QCoreApplication.translate("PolicyFigures", "No")
    if kind == "str":
        names = OPTION_NAMES.get(key, {})
        return _t(names[value]) if value in names else str(value)
    if kind == "int":
        suffix = _unit_suffix(unit)
        return f"{value} {suffix}".strip()
    return str(value)


def _map_key_name(key: str, sub: str) -> str:
    if key == "disability.care_monthly" and sub in DISABILITY_GRADES:
        return _t(DISABILITY_GRADES[sub])
    return sub


def _source_text(source: str) -> str:
    return QCoreApplication.translate("PolicyFigures", "placeholder (no source)") if source == "placeholder" else source


class _Row:
    def __init__(self, key: str, item, value_text: str, source_note: str):
        self.key = key
        self.item = item
        self.value_text = value_text
        self.source_note = source_note


# ---------------------------------------------------------------------------- the page

class PolicyPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.book = None
        self.params = None
        self.dialog: FormDialog | None = None
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

        self.explain = QLabel(self.tr(
            "Figures marked Unconfirmed in orange were not found in an official Ningxia document: the county bureau "
            "must replace them by adding a period with the document number. Old periods are kept, so earlier months "
            "are still computed with the figures then in force."))
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.message = MessageBar()
        layout.addWidget(self.message)

        self.model = ListTableModel([
            Col(QT_TRANSLATE_NOOP("PolicyPage", "Figure"), lambda r: figure_name(r.key), context="PolicyPage",
                tooltip=lambda r: r.key),
            Col(QT_TRANSLATE_NOOP("PolicyPage", "Value"), lambda r: r.value_text, RIGHT, context="PolicyPage"),
            Col(QT_TRANSLATE_NOOP("PolicyPage", "Since"), lambda r: r.item.effective_from, CENTER,
                context="PolicyPage"),
            Col(QT_TRANSLATE_NOOP("PolicyPage", "Status"),
                lambda r: QCoreApplication.translate("PolicyPage", "Unconfirmed") if r.item.unconfirmed
                else QCoreApplication.translate("PolicyPage", "Confirmed"), CENTER, context="PolicyPage",
                color=lambda r: "#ffffff" if r.item.unconfirmed else "#1e8449",
                background=lambda r: WARN_COLOR if r.item.unconfirmed else None),
            Col(QT_TRANSLATE_NOOP("PolicyPage", "Source"), lambda r: _source_text(r.item.source),
                context="PolicyPage", tooltip=lambda r: r.source_note,
                background=lambda r: UNCONFIRMED_BG if r.item.unconfirmed else None),
        ])
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
        self.periods.setHorizontalHeaderLabels([
            self.tr("Effective from"), self.tr("Source"), self.tr("Figures"), self.tr("Status"), self.tr("Note")])
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

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        try:
            self.book = self.session.programmes.policy_book()
        except Exception as exc:  # noqa: BLE001 - InvalidInput from a bad local period, shown as is
            self.message.error(error_sentence(exc))
            return
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
            self._selected_changed()
            return
        self.message.clear_message()
        p = self.params
        rural_monthly = p.rural_standard_monthly_fen
        rows = []
        for key in FIGURES:
            item = p.items.get(key)
            if item is None:
                continue
            value_text = format_value(key, item.value, rural_monthly)
            rows.append(_Row(key, item, value_text, self._source_note(item)))
        # Anything the book holds that this page has no name for still shows, by its key.
        rows += [_Row(k, it, str(it.value), self._source_note(it)) for k, it in sorted(p.items.items())
                 if k not in FIGURES]
        self.model.set_rows(rows)
        n_unconfirmed = len(p.unconfirmed)
        text = self.tr("%1 figures, %2 unconfirmed").replace("%1", str(len(rows))).replace("%2", str(n_unconfirmed))
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {WARN_COLOR}; font-weight: bold;" if n_unconfirmed else "")
        self._selected_changed()

    def _source_note(self, item) -> str:
        parts = []
        described = (self.book.sources or {}).get(item.source) if self.book else None
        if described:
            parts.append(f"{item.source}: {described}")
        else:
            parts.append(_source_text(item.source))
        if item.tag:
            parts.append(self.tr("Reliability: %1").replace("%1", item.tag))
        if item.note:
            parts.append(item.note)
        return "\n".join(parts)

    def _fill_periods(self) -> None:
        periods = list(reversed(self.book.periods))   # newest first
        self.periods.setRowCount(len(periods))
        for i, p in enumerate(periods):
            n_unconfirmed = sum(1 for it in p.values.values() if it.unconfirmed)
            unconfirmed = p.unconfirmed or n_unconfirmed > 0
            if p.unconfirmed or n_unconfirmed == len(p.values):
                status = self.tr("Unconfirmed")
            elif n_unconfirmed:
                status = self.tr("%1 of %2 unconfirmed").replace("%1", str(n_unconfirmed)).replace(
                    "%2", str(len(p.values)))
            else:
                status = self.tr("Confirmed")
            names = "、".join(figure_name(k) for k in p.values)
            self.periods.setItem(i, 0, table_item(p.effective_from.isoformat(), CENTER))
            src = table_item(_source_text(p.source))
            src.setToolTip((self.book.sources or {}).get(p.source, p.source))
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

    def open_add_dialog(self) -> "AddPeriodDialog | None":
        if not self.can_edit or self.book is None:
            return None
        dlg = AddPeriodDialog(self.session, self.params, self)
        dlg.added.connect(self._added)
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.open()
        return dlg

    def _added(self, effective_from: date, count: int) -> None:
        self.refresh()
        self.message.info(self.tr("A period from %1 with %2 figure(s) was added.")
                          .replace("%1", effective_from.isoformat()).replace("%2", str(count)))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------- value editors

class _ValueEditor(QWidget):
    """Reads one figure's new value as the ``values`` entry the service expects (without source/flags)."""

    def __init__(self, key: str, current: Any, class_codes: tuple[str, ...] = (), parent=None):
        super().__init__(parent)
        self.key = key
        self.class_codes = class_codes
        self.kind = SPEC[key][1]
        self.unit = FIGURES.get(key, ("", ""))[1]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.none_box: QCheckBox | None = None
        self._build(layout, current)
        if key in NULLABLE:
            self.none_box = QCheckBox(QCoreApplication.translate("AddPeriodDialog", "No figure (the test is not applied)"))
            self.none_box.toggled.connect(lambda on: self.body.setEnabled(not on))
            self.none_box.setChecked(current is None)
            layout.addWidget(self.none_box)
        self.initial = self._entry_or_none()

    def _entry_or_none(self) -> dict | None:
        try:
            return self.entry()
        except ValueError:
            return None

    def changed(self) -> bool:
        """Whether the user changed the value shown (it starts as the figure in force)."""
        return self._entry_or_none() != self.initial

    def _build(self, layout: QVBoxLayout, current: Any) -> None:
        self.body = QWidget()
        form = QFormLayout(self.body)
        form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        k = self.kind
        if k == "money":
            self.edit = YuanEdit()
            if current is not None:
                self.edit.set_fen(current)
            form.addRow(self.tr("Amount (%1):").replace("%1", _unit_suffix(self.unit)), self.edit)
        elif k == "money_map":
            self.edits: dict[str, YuanEdit] = {}
            subs = list(MAP_KEYS.get(self.key, ())) + [s for s in (current or {}) if s not in MAP_KEYS.get(self.key, ())]
            for sub in subs:
                e = YuanEdit()
                if current and sub in current:
                    e.set_fen(current[sub])
                self.edits[sub] = e
                form.addRow(f"{_map_key_name(self.key, sub)}（{_unit_suffix(self.unit)}）", e)
        elif k in ("ratio", "int"):
            self.edit = QLineEdit()
            self.edit.setAlignment(RIGHT)
            if current is not None:
                self.edit.setText(f"{Decimal(str(current)).normalize():f}" if k == "ratio" else str(current))
            hint = {"times": self.tr("Multiple, e.g. 1.5"), "share": self.tr("Share as a decimal, e.g. 0.3 for 30%")}.get(
                self.unit, self.tr("Whole number") + (f"（{_unit_suffix(self.unit)}）" if _unit_suffix(self.unit) else ""))
            form.addRow(self.tr("Value:"), self.edit)
            form.addRow("", QLabel(hint))
        elif k == "bool":
            self.combo = QComboBox()
            self.combo.addItem(QCoreApplication.translate("PolicyFigures", "Yes"), True)
            self.combo.addItem(QCoreApplication.translate("PolicyFigures", "No"), False)
            self.combo.setCurrentIndex(0 if current else 1)
            form.addRow(self.tr("Value:"), self.combo)
        elif k == "str":
            self.combo = QComboBox()
            if self.key == "dibao.default_class":
                options = [(c, c) for c in self.class_codes]
            else:
                options = [(v, _t(n)) for v, n in OPTION_NAMES.get(self.key, {}).items()]
            for value, name in options:
                self.combo.addItem(name, value)
            i = self.combo.findData(current)
            if i >= 0:
                self.combo.setCurrentIndex(i)
            form.addRow(self.tr("Value:"), self.combo)
        elif k == "bands":
            self.grid = QTableWidget(0, 2)
            self.grid.setHorizontalHeaderLabels([self.tr("From age"), self.tr("Yuan per month")])
            for b in current or ():
                self._add_grid_row([str(b.min_age), months.yuan(b.amount_fen)])
            self._grid_buttons(form, 2)
        elif k == "classes":
            self.grid = QTableWidget(0, 5)
            self.grid.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Rule"), self.tr("Yuan (fixed)"), self.tr("Ratio")])
            for c in current or ():
                self._add_grid_row([c.code, c.name, c.rule, "" if c.amount_fen is None else months.yuan(c.amount_fen),
                                    "" if c.ratio is None else f"{c.ratio.normalize():f}"])
            self._grid_buttons(form, 5)
            form.addRow("", QLabel(self.tr("Rule is one of: %1").replace("%1", "、".join(RULE_TYPES))))

    def _add_grid_row(self, cells: list[str]) -> None:
        r = self.grid.rowCount()
        self.grid.insertRow(r)
        for c, text in enumerate(cells):
            self.grid.setItem(r, c, table_item(text))

    def _grid_buttons(self, form: QFormLayout, ncols: int) -> None:
        self.grid.setMinimumHeight(130)
        self.grid.horizontalHeader().setStretchLastSection(True)
        form.addRow(self.grid)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Add row"))
        add.clicked.connect(lambda: self._add_grid_row([""] * ncols))
        remove = QPushButton(self.tr("Remove row"))
        remove.clicked.connect(lambda: self.grid.removeRow(self.grid.currentRow()) if self.grid.currentRow() >= 0
                               else None)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        form.addRow(row)

    def _cell(self, r: int, c: int) -> str:
        item = self.grid.item(r, c)
        return item.text().strip() if item else ""

    def entry(self) -> dict:
        """``{"yuan": …}`` or ``{"value": …}``; raises ValueError with a sentence."""
        k = self.kind
        if self.none_box is not None and self.none_box.isChecked():
            return {"yuan": None} if k in ("money", "money_map") else {"value": None}
        if k == "money":
            return {"yuan": _yuan_number(self.edit.text())}
        if k == "money_map":
            out = {}
            for sub, e in self.edits.items():
                if e.text().strip():
                    out[sub] = _yuan_number(e.text())
            if not out:
                raise ValueError(self.tr("Please enter at least one amount."))
            return {"yuan": out}
        if k == "ratio":
            text = self.edit.text().strip()
            if not text:
                raise ValueError(self.tr("Please enter a value."))
            try:
                d = Decimal(text)
            except InvalidOperation:
                raise ValueError(self.tr("The value must be a number, e.g. 1.5.")) from None
            return {"value": float(d) if d != d.to_integral_value() else int(d)}
        if k == "int":
            text = self.edit.text().strip()
            if not text.isdigit():
                raise ValueError(self.tr("The value must be a whole number."))
            return {"value": int(text)}
        if k in ("bool", "str"):
            return {"value": self.combo.currentData()}
        if k == "bands":
            bands = []
            for r in range(self.grid.rowCount()):
                age, amount = self._cell(r, 0), self._cell(r, 1)
                if not age and not amount:
                    continue
                if not age.isdigit():
                    raise ValueError(self.tr("Row %1: the age must be a whole number.").replace("%1", str(r + 1)))
                bands.append({"min_age": int(age), "yuan": _yuan_number(amount)})
            return {"value": bands}
        if k == "classes":
            classes = []
            for r in range(self.grid.rowCount()):
                code, name, rule, amount, ratio = (self._cell(r, c) for c in range(5))
                if not code and not name:
                    continue
                c: dict[str, Any] = {"code": code, "name": name or code, "rule": rule or "差额"}
                if amount:
                    c["yuan"] = _yuan_number(amount)
                if ratio:
                    try:
                        c["ratio"] = float(Decimal(ratio))
                    except InvalidOperation:
                        raise ValueError(self.tr("Row %1: the ratio must be a number.").replace("%1", str(r + 1))) from None
                classes.append(c)
            return {"value": classes}
        raise ValueError(k)


def _yuan_number(text: str) -> int | float:
    """The typed yuan as the JSON number the policy file holds (checked to two decimals)."""
    fen = fen_from_yuan(text)
    return fen // 100 if fen % 100 == 0 else float(Decimal(fen) / 100)


class AddPeriodDialog(FormDialog):
    """A new period: effective date, document number, note, confirmed; one or more figures."""

    added = Signal(object, int)   # effective_from (date), number of figures

    def __init__(self, session, params, parent=None):
        self.session = session
        self.params = params
        self.staged: dict[str, dict] = {}
        super().__init__(self.tr("Add a policy period"), self._submit, parent,
                         intro=self.tr("Enter the figures a document sets and the date they take effect. "
                                       "Figures not listed here keep their earlier values."))
        self.setMinimumWidth(640)
        self.effective = DateEdit(date(date.today().year + 1, 1, 1))
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("Document number, e.g. 宁民发〔2023〕12号"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(54)
        self.confirmed = QCheckBox(self.tr("Confirmed (the figures are taken from the document above)"))
        self.confirmed.setChecked(True)
        self.add_row(self.tr("Effective from:"), self.effective)
        self.add_row(self.tr("Source (document number):"), self.source)
        self.add_row(self.tr("Note:"), self.note)
        self.add_row("", self.confirmed)

        self.figure = QComboBox()
        self.figure.setMaxVisibleItems(20)
        for key in FIGURES:
            self.figure.addItem(figure_name(key), key)
        self.figure.currentIndexChanged.connect(lambda _i: self._figure_changed())
        self.add_row(self.tr("Figure:"), self.figure)
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.add_row(self.tr("Now:"), self.current_label)
        self.editors = QStackedWidget()
        self.add_row(self.tr("New value:"), self.editors)
        stage_row = QHBoxLayout()
        self.stage_button = QPushButton(self.tr("Add this figure to the period"))
        self.stage_button.clicked.connect(self.stage_current)
        self.unstage_button = QPushButton(self.tr("Remove from the period"))
        self.unstage_button.clicked.connect(self.unstage_selected)
        stage_row.addWidget(self.stage_button)
        stage_row.addWidget(self.unstage_button)
        stage_row.addStretch(1)
        holder = QWidget()
        holder.setLayout(stage_row)
        stage_row.setContentsMargins(0, 0, 0, 0)
        self.add_row("", holder)
        self.staged_list = QListWidget()
        self.staged_list.setFixedHeight(72)
        self.add_row(self.tr("In this period:"), self.staged_list)
        hint = QLabel(self.tr("OK saves the listed figures, and the figure shown above if you changed it."))
        hint.setWordWrap(True)
        self.add_row("", hint)
        self._editor: _ValueEditor | None = None
        self._figure_changed()

    # the figure being edited
    def select_figure(self, key: str) -> _ValueEditor:
        self.figure.setCurrentIndex(self.figure.findData(key))
        return self._editor

    @property
    def editor(self) -> _ValueEditor | None:
        return self._editor

    def _figure_changed(self) -> None:
        key = self.figure.currentData()
        item = self.params.items.get(key) if self.params is not None else None
        current = item.value if item is not None else None
        if item is None:
            self.current_label.setText(self.tr("not set"))
        else:
            rural = self.params.rural_standard_monthly_fen
            text = f"{format_value(key, current, rural)}（{_source_text(item.source)}，{item.effective_from}）"
            self.current_label.setText(text)
            self.current_label.setStyleSheet(f"color: {WARN_COLOR};" if item.unconfirmed else "")
        if self._editor is not None:
            self.editors.removeWidget(self._editor)
            self._editor.deleteLater()
        codes = tuple(c.code for c in self.params.classes) if self.params is not None else ()
        self._editor = _ValueEditor(key, current, codes)
        self.editors.addWidget(self._editor)
        self.editors.setCurrentWidget(self._editor)

    def stage_current(self) -> bool:
        try:
            entry = self._editor.entry()
        except ValueError as exc:
            self.show_error(str(exc))
            return False
        self.error.hide()
        key = self._editor.key
        self.staged[key] = entry
        self._show_staged()
        return True

    def unstage_selected(self) -> None:
        item = self.staged_list.currentItem()
        if item is not None:
            self.staged.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self._show_staged()

    def _show_staged(self) -> None:
        self.staged_list.clear()
        for key, entry in self.staged.items():
            raw = entry.get("yuan", entry.get("value"))
            text = _entry_text(raw)
            if "yuan" in entry and raw is not None:
                text += " " + QCoreApplication.translate("PolicyFigures", "yuan")
            li = QListWidgetItem(f"{figure_name(key)}：{text}")
            li.setData(Qt.ItemDataRole.UserRole, key)
            self.staged_list.addItem(li)

    def values(self) -> dict[str, dict]:
        """The ``values`` dict for the service: each figure with its source and confirmation."""
        staged = dict(self.staged)
        ed = self._editor
        if not staged:
            staged[ed.key] = ed.entry()
        elif ed.key not in staged and ed.changed():
            staged[ed.key] = ed.entry()   # edited but not added to the list: keep it rather than drop it
        source = self.source.text().strip()
        unconfirmed = not self.confirmed.isChecked()
        return {key: {**entry, "source": source, "unconfirmed": unconfirmed} for key, entry in staged.items()}

    def _submit(self):
        values = self.values()
        eff = self.effective.value()
        period = self.session.programmes.add_policy_period(
            eff, values, self.source.text().strip(), note=self.note.toPlainText().strip(),
            unconfirmed=not self.confirmed.isChecked())
        self.added.emit(eff, len(values))
        return period


def _entry_text(raw: Any) -> str:
    if raw is None:
        return QCoreApplication.translate("PolicyFigures", "not set (not applied)")
    if isinstance(raw, Mapping):
        return "、".join(f"{k} {v}" for k, v in raw.items())
    if isinstance(raw, list):
        return "、".join(
            f"{r.get('min_age', r.get('code', ''))} {r.get('yuan', r.get('rule', ''))}" for r in raw)
    return str(raw)
