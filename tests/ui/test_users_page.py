"""用户 page: the administrator adds, resets and deactivates users."""
import pytest

from app.errors import AuthFailed
from app.services.office import open_session
from app.ui.pages.users import UsersPage


def _page(qtbot, session):
    page = UsersPage(session)
    qtbot.addWidget(page)
    page.refresh()
    return page


def _add(page, username, password, role="clerk", name="李经办", repeat=None):
    dlg = page.open_add_dialog()
    f = dlg.fields
    f["username"].setText(username)
    f["display_name"].setText(name)
    f["role"].setCurrentIndex(f["role"].findData(role))
    f["password"].setText(password)
    f["repeat"].setText(password if repeat is None else repeat)
    dlg.accept()
    return dlg


def test_admin_adds_a_clerk_who_can_sign_in(qtbot, office):
    session, _code, data_dir = office
    page = _page(qtbot, session)
    assert page.model.rowCount() == 1
    dlg = _add(page, "lijb", "lijb-pass-2030")
    assert not dlg.isVisible(), dlg.error.text()
    assert page.model.rowCount() == 2
    row = next(i for i, u in enumerate(page.model.rows) if u.username == "lijb")
    assert page.model.data(page.model.index(row, 0)) == "李经办"
    assert page.model.data(page.model.index(row, 2)) == "经办人"
    s = open_session(data_dir, "lijb", "lijb-pass-2030")
    assert s.user.role == "clerk"
    s.close()


def test_weak_password_and_duplicate_are_refused(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session)
    dlg = _add(page, "weak", "aaa")
    assert dlg.isVisible() and "8" in dlg.error.text()
    dlg.reject()
    dlg = _add(page, "other", "good-pass-2030", repeat="good-pass-2031")
    assert dlg.isVisible() and dlg.error.text()
    dlg.reject()
    dlg = _add(page, "admin", "good-pass-2030")
    assert dlg.isVisible() and "已存在" in dlg.error.text()
    dlg.reject()
    assert [u.username for u in session.users.list()] == ["admin"]


def test_reset_and_deactivate(qtbot, office):
    session, _code, data_dir = office
    session.users.add("rev1", "reviewer", "rev1-pass-2030", display_name="马审核")
    page = _page(qtbot, session)
    assert page.select_user("rev1")
    dlg = page.open_reset_dialog()
    dlg.fields["password"].setText("rev1-new-2030")
    dlg.fields["repeat"].setText("rev1-new-2030")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    open_session(data_dir, "rev1", "rev1-new-2030").close()

    page.select_user("rev1")
    assert page.deactivate_button.isEnabled()
    dlg = page.open_deactivate_dialog()
    dlg.accept()
    assert not dlg.isVisible()
    row = next(i for i, u in enumerate(page.model.rows) if u.username == "rev1")
    assert page.model.data(page.model.index(row, 3)) in ("停用", "Deactivated")
    with pytest.raises(AuthFailed):
        open_session(data_dir, "rev1", "rev1-new-2030")
    page.select_user("rev1")
    assert not page.deactivate_button.isEnabled() and not page.reset_button.isEnabled()
    # the administrator cannot deactivate themself
    page.select_user("admin")
    assert not page.deactivate_button.isEnabled() and page.deactivate_button.toolTip()


def test_clerk_buttons_disabled(qtbot, clerk):
    page = _page(qtbot, clerk)
    assert not page.add_button.isEnabled() and page.add_button.toolTip()
    assert page.open_add_dialog() is None
    page.select_user("admin")
    assert not page.reset_button.isEnabled() and not page.deactivate_button.isEnabled()
    assert page.deactivate_button.toolTip()
    # a clerk may still set their own password
    page.select_user("clerk1")
    assert page.reset_button.isEnabled() and not page.deactivate_button.isEnabled()


def test_chinese_roles_and_status(qtbot, clerk, zh_translators):
    page = _page(qtbot, clerk)
    roles = {u.username: page.model.data(page.model.index(i, 2)) for i, u in enumerate(page.model.rows)}
    assert roles == {"admin": "管理员", "clerk1": "经办人"}
    assert page.model.data(page.model.index(0, 3)) == "在用"
    assert "恢复码" in page.explain.text()
