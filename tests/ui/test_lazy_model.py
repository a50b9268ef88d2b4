"""The lazy table model: ids only, rows fetched a page at a time, sorting left to the database."""

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from app.ui.i18n import QT_TRANSLATE_NOOP
from app.ui.lazy_model import ROW_ID_ROLE, Column, LazyTableModel

N = 200_000


class FakeSource:
    """200,000 households; records which ids were asked for."""

    def __init__(self, n=N):
        self.all_ids = list(range(1000, 1000 + n))
        self.deleted = set()
        self.id_calls = 0
        self.row_calls: list[list[int]] = []
        self.descending = False

    def fetch_ids(self):
        self.id_calls += 1
        ids = [i for i in self.all_ids if i not in self.deleted]
        return list(reversed(ids)) if self.descending else ids

    def fetch_rows(self, ids):
        self.row_calls.append(list(ids))
        return {i: (i, f"户主{i}", i * 10) for i in ids if i not in self.deleted}

    def on_sort(self, column, order):
        self.descending = order == Qt.SortOrder.DescendingOrder

    @property
    def rows_fetched(self):
        return sum(len(c) for c in self.row_calls)


COLUMNS = [
    Column(QT_TRANSLATE_NOOP("Columns", "Name"), field=1),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Amount"),
        field=2,
        align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        formatter=lambda cents: f"{cents / 100:.2f}",
    ),
]


def make(src, **kw):
    model = LazyTableModel(COLUMNS, src.fetch_ids, src.fetch_rows, on_sort=src.on_sort, **kw)
    model.refresh()
    return model


def test_holds_ids_only_until_asked():
    src = FakeSource()
    model = make(src)
    assert model.rowCount() == N and model.columnCount() == 2
    assert src.row_calls == []
    assert model.id_at(0) == 1000 and model.id_at(N - 1) == 1000 + N - 1
    assert model.id_at(N) is None and model.id_at(-1) is None


def test_data_fetches_one_page_and_formats():
    src = FakeSource()
    model = make(src)
    idx = model.index(150, 1)
    assert model.data(idx) == f"{(1150 * 10) / 100:.2f}"
    assert model.data(model.index(150, 0)) == "户主1150"
    assert model.data(idx, ROW_ID_ROLE) == 1150
    assert model.data(idx, Qt.ItemDataRole.TextAlignmentRole) == COLUMNS[1].align
    assert src.row_calls == [list(range(1100, 1200))]  # page 1 only
    model.data(model.index(199, 0))  # same page: cached
    assert len(src.row_calls) == 1


def test_lru_cache_is_bounded():
    src = FakeSource()
    model = make(src, cache_pages=3)
    for page in range(5):
        model.data(model.index(page * 100, 0))
    assert model.cached_pages() == [2, 3, 4]
    model.data(model.index(0, 0))  # evicted: fetched again
    assert len(src.row_calls) == 6


def test_view_fetches_only_visible_pages(qtbot):
    src = FakeSource()
    model = make(src)
    view = QTableView()
    qtbot.addWidget(view)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(50)
    assert 0 < src.rows_fetched <= 200, src.rows_fetched
    assert all(c[0] in (1000, 1100) for c in src.row_calls)

    # Jump to the end: only the last page(s) are fetched.
    src.row_calls.clear()
    view.scrollToBottom()
    qtbot.wait(50)
    assert 0 < src.rows_fetched <= 200
    assert max(max(c) for c in src.row_calls) == 1000 + N - 1
    assert min(min(c) for c in src.row_calls) >= 1000 + N - 200


def test_refresh_after_delete_and_missing_rows():
    src = FakeSource(n=500)
    model = make(src)
    src.deleted.add(1003)  # deleted after the ids were fetched
    assert model.data(model.index(3, 0)) == ""
    model.refresh()
    assert model.rowCount() == 499 and model.id_at(3) == 1004
    assert src.id_calls == 2 and model.cached_pages() == []


def test_invalidate_refetches_changed_rows(qtbot):
    src = FakeSource(n=500)
    model = make(src)
    model.data(model.index(250, 0))
    model.data(model.index(10, 0))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.invalidate([1250])
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.row() == bottom.row() == 250
    assert sorted(model.cached_pages()) == [0]
    assert model.row_of(1250) == 250 and model.row_of(99) is None


def test_sort_is_delegated_to_the_database():
    src = FakeSource(n=300)
    model = make(src)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.id_at(0) == 1299 and src.id_calls == 2


def test_headers_are_translated(zh_translators):
    model = make(FakeSource(n=10))
    assert model.headerData(0, Qt.Orientation.Horizontal) == QCoreApplication.translate("Columns", "Name")
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) == COLUMNS[1].align
    assert model.headerData(0, Qt.Orientation.Vertical) == 1
    assert not model.index(0, 0).parent().isValid() and model.rowCount(model.index(0, 0)) == 0
    assert model.rowCount(QModelIndex()) == 10
