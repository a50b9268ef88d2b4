"""The household register: one search box, filters, a lazy table, and the actions on it.

The list holds household ids only (``LazyTableModel``); filtering, searching and sorting
happen in the database (``RegisterQueries``), the ids are fetched off the GUI thread in an
``Op``, and only the rows on screen are read (``read_now``, a page at a time). Archiving is a
write op; the list refreshes from the op's changes, like after a save in the editor.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...domain.entities import HOUSEHOLD_CATEGORIES, RISK_NAMES
from ...errors import DoudiError
from ...services import permissions
from ...services.households import HouseholdQuery
from ...services.register_queries import SEARCH_CAP
from ..i18n import QT_TRANSLATE_NOOP
from ..lazy_model import Column, LazyTableModel
from ..ops import read_now
from ..widgets import error_sentence, open_dialog, village_combo
from .base import Page

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter

COLUMNS = [
    Column(QT_TRANSLATE_NOOP("Columns", "Village"), field=0, key="village"),
    Column(QT_TRANSLATE_NOOP("Columns", "Head of household"), field=1, key="head"),
    Column(QT_TRANSLATE_NOOP("Columns", "Head's ID number"), field=2, sortable=False),
    Column(QT_TRANSLATE_NOOP("Columns", "Members"), field=3, key="size", align=_RIGHT),
    Column(QT_TRANSLATE_NOOP("Columns", "Category"), field=4, key="categories"),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Risk"),
        field=5,
        key="risk",
        align=_CENTER,
        formatter=lambda v: RISK_NAMES.get(v, str(v)),
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Last visit"), field=6, key="last_visit"),
    # Which members the search found: a household found under 马小燕 is listed under its head.
    Column(QT_TRANSLATE_NOOP("Columns", "Matched"), field=8, sortable=False),
]
MATCHED_COLUMN = len(COLUMNS) - 1
WIDTHS = (150, 110, 170, 60, 200, 60, 110, 120)


def _row_tuple(r, matched: str = "") -> tuple:
    return (
        r.village,
        r.head_name,
        r.head_id_number,
        r.size,
        "、".join(r.categories),
        r.risk_level,
        r.last_visit,
        r.archived,
        matched,
    )


class HouseholdsPage(Page):
    # the last-visit column and the "not visited this month" filter read the visits
    tables = frozenset({"households", "members", "visits"})
    household_opened = Signal(str)  # id, after the editor was opened

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.order, self.descending = "village", False
        self.editor = None
        self.last_export: Path | None = None
        self._capped = False
        self._matched: dict[str, list[str]] = {}
        self._loading = False
        self._reload_pending = False
        self._generation = 0
        self._open_single_after_load = False
        self._select_after: str | None = None  # a household just registered, selected once the list has it
        can_write = session.can(permissions.WRITE_REGISTER)

        filters = self._build_filters()
        self._build_list()
        actions = self._build_actions(can_write)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self._wire_keys(can_write)
        self._update_buttons()

    def _build_filters(self) -> QHBoxLayout:
        """Search box and filters, above the list."""
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials (zs) or part of an ID number"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(300)
        self.village = QComboBox(self)
        village_combo(self.village, self.session.office.code, self.tr("All villages"))
        self.village.setMinimumWidth(140)
        self.category = QComboBox(self)
        self.category.addItem(self.tr("All categories"), "")
        for c in HOUSEHOLD_CATEGORIES:
            self.category.addItem(c, c)
        self.risk = QComboBox(self)
        self.risk.addItem(self.tr("Any risk"), 0)
        for level in (1, 2, 3):
            self.risk.addItem(self.tr("Risk %1 or higher").replace("%1", RISK_NAMES[level]), level)
        self.overdue = QCheckBox(self.tr("Not visited this month"), self)
        self.overdue.setToolTip(self.tr("Households under watch with no visit recorded in the current month"))
        self.archived = QCheckBox(self.tr("Show archived"), self)
        self.archived.setToolTip(self.tr("Only the archived households; open one to restore it"))

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.village, 1)
        filters.addWidget(self.category)
        filters.addWidget(self.risk)
        filters.addWidget(self.overdue)
        filters.addWidget(self.archived)
        return filters

    def _build_list(self) -> None:
        self.model = LazyTableModel(
            COLUMNS, fetch_ids=None, fetch_rows=self._fetch_rows, on_sort=self._on_sort, parent=self
        )
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        vh.setMinimumWidth(48)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setSortIndicatorShown(True)
        hh.setHighlightSections(False)
        for i, width in enumerate(WIDTHS):
            self.view.setColumnWidth(i, width)
        self.view.setSortingEnabled(True)
        hh.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setColumnHidden(MATCHED_COLUMN, True)  # shown while a search is on
        self.view.doubleClicked.connect(lambda _i: self.open_selected())

    def _build_actions(self, can_write: bool) -> QHBoxLayout:
        """Count and buttons, below the list."""
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("&New household"), self)
        self.new_button.setToolTip(self.tr("Ctrl+N"))
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setToolTip(self.tr("Enter or double-click"))
        self.archive_button = QPushButton(self.tr("&Archive…"), self)
        self.export_button = QPushButton(self.tr("&Export to Excel…"), self)
        self.new_button.setVisible(can_write)
        self.archive_button.setVisible(can_write)
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.open_button.clicked.connect(self.open_selected)
        # clicked(checked) must not reach the optional reason / path parameters
        self.archive_button.clicked.connect(lambda _checked=False: self.archive_selected())
        self.export_button.clicked.connect(lambda _checked=False: self.export())

        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for b in (self.new_button, self.open_button, self.archive_button, self.export_button):
            actions.addWidget(b)
        return actions

    def _wire_keys(self, can_write: bool) -> None:
        """Typing debounce, filter changes, and the page's keyboard shortcuts."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        for w in (self.village, self.category, self.risk):
            w.currentIndexChanged.connect(lambda _i: self.reload())
        self.overdue.toggled.connect(lambda _b: self.reload())
        self.archived.toggled.connect(lambda _b: self.reload())
        if can_write:
            QShortcut(QKeySequence.StandardKey.New, self).activated.connect(lambda: self.open_editor(None))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.view, context=Qt.ShortcutContext.WidgetShortcut).activated.connect(
                self.open_selected
            )
        QShortcut(
            QKeySequence(Qt.Key.Key_Down), self.search, context=Qt.ShortcutContext.WidgetShortcut
        ).activated.connect(self._to_list)
        # No Ctrl+F here: the main window's Find action owns it (two shortcuts on one key are
        # ambiguous and Qt then fires neither); it shows this page and calls focus_search().
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    # --- public ---------------------------------------------------------------

    def refresh(self) -> None:
        self.reload()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def query(self) -> HouseholdQuery:
        return HouseholdQuery(
            text=self.search.text().strip(),
            village_code=self.village.currentData() or "",
            category=self.category.currentData() or "",
            min_risk=self.risk.currentData() or 0,
            overdue_on=date.today() if self.overdue.isChecked() else None,
            only_archived=self.archived.isChecked(),
        )

    def selected_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        # This page's model holds household ids, which are strings.
        return cast("str | None", self.model.id_at(rows[0].row())) if rows else None

    # --- loading --------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the ids for the current search, filters and order (off the GUI thread)."""
        self._debounce.stop()
        if self._loading:  # one query at a time on our connection; the last one wins
            self._reload_pending = True
            return
        self._loading = True
        self._generation += 1
        generation = self._generation
        q, order, desc = self.query(), self.order, self.descending
        self.read(lambda s, _p: s.register.ids(q, order, desc)).success(
            lambda result: self._loaded(generation, result)
        ).failure(self._load_failed).run()

    def _loaded(self, generation: int, result) -> None:
        self._loading = False
        if self._reload_pending:
            self._reload_pending = False
            self.reload()
            return
        if generation != self._generation:
            return
        keep = self._select_after or self.selected_id()
        saved_new, self._select_after = self._select_after, None
        self._capped = result.capped
        self._matched = result.matched
        self.model.set_ids(result.ids)
        self.view.setColumnHidden(MATCHED_COLUMN, not result.matched)
        row = self.model.row_of(keep) if keep else None
        if row is None and result.ids and self.search.text().strip():
            row = 0
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        self._update_count()
        self._update_buttons()
        if saved_new:
            self._say_saved(saved_new, row is not None and self.model.id_at(row) == saved_new)
        if self._open_single_after_load:
            self._open_single_after_load = False
            self._search_entered()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._open_single_after_load = False
        self._reload_pending = False
        self.count_label.setText(str(exc) if isinstance(exc, DoudiError) else self.tr("The list could not be loaded."))
        if not isinstance(exc, DoudiError):
            raise exc

    def _fetch_rows(self, ids):
        # Painting cannot wait for an op: a page of rows by id is read on the spot.
        page_ids = list(ids)
        rows = read_now(lambda s: s.households.rows(page_ids), self)
        return {hid: _row_tuple(r, "、".join(self._matched.get(hid, ()))) for hid, r in rows.items()}

    def _on_sort(self, column: Column, order: Qt.SortOrder) -> None:
        self.order = column.key or "village"
        self.descending = order == Qt.SortOrder.DescendingOrder
        QTimer.singleShot(0, self.reload)

    def _update_count(self) -> None:
        n = len(self.model.ids())
        if self._capped:
            text = (
                self.tr("More than %1 people match; showing %2 households. Keep typing to narrow the search.")
                .replace("%1", str(SEARCH_CAP))
                .replace("%2", str(n))
            )
        else:
            text = self.tr("%1 households").replace("%1", str(n))
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.open_button.setEnabled(has)
        self.archive_button.setEnabled(has and not self.archived.isChecked())
        self.export_button.setEnabled(len(self.model.ids()) > 0)

    def _search_entered(self) -> None:
        """Enter in the search box: one match opens, several move into the list."""
        if self._debounce.isActive() or self._loading:
            # Enter typed before the debounce ran: search now, then decide on the fresh list.
            self._open_single_after_load = True
            self.reload()
            return
        if self.model.rowCount() == 1 and not self._capped:
            self.view.selectRow(0)
            self.open_selected()
            return
        self._to_list()

    def _to_list(self) -> None:
        if self.model.rowCount() == 0:
            return
        if self.selected_id() is None:
            self.view.selectRow(0)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions --------------------------------------------------------------

    def open_selected(self) -> None:
        hid = self.selected_id()
        if hid:
            self.open_editor(hid)

    def open_editor(self, household_id: str | None):
        from ..household_editor import HouseholdEditor

        if household_id is None and not self.session.can(permissions.WRITE_REGISTER):
            return None
        editor = HouseholdEditor(self.session, household_id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.finished.connect(lambda _r: setattr(self, "editor", None))
        if household_id is None:
            editor.saved.connect(self._new_saved)
        self.editor = editor
        editor.open()
        if household_id:
            self.household_opened.emit(household_id)
        return editor

    def _new_saved(self, household_id: str) -> None:
        """A household just registered: select it in the list, so the clerk sees where it went."""
        self._select_after = household_id
        self.reload()

    def _say_saved(self, household_id: str, shown: bool) -> None:
        head = read_now(lambda s: s.households.rows([household_id]), self).get(household_id)
        name = head.head_name if head else ""
        if shown:
            self.message.info(self.tr("Saved: the household of %1.").replace("%1", name))
        else:
            # The search or filters hide it; say so rather than leave the clerk looking for it.
            self.message.info(
                self.tr("Saved: the household of %1. The current search or filters do not show it.").replace("%1", name)
            )

    def archive_selected(self, reason: str | None = None) -> bool:
        """Ask why, then archive in a write op; False when there was nothing to archive or the user
        cancelled. The list refreshes from the op's changes."""
        hid = self.selected_id()
        if not hid:
            return False
        row_index = self.model.row_of(hid)
        row = self.model.row_tuple(row_index) if row_index is not None else None
        head = row[1] if row else ""
        if reason is None:
            # The editor's dialog: the reason is required, and a refusal (an open application, a
            # household still paid) keeps the dialog open with what was typed.
            from ..household_editor import ArchiveDialog

            dlg = ArchiveDialog(hid, self)
            dlg.saved.connect(lambda _h: self._archived(head))
            open_dialog(self, dlg)
            return True
        self.message.clear_message()
        self.archive_button.setEnabled(False)
        (
            self.write(lambda s, _p: s.households.archive(hid, reason))
            .success(lambda _h: self._archived(head))
            .failure(self._archive_refused)
            .run()
        )
        return True

    def _archived(self, head: str) -> None:
        self._update_buttons()
        self.message.info(self.tr("The household of %1 was archived.").replace("%1", head))

    def _archive_refused(self, exc: BaseException) -> None:
        self._update_buttons()
        if not isinstance(exc, DoudiError):
            raise exc
        self.message.error(error_sentence(exc))

    def export(self, path: str | Path | None = None) -> None:
        """Export the households of the current view, in its order, to an Excel file."""
        if path is None:
            suggested = str(Path.home() / (self.tr("households") + f"-{date.today():%Y%m%d}.xlsx"))
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export to Excel"), suggested, self.tr("Excel workbook (*.xlsx)")
            )
            if not path:
                return
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        ids = list(self.model.ids())

        def work(s, progress):
            from ...reports.excel_export import export_households

            rows = s.register.export_rows(ids)
            return export_households(path, rows, progress=lambda done: progress.update(done, len(ids)))

        label = self.tr("Exporting %1 households…").replace("%1", str(len(ids)))
        self.read(work).with_progress(label, cancellable=True).success(self._exported).failure(
            self._export_failed
        ).run()

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.message.info(self.tr("Exported to %1").replace("%1", str(path)))

    def _export_failed(self, exc: BaseException) -> None:
        self.message.error(
            error_sentence(exc)
            if isinstance(exc, DoudiError)
            else self.tr("The file could not be written: %1").replace("%1", str(exc))
        )
