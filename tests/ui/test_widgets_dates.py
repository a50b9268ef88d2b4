"""The month field: a month is typed whole, wherever the cursor stood, and never passes its latest month."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.domain.policy import months
from app.ui.widgets.dates import MonthEdit


@pytest.fixture
def month_edit(qtbot):
    edit = MonthEdit("2026-11")
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    return edit


@pytest.mark.parametrize("typed", ["2026-12", "202612"])
@pytest.mark.parametrize("cursor", [0, 2, 5, 7])  # in the year, inside it, in the month, at the end
def test_typing_a_month_replaces_the_whole_text(month_edit, qtbot, typed, cursor):
    seen: list[str] = []
    month_edit.month_changed.connect(seen.append)
    month_edit.lineEdit().setCursorPosition(cursor)
    qtbot.keyClicks(month_edit, typed)
    assert month_edit.month() == "2026-12" and month_edit.text() == "2026-12"
    assert seen == ["2026-12"]  # one change, not one per digit


def test_the_year_typed_is_kept_and_a_single_month_digit_ends_the_entry(month_edit, qtbot):
    qtbot.keyClicks(month_edit, "2025-3")
    assert month_edit.month() == "2025-03"


def test_month_one_waits_for_a_second_digit_and_enter_takes_it(month_edit, qtbot):
    qtbot.keyClicks(month_edit, "2026-1")
    assert month_edit.text() == "2026-1" and month_edit.month() == "2026-11"  # still typing
    qtbot.keyClick(month_edit, Qt.Key.Key_Return)
    assert month_edit.month() == "2026-01"


def test_half_a_month_then_escape_keeps_the_month_shown_before(month_edit, qtbot):
    qtbot.keyClicks(month_edit, "20")
    qtbot.keyClick(month_edit, Qt.Key.Key_Escape)
    assert month_edit.month() == "2026-11" and month_edit.text() == "2026-11"


def test_month_thirteen_is_not_taken(month_edit, qtbot):
    qtbot.keyClicks(month_edit, "2026-13")
    assert month_edit.month() == "2026-11"  # the 3 was refused; "2026-1" is still being typed
    qtbot.keyClicks(month_edit, "0")
    assert month_edit.month() == "2026-10"


def test_a_month_after_the_latest_allowed_is_not_taken(qtbot):
    edit = MonthEdit("2020-01", latest="now")
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    current = months.of(date.today())
    qtbot.keyClicks(edit, str(date.today().year + 1) + "-01")
    assert edit.month() == current
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.month() == current
