"""A table model over ids only, fetching the visible rows in pages (after Anki's browser).

The ids of all matching rows, already filtered and sorted by the database, come from an op
(``set_ids``) or from ``fetch_ids()``. The model keeps only that list. When the view paints a row, the
model fetches the page of ~100 ids around it with ``fetch_rows(ids) -> {id: tuple}`` and
keeps a few pages in an LRU cache. 200,000 households cost one list of ids, not 200,000
rows of widgets.

    COLUMNS = [
        Column(QT_TRANSLATE_NOOP("Columns", "Name"), field=1),
        Column(QT_TRANSLATE_NOOP("Columns", "ID number"), field=2, formatter=mask_id),
        Column(QT_TRANSLATE_NOOP("Columns", "Amount"), field=3,
               align=Qt.AlignRight | Qt.AlignVCenter, formatter=lambda v: f"{v / 100:.2f}"),
    ]
    model = LazyTableModel(COLUMNS, fetch_ids=None,
                           fetch_rows=lambda ids: read_now(lambda s: s.households.rows(ids), page))
    Op(page, lambda s, _p: s.register.ids(query)).success(model.set_ids).run()

A page of rows must
be answered before ``data()`` returns, so ``fetch_rows`` is the one read that runs on the GUI
thread: through ``app.ui.ops.read_now``, never a connection of its own, and only page-sized.

Headers are English source strings translated at display time with
``QCoreApplication.translate(column.context, column.header)``; mark them with
``QT_TRANSLATE_NOOP("Columns", …)`` so lupdate picks them up.

Views: keep rows a fixed height (``verticalHeader().setSectionResizeMode(QHeaderView.Fixed)``)
and never ``resizeRowsToContents()``/``ResizeToContents`` on rows: those read every row.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

__all__ = ["ROW_ID_ROLE", "ROW_TUPLE_ROLE", "Column", "LazyTableModel"]

log = logging.getLogger(__name__)

Id = Hashable
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_TUPLE_ROLE = Qt.ItemDataRole.UserRole + 2

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    """One column: *header* (English source text), which tuple *field* it shows, how."""

    header: str
    field: int
    align: Qt.AlignmentFlag = _LEFT
    formatter: Callable[[Any], str] | None = None
    context: str = "Columns"
    key: str | None = None  # name handed to on_sort; defaults to the header
    sortable: bool = True

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if self.formatter is not None:
            return self.formatter(value)
        return str(value)


class LazyTableModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Column],
        fetch_ids: Callable[[], Iterable[Id]] | None,
        fetch_rows: Callable[[Sequence[Id]], Mapping[Id, tuple]],
        *,
        page_size: int = 100,
        cache_pages: int = 8,
        on_sort: Callable[[Column, Qt.SortOrder], None] | None = None,
        parent: Any = None,
    ):
        super().__init__(parent)
        if page_size < 1 or cache_pages < 1:
            raise ValueError("page_size and cache_pages must be positive")
        self.columns = list(columns)
        self._fetch_ids = fetch_ids
        self._fetch_rows = fetch_rows
        self._on_sort = on_sort
        self.page_size = page_size
        self.cache_pages = cache_pages
        self._ids: list[Id] = []
        self._pages: OrderedDict[int, dict[Id, tuple]] = OrderedDict()
        self._row_of: dict[Id, int] | None = None

    # ---- loading

    def refresh(self) -> None:
        """Fetch the ids again (after a search, a filter change or a write) and drop the cache.

        Without ``fetch_ids`` (the ids come from an op via :meth:`set_ids`) only the cache is dropped.
        """
        self.set_ids(self._fetch_ids() if self._fetch_ids is not None else list(self._ids))

    def set_ids(self, ids: Iterable[Id]) -> None:
        """Use ids fetched elsewhere, e.g. by an :class:`app.ui.ops.Op` off the GUI thread."""
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        self._row_of = None
        self.endResetModel()

    def invalidate(self, ids: Iterable[Id] | None = None) -> None:
        """Forget cached rows (all, or those of *ids*) so they are fetched again when painted."""
        if ids is None:
            self._pages.clear()
            rows: Sequence[int] = range(len(self._ids))
        else:
            rows = sorted(r for r in (self.row_of(i) for i in ids) if r is not None)
            for page in {r // self.page_size for r in rows}:
                self._pages.pop(page, None)
        if rows and self.columns:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(self.columns) - 1))

    # ---- lookups

    def ids(self) -> Sequence[Id]:
        return self._ids

    def id_at(self, row: int) -> Id | None:
        if 0 <= row < len(self._ids):
            return self._ids[row]
        return None

    def row_of(self, row_id: Id) -> int | None:
        """Row of *row_id* (builds an id->row index on first use after each refresh)."""
        if self._row_of is None:
            self._row_of = {rid: r for r, rid in enumerate(self._ids)}
        return self._row_of.get(row_id)

    def row_tuple(self, row: int) -> tuple | None:
        """The fetched tuple of *row* (fetching its page if needed), or None if gone."""
        row_id = self.id_at(row)
        if row_id is None:
            return None
        return self._page(row // self.page_size).get(row_id)

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _page(self, page: int) -> dict[Id, tuple]:
        cached = self._pages.get(page)
        if cached is not None:
            self._pages.move_to_end(page)
            return cached
        start = page * self.page_size
        page_ids = self._ids[start : start + self.page_size]
        rows = dict(self._fetch_rows(page_ids)) if page_ids else {}
        self._pages[page] = rows
        while len(self._pages) > self.cache_pages:
            self._pages.popitem(last=False)
        return rows

    # ---- Qt model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(column.context, column.header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return column.align
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == ROW_ID_ROLE:
            return self.id_at(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[col].align
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ROW_TUPLE_ROLE):
            return None
        values = self.row_tuple(row)
        if role == ROW_TUPLE_ROLE:
            return values
        if values is None:  # deleted since the ids were fetched
            return ""
        column = self.columns[col]
        try:
            return column.display(values[column.field])
        except Exception:  # a bad formatter must not break painting
            log.exception("formatting column %s failed", column.header)
            return "?"

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the database: tell the caller, then fetch the ids again."""
        if self._on_sort is None or not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        if not col.sortable:
            return
        self._on_sort(col, order)
        self.refresh()
