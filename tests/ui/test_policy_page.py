"""政策参数 page: figures in force for a month, unconfirmed ones marked, adding a period."""

from datetime import date

from app.domain.policy.figures import FIGURES
from app.ui.pages.policy import TITLES, PolicyPage

RURAL = "dibao.rural_standard_annual"


def _page(qtbot, session, month, bus=None):
    page = PolicyPage(session)
    qtbot.addWidget(page)
    if bus is not None:
        bus.append(page)
    page.month.set_month(month)
    page.show()  # a page loads when first shown
    return page


def _value(page, key):
    row = next(i for i, r in enumerate(page.model.rows) if r.key == key)
    return page.model.data(page.model.index(row, 1)), page.model.data(page.model.index(row, 3))


def test_every_figure_the_domain_declares_has_a_title_and_no_other(office):
    session, _code, _dir = office
    assert set(TITLES) == {f.key for f in FIGURES}
    keys = {k for p in session.policy.policy_book().periods for k in p.values}
    assert keys <= set(TITLES)


def test_the_editor_follows_the_declaration(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session, "2022-03")
    dlg = page.open_add_dialog()
    for f in FIGURES:
        editor = dlg.select_figure(f.key)
        assert (editor.none_box is not None) == f.nullable, f.key
        if f.kind == "money_map":
            assert set(f.keys) <= set(editor.edits), f.key
        if f.kind == "choice":
            assert [editor.combo.itemData(i) for i in range(editor.combo.count())] == list(f.options), f.key


def test_2022_rural_standard_and_unconfirmed_marks(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session, "2022-03")
    value, status = _value(page, RURAL)
    assert "5520.00" in value and "460.00" in value
    row = page.row_for(RURAL)
    assert row.item.unconfirmed and status in ("未确认", "Unconfirmed")
    # Every unconfirmed figure is marked, and only those.
    marked = {r.key for r in page.model.rows if r.item.unconfirmed}
    assert marked == set(page.params.unconfirmed) and marked
    i = next(i for i, r in enumerate(page.model.rows) if r.item.unconfirmed)
    j = next(i for i, r in enumerate(page.model.rows) if not r.item.unconfirmed)
    from PySide6.QtCore import Qt

    assert page.model.data(page.model.index(i, 3)) != page.model.data(page.model.index(j, 3))
    assert page.model.data(page.model.index(i, 3), Qt.ItemDataRole.BackgroundRole) is not None
    assert page.model.data(page.model.index(j, 3), Qt.ItemDataRole.BackgroundRole) is None
    # per-tier amounts are shown compactly, money with two decimals
    care, _ = _value(page, "tekun.care_monthly")
    assert "全自理 60.00" in care and "全失能 600.00" in care
    # the periods list shows every period, newest first
    assert page.periods.rowCount() == len(page.book.periods)
    assert page.periods.item(0, 0).text() == page.book.periods[-1].effective_from.isoformat()


def test_admin_adds_a_period(qtbot, office, bus):
    session, _code, _dir = office
    page = _page(qtbot, session, "2029-12", bus)
    assert page.add_button.isEnabled()
    dlg = page.open_add_dialog()
    dlg.effective.set_value(date(2030, 1, 1))
    dlg.source.setText("宁民发〔2029〕7号")
    editor = dlg.select_figure(RURAL)
    editor.edit.setText("7200")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    stored = session.policy.policy_book().for_month("2030-01").items[RURAL]
    assert stored.source == "宁民发〔2029〕7号" and not stored.unconfirmed
    assert "2030-01-01" in page.message.text()
    # The page reloaded the book from the write op's changes: the new period is listed at once.
    assert page.periods.item(0, 0).text() == "2030-01-01"

    page.month.set_month("2030-01")
    value, _status = _value(page, RURAL)
    assert "7200.00" in value and "600.00" in value
    assert not page.row_for(RURAL).item.unconfirmed
    page.month.set_month("2029-12")
    value, _status = _value(page, RURAL)
    assert "5520.00" in value
    assert page.periods.item(0, 0).text() == "2030-01-01"


def test_several_figures_in_one_period_unconfirmed(qtbot, office, bus):
    session, _code, _dir = office
    page = _page(qtbot, session, "2031-01", bus)
    dlg = page.open_add_dialog()
    dlg.effective.set_value(date(2031, 1, 1))
    dlg.source.setText("泾民发〔2030〕2号")
    dlg.confirmed.setChecked(False)
    dlg.select_figure("dibao.urban_standard_monthly").edit.setText("850.5")
    assert dlg.stage_current()
    ed = dlg.select_figure("orphan.monthly")
    ed.edits["散居"].setText("1200")
    assert dlg.stage_current()
    assert dlg.staged_list.count() == 2
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    p = session.policy.policy_book().for_month("2031-01")
    assert p.urban_standard_monthly_fen == 85050 and p.items["dibao.urban_standard_monthly"].unconfirmed
    assert p.orphan_monthly_fen["散居"] == 120000
    value, _ = _value(page, "dibao.urban_standard_monthly")
    assert "850.50" in value


def test_missing_source_is_refused_in_the_dialog(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session, "2022-03")
    n = len(session.policy.policy_book().periods)
    dlg = page.open_add_dialog()
    dlg.effective.set_value(date(2030, 1, 1))
    dlg.select_figure(RURAL).edit.setText("7200")
    dlg.accept()
    assert dlg.isVisible() and "文件依据" in dlg.error.text()
    # a bad value is refused with the service's sentence too
    dlg.source.setText("宁民发〔2029〕7号")
    dlg.select_figure("grace.months").edit.setText("9")
    dlg.accept()
    assert dlg.isVisible() and "6" in dlg.error.text()
    assert len(session.policy.policy_book().periods) == n


def test_clerk_cannot_add(qtbot, clerk):
    page = _page(qtbot, clerk, "2022-03")
    assert not page.add_button.isEnabled() and page.add_button.toolTip()
    assert page.open_add_dialog() is None
    assert page.model.rowCount() > 0


def test_month_before_the_first_period(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session, "2010-01")
    assert page.model.rowCount() == 0 and page.message.text()
    page.month.set_month("2014-01")
    assert page.model.rowCount() == 2 and not page.message.isVisible()


def test_an_edited_figure_is_kept_even_if_not_added_to_the_list(qtbot, office, bus):
    session, _code, _dir = office
    page = _page(qtbot, session, "2032-01", bus)
    dlg = page.open_add_dialog()
    dlg.effective.set_value(date(2032, 1, 1))
    dlg.source.setText("宁民发〔2031〕3号")
    dlg.select_figure(RURAL).edit.setText("8000")
    assert dlg.stage_current()
    dlg.select_figure("monitoring.annual_line")  # shown, not changed: not saved
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    period = session.policy.policy_book().periods[-1]
    assert set(period.values) == {RURAL}
    dlg = page.open_add_dialog()
    dlg.effective.set_value(date(2033, 1, 1))
    dlg.source.setText("宁民发〔2032〕3号")
    dlg.select_figure(RURAL).edit.setText("8400")
    assert dlg.stage_current()
    dlg.select_figure("monitoring.annual_line").edit.setText("9000")  # changed, not listed: saved too
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    period = session.policy.policy_book().periods[-1]
    assert set(period.values) == {RURAL, "monitoring.annual_line"}


def test_chinese_names_and_marks(qtbot, office, zh_translators):
    session, _code, _dir = office
    page = _page(qtbot, session, "2022-03")
    name = page.model.data(page.model.index(next(i for i, r in enumerate(page.model.rows) if r.key == RURAL), 0))
    assert name == "农村低保标准（每人）"
    value, status = _value(page, RURAL)
    assert value == "5520.00 元/年（460.00 元/月）" and status == "未确认"
    assert page.add_button.text() == "新增施行期…"


def test_sources_are_named_in_words_not_by_code(qtbot, office):
    """The 依据 column names the policy a clerk can look up, never the book's codes (S6, Memory)."""
    session, _code, _dir = office
    page = _page(qtbot, session, "2022-03")
    sources = [page.model.data(page.model.index(i, 4)) for i in range(len(page.model.rows))]
    assert any("《最低生活保障审核确认办法》" in s for s in sources)
    for text in sources:
        assert "Memory" not in text and not any(f"S{n}" in text for n in range(1, 20)), text
    tekun = next(r for r in page.model.rows if r.key == "tekun.basic_ratio")
    assert "Memory" not in tekun.source_note


def test_a_compound_source_names_each_policy():
    from app.ui.pages.policy.figures_table import source_text

    text = source_text("S1 第二十三条; S6 item 5")
    assert text.startswith("《最低生活保障审核确认办法》第二十三条；《关于改革完善社会救助制度的意见》")
    assert source_text("宁民发〔2029〕7号") == "宁民发〔2029〕7号"  # a typed document number stays
