"""比对 page: a partner department's list against the register (issue 12, docs/domain.md §3.6).

Drop the file (or 选择文件…), confirm which department sent it (guessed from the file name), check
the columns in the mapping dialog, and the comparison runs as a write op with progress and cancel:
the service stores it as a record with one row per finding. The results filter by match and by
finding; a double-click opens the household; several rows selected get one disposition (处理结果…);
导出… writes the workbook. This month's earlier comparisons are listed on the right and reopen from
the stored record.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import DoudiError
from ...services import permissions
from ..comparison.dispositions import DispositionDialog
from ..comparison.mapping import MappingDialog
from ..comparison.names import MATCHES, finding_name, match_name
from ..comparison.results import FINDINGS_COLUMN, ResultsModel, with_disposition
from ..widgets import MonthEdit, error_sentence, fit_columns, open_dialog, page_title, setup_table
from ..widgets.work_queues import open_household_editor
from .base import Page

__all__ = ["SPREADSHEET_SUFFIXES", "ComparisonPage", "guess_source"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
WIDTHS = (44, 64, 70, 150, 100, 0, 130, 70)


def guess_source(file_name: str, sources: list[Any]) -> str:
    """The source whose name (公安, 残联 …) or label the file's name contains; the longest wins, so
    a name that is part of another's is not taken for it. "" when none."""
    hits = [(len(word), s.name) for s in sources for word in (s.name, s.label) if word and word in file_name]
    return max(hits)[1] if hits else ""


class ComparisonPage(Page):
    tables = frozenset({"comparisons", "comparison_findings"})

    def __init__(self, session, parent=None, today=date.today):
        super().__init__(session, parent)
        self.today = today
        self.sources: list[Any] = []
        self.path: Path | None = None
        self.result: Any = None
        self.dialog: Any = None  # the open mapping or disposition dialog (tests drive it there)
        # A comparison keeps the register's match index for the next list (a county's is ~110 MB):
        # let it go when the clerk leaves the page.
        self._holds_register = False
        self.editor: Any = None
        self.can_write = session.can(permissions.WRITE_REGISTER)
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(self._build_top())
        layout.addLayout(self._build_source_row())
        layout.addWidget(self.message)
        layout.addLayout(self._build_filters())
        layout.addWidget(self._build_lists(), 1)
        layout.addLayout(self._build_actions())
        self._fill_filters()
        self._update_buttons()

    def _build_top(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(page_title(self.tr("Comparison")))
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("Month:")))
        self.month = MonthEdit(latest=self.today().strftime("%Y-%m"))
        self.month.month_changed.connect(lambda _m: self.load_history())
        bar.addWidget(self.month)
        bar.addStretch(1)
        return bar

    def _build_source_row(self) -> QHBoxLayout:
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel(self.tr("List from:")))
        self.source = QComboBox()
        self.source.setMinimumContentsLength(8)
        self.source.activated.connect(lambda _i: self._source_chosen())
        source_row.addWidget(self.source)
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.clicked.connect(lambda _c=False: self.choose_file())
        source_row.addWidget(self.choose_button)
        self.file_label = QLabel(self.tr("or drop a department's list (Excel, WPS or CSV) on this page"))
        self.file_label.setStyleSheet("color: #566573;")
        source_row.addWidget(self.file_label, 1)
        self.again_button = QPushButton(self.tr("Compare again…"))
        self.again_button.setToolTip(self.tr("Check the columns and compare the same file again"))
        self.again_button.clicked.connect(lambda _c=False: self.start())
        source_row.addWidget(self.again_button)
        return source_row

    def _build_filters(self) -> QHBoxLayout:
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Match:")))
        self.match_filter = QComboBox()
        self.match_filter.currentIndexChanged.connect(lambda _i: self._filter())
        filters.addWidget(self.match_filter)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Finding:")))
        self.finding_filter = QComboBox()
        self.finding_filter.setMinimumContentsLength(14)
        self.finding_filter.currentIndexChanged.connect(lambda _i: self._filter())
        filters.addWidget(self.finding_filter)
        filters.addSpacing(12)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        filters.addWidget(self.summary, 1)
        return filters

    def _build_lists(self) -> QSplitter:
        """The results on the left, this month's earlier comparisons on the right."""
        self.model = ResultsModel(self.session.can(permissions.VIEW_FULL_ID), self)
        self.view = QTableView()
        self.view.setModel(self.model)
        setup_table(self.view, stretch=FINDINGS_COLUMN)  # the findings take what is left: no sideways scrolling
        self.view.verticalHeader().hide()  # the sheet's own row numbers are the first columns
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        fit_columns(self.view, WIDTHS)
        self.view.doubleClicked.connect(lambda _i: self.open_household())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        history = QWidget()
        hl = QVBoxLayout(history)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QLabel(self.tr("This month's comparisons:")))
        self.history = QListWidget()
        self.history.itemActivated.connect(lambda item: self.open_result(item.data(Qt.ItemDataRole.UserRole)))
        self.history.currentItemChanged.connect(lambda *_: self._update_buttons())
        hl.addWidget(self.history, 1)
        self.history_button = QPushButton(self.tr("Show"))
        self.history_button.clicked.connect(lambda _c=False: self.open_selected_result())
        hl.addWidget(self.history_button)

        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(history)
        split.setStretchFactor(0, 1)
        split.setSizes([900, 250])
        return split

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.result_label = QLabel()
        actions.addWidget(self.result_label, 1)
        self.dispose_button = QPushButton(self.tr("Record result…"))
        self.dispose_button.setToolTip(self.tr("One result and note for every finding of the selected rows"))
        self.dispose_button.clicked.connect(lambda _c=False: self.dispose_selected())
        self.dispose_button.setVisible(self.can_write)
        self.open_button = QPushButton(self.tr("Open household"))
        self.open_button.clicked.connect(lambda _c=False: self.open_household())
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(lambda _c=False: self.export())
        for b in (self.dispose_button, self.open_button, self.export_button):
            actions.addWidget(b)
        return actions

    # --- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.sources:
            self.read(lambda s, _p: s.comparison.sources()).success(self._sources_loaded).failure(self._refused).run()
        self.load_history()

    def _sources_loaded(self, sources: list[Any]) -> None:
        self.sources = list(sources)
        chosen = self.source.currentData()
        self.source.clear()
        self.source.addItem(self.tr("(choose)"), "")
        for s in self.sources:
            # the department as clerks say it; what its list holds on hover
            self.source.addItem(s.name, s.name)
            tip = f"{s.label}\n{s.description}" if s.description else s.label
            self.source.setItemData(self.source.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.source.setCurrentIndex(max(0, self.source.findData(chosen)))

    def load_history(self) -> None:
        month = self.month.month()
        self.read(lambda s, _p: s.comparison.history(month)).success(self._history_loaded).failure(self._refused).run()

    def _history_loaded(self, items: list[Any]) -> None:
        self.history.clear()
        for h in items:
            when = str(h.at)
            text = (
                self.tr("%1 · %2\n%3 by %4 · %5 rows · %6 open")
                .replace("%1", h.source)
                .replace("%2", h.file_name)
                .replace("%3", when)
                .replace("%4", h.by)
                .replace("%5", str(h.rows_read))
                .replace("%6", str(h.open_findings))
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setToolTip(f"{h.source_label}\n{text}")
            self.history.addItem(item)
        self._update_buttons()

    # --- a file -------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a department's list"),
            str(Path.home()),
            self.tr("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"),
        )
        if path:
            self.take_file(Path(path))

    def dragEnterEvent(self, event: Any) -> None:
        if any(_spreadsheet(u.toLocalFile()) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if _spreadsheet(u.toLocalFile())]
        if files:
            self.take_file(Path(files[0]))
        event.acceptProposedAction()

    def take_file(self, path: Path) -> None:
        """A file dropped or chosen: guess its department from the name, then check its columns."""
        self.path = path
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        self.file_label.setStyleSheet("")
        guessed = guess_source(path.name, self.sources)
        if guessed:
            self.source.setCurrentIndex(self.source.findData(guessed))
        self._update_buttons()
        self._warm_register()
        if self.source.currentData():
            self.start()
        else:
            self.message.info(
                self.tr("Which department sent %1? Choose it under “List from”.").replace("%1", path.name)
            )

    def _warm_register(self) -> None:
        """Read the register's match index while the clerk checks the columns, so that the comparison
        itself finds it ready (on a county's register that is most of a first comparison's time)."""
        if not self.can_write:
            return
        month = self.month.month()
        self._holds_register = True
        # A failure here is met again, and shown, by the comparison itself.
        self.read(lambda s, _p: bool(s.comparison.register_index(month))).failure(lambda _e: None).run()

    def _source_chosen(self) -> None:
        if self.path is not None and self.source.currentData() and self.result is None:
            self.start()

    def start(self) -> None:
        """Ask the service for the file's header and columns, then show the mapping dialog."""
        path, source = self.path, self.source.currentData()
        if path is None or not source:
            return
        self.message.clear_message()
        self.read(lambda s, _p: s.comparison.layout(path, source)).success(
            lambda view: self._ask_mapping(path, source, view)
        ).failure(self._refused).run()

    def _ask_mapping(self, path: Path, source: str, view: Any) -> None:
        info = next((s for s in self.sources if s.name == source), None)
        labels = dict(info.fields) if info is not None else None
        dlg = MappingDialog(
            view,
            labels,
            lambda s, sheet: s.comparison.layout(path, source, sheet),
            self,
            full_ids=self.session.can(permissions.VIEW_FULL_ID),
        )
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.accepted.connect(lambda: self.run_comparison(path, source, dlg.sheet_name(), dlg.mapping()))
        dlg.open()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        window = self.window()
        # Only when another page is chosen: at shutdown (the window hiding too) nothing more runs.
        if self._holds_register and window is not self and window.isVisible():
            self._holds_register = False
            self.read(lambda s, _p: s.comparison.forget_register()).run()

    def run_comparison(self, path: Path, source: str, sheet: str | None, mapping: dict[str, int]) -> None:
        month = self.month.month()
        self.message.clear_message()
        (
            self.write(
                lambda s, progress: s.comparison.run(
                    path, source, sheet=sheet, month=month, mapping=mapping, progress=progress
                )
            )
            .with_progress(self.tr("Comparing %1 with the register…").replace("%1", path.name), cancellable=True)
            .success(self._compared)
            .on_cancelled(lambda: self.message.info(self.tr("Cancelled: nothing was stored.")))
            .failure(self._refused)
            .run()
        )

    def _compared(self, result: Any) -> None:
        self._holds_register = True
        self.show_result(result)
        self.load_history()
        if getattr(result, "repeated", False):
            self.message.info(
                self.tr("%1 was already compared this month: its stored result is shown.").replace(
                    "%1", result.file_name
                )
            )

    # --- results ------------------------------------------------------------------------

    def show_result(self, result: Any) -> None:
        self.result = result
        self.model.set_rows(result.rows)
        self._fill_filters()
        self.result_label.setText(
            self.tr("%1 · %2 · %3 rows read")
            .replace("%1", result.source)
            .replace("%2", result.file_name)
            .replace("%3", str(result.rows_read))
        )
        self._update_summary()
        self._update_buttons()

    def open_selected_result(self) -> None:
        item = self.history.currentItem()
        if item is not None:
            self.open_result(item.data(Qt.ItemDataRole.UserRole))

    def open_result(self, comparison_id: str) -> None:
        self.read(lambda s, _p: s.comparison.result(comparison_id)).success(self.show_result).failure(
            self._refused
        ).run()

    def _fill_filters(self) -> None:
        keep_match, keep_finding = self.match_filter.currentData(), self.finding_filter.currentData()
        matches, findings = self.model.match_counts(), self.model.finding_counts()
        for combo in (self.match_filter, self.finding_filter):
            combo.blockSignals(True)
            combo.clear()
        self.match_filter.addItem(self.tr("All"), "")
        for code in MATCHES:
            if matches.get(code):
                self.match_filter.addItem(f"{match_name(code)} ({matches[code]})", code)
        self.finding_filter.addItem(self.tr("All rows"), "")
        for code, n in sorted(findings.items(), key=lambda kv: -kv[1]):
            self.finding_filter.addItem(f"{finding_name(code)} ({n})", code)
        self.match_filter.setCurrentIndex(max(0, self.match_filter.findData(keep_match)))
        self.finding_filter.setCurrentIndex(max(0, self.finding_filter.findData(keep_finding)))
        for combo in (self.match_filter, self.finding_filter):
            combo.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        self.model.set_filters(self.match_filter.currentData() or "", self.finding_filter.currentData() or "")
        self._update_summary()
        self._update_buttons()

    def _update_summary(self) -> None:
        if self.result is None:
            self.summary.setText("")
            return
        matches = self.model.match_counts()
        findings = sum(self.model.finding_counts().values())
        open_ = sum(1 for r in self.model.rows for f in r.findings if f.disposition == "待核实")
        parts = [f"{match_name(code)} {matches[code]}" for code in MATCHES if matches.get(code)]
        text = "，".join(parts)
        text += self.tr(" · %1 findings, %2 to check").replace("%1", str(findings)).replace("%2", str(open_))
        if self.model.rowCount() != len(self.model.rows):
            text += self.tr(" · showing %1").replace("%1", str(self.model.rowCount()))
        self.summary.setText(text)

    def selected_rows(self) -> list[Any]:
        return [self.model.row_at(i.row()) for i in self.view.selectionModel().selectedRows()]

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        self.again_button.setEnabled(self.path is not None and bool(self.source.currentData()))
        self.dispose_button.setEnabled(any(r.findings for r in rows))
        self.open_button.setEnabled(len(rows) == 1 and bool(rows[0].household_id))
        self.export_button.setEnabled(self.result is not None and bool(getattr(self.result, "comparison_id", "")))
        self.history_button.setEnabled(self.history.currentItem() is not None)

    # --- actions ------------------------------------------------------------------------

    def open_household(self) -> Any:
        rows = self.selected_rows()
        if len(rows) != 1 or not rows[0].household_id:
            return None
        self.editor = open_household_editor(self.session, rows[0].household_id, self)
        self.editor.finished.connect(lambda _r: setattr(self, "editor", None))
        return self.editor

    def dispose_selected(self) -> Any:
        rows = [r for r in self.selected_rows() if r.findings]
        ids = [f.id for r in rows for f in r.findings]
        if not ids:
            return None
        dlg = DispositionDialog(ids, len(rows), self)
        dlg.saved.connect(lambda _n: self._disposed(ids, dlg.choice.currentData(), dlg.note.toPlainText().strip()))
        return open_dialog(self, dlg)

    def _disposed(self, ids: list[str], disposition: str, note: str) -> None:
        self.model.update_rows(with_disposition(self.model.rows, ids, disposition, note))
        self._update_summary()
        self.load_history()  # the open counts
        self.message.info(
            self.tr("%1 findings recorded as %2.").replace("%1", str(len(ids))).replace("%2", disposition)
        )

    def export(self, path: str | Path | None = None) -> None:
        result = self.result
        if result is None:
            return
        if path is None:
            suggested = Path.home() / f"比对结果-{Path(result.file_name).stem}-{self.today():%Y%m%d}.xlsx"
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the comparison"), str(suggested), self.tr("Excel workbook (*.xlsx)")
            )
            if not path:
                return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        cid = result.comparison_id
        # The result on screen, whole: a stored one lists only the rows with findings.
        self.read(lambda s, _p: s.comparison.export(cid, target, result)).with_progress(
            self.tr("Exporting…"), cancellable=False
        ).success(lambda p: self.message.info(self.tr("Exported to %1").replace("%1", str(p)))).failure(
            self._refused
        ).run()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc  # a bug, not a refusal: the error dialog and the log get it
        self.message.error(error_sentence(exc))

    def on_changes(self, changes: Any) -> None:
        # Our own runs and dispositions are shown and counted already; a package from another PC
        # may bring this month's comparisons done there.
        if changes.touches(*self.tables) and not self.isVisible():
            self.stale = True


def _spreadsheet(local: str) -> bool:
    return local.lower().endswith(SPREADSHEET_SUFFIXES)
