"""The household file's visits tab: a reviewer reads each visit's kind and what was wrong with each item."""

from datetime import date

from PySide6.QtCore import Qt

from app.domain.entities import Visit
from app.ui.household_editor.visits_tab import FINDINGS_COLUMN, VisitHistoryTable, findings


def test_each_item_not_assured_is_shown_with_its_own_note():
    v = Visit(
        housing_ok=False,
        water_ok=False,
        medical_ok=False,
        item_notes={"housing_ok": "后墙开裂", "water_ok": "靠拉运。"},
    )
    # an old visit saved before item notes has none: the item is still named; a closing 。 goes
    assert findings(v) == ["基本医疗", "住房安全：后墙开裂", "饮水安全：靠拉运"]


def _text(table, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def test_the_table_shows_the_kind_and_the_findings_newest_first(qtbot):
    table = VisitHistoryTable()
    qtbot.addWidget(table)
    old = Visit(visit_date=date(2026, 1, 5), visitors="甲、乙")
    later = Visit(
        visit_date=date(2026, 3, 5), visitors="丙、丁", kind="回访", housing_ok=False, item_notes={"housing_ok": "漏雨"}
    )
    table.show_visits([old, later])
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    assert headers[1] == "Kind" and headers[FINDINGS_COLUMN] == "Not guaranteed"
    assert [_text(table, r, 1) for r in range(2)] == ["回访", "常规核查"]
    assert _text(table, 0, FINDINGS_COLUMN) == "住房安全：漏雨"
    assert _text(table, 1, FINDINGS_COLUMN) == "all guaranteed"
