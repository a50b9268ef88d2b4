"""用户 page: the administrator adds, resets and deactivates users; the list follows each write."""

import pytest

from app.errors import AuthFailed
from app.services.office import open_session
from app.ui import ops
from app.ui.pages.users import UsersPage
from app.ui.sign_in import ChangePasswordDialog
from tests.conftest import ADMIN_PASSWORD


def _page(qtbot, session, bus=None):
    page = UsersPage(session)
    qtbot.addWidget(page)
    if bus is not None:
        bus.append(page)
    page.show()  # a page loads when first shown
    return page


def _add(page, username, password, *, role="clerk", name="李经办", repeat=None):
    dlg = page.open_add_dialog()
    f = dlg.fields
    f["username"].setText(username)
    f["display_name"].setText(name)
    f["role"].setCurrentIndex(f["role"].findData(role))
    f["password"].setText(password)
    f["repeat"].setText(password if repeat is None else repeat)
    dlg.accept()
    return dlg


def test_admin_adds_a_clerk_who_can_sign_in(qtbot, office, bus):
    session, _code, data_dir = office
    page = _page(qtbot, session, bus)
    assert page.model.rowCount() == 1
    dlg = _add(page, "lijb", "lijb-pass-2030")
    assert not dlg.isVisible(), dlg.error.text()
    assert page.model.rowCount() == 2
    row = next(i for i, u in enumerate(page.model.rows) if u.username == "lijb")
    assert page.model.data(page.model.index(row, 0)) == "李经办"
    assert page.model.data(page.model.index(row, 2)) == "经办人"
    assert page.selected().username == "lijb" and "李经办" in page.message.text()
    s = open_session(data_dir, "lijb", "lijb-pass-2030")
    assert s.user.role == "clerk"
    s.close()


def test_adding_a_user_refreshes_the_list_through_the_ops_changes(qtbot, office, bus):
    session, _code, _dir = office
    page = _page(qtbot, session, bus)
    loads = []
    page.model.modelReset.connect(lambda: loads.append(1))
    with qtbot.waitSignal(ops.changes().changed) as blocker:
        dlg = _add(page, "mawj", "mawj-pass-2030")
    assert not dlg.isVisible(), dlg.error.text()
    assert blocker.args[0].touches("users") and loads  # the op said so; the page reloaded
    assert "mawj" in [u.username for u in page.model.rows]
    assert page.counts_label.text().startswith("2")
    # The same page, not told of the change, would still show the old list.
    bus.remove(page)
    _add(page, "niuq", "niuq-pass-2030")
    assert "niuq" not in [u.username for u in page.model.rows]


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


def test_reset_and_deactivate(qtbot, office, bus):
    session, _code, data_dir = office
    session.users.add("rev1", "reviewer", "rev1-pass-2030", display_name="马审核")
    page = _page(qtbot, session, bus)
    assert page.select_user("rev1")
    dlg = page.open_reset_dialog()
    dlg.fields["password"].setText("rev1-new-2030")
    dlg.fields["repeat"].setText("rev1-new-2030")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    assert "马审核" in page.message.text()
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
    # a clerk may still set their own password, with the current one
    page.select_user("clerk1")
    assert page.reset_button.isEnabled() and not page.deactivate_button.isEnabled()
    dlg = page.open_reset_dialog()
    assert isinstance(dlg, ChangePasswordDialog)
    dlg.old.setText("clerk-pass-2021")
    dlg.new.password.setText("clerk-new-pass-2031")
    dlg.new.repeat.setText("clerk-new-pass-2031")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    assert page.message.text()
    assert clerk.verify_password("clerk-new-pass-2031")


def test_the_administrator_resets_their_own_password_with_the_current_one(qtbot, office):
    session, _code, _dir = office
    page = _page(qtbot, session)
    page.select_user("admin")
    dlg = page.open_reset_dialog()
    assert isinstance(dlg, ChangePasswordDialog)
    dlg.old.setText(ADMIN_PASSWORD)
    dlg.new.password.setText("admin-new-pass-2031")
    dlg.new.repeat.setText("admin-new-pass-2031")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    assert session.verify_password("admin-new-pass-2031")


def test_chinese_roles_and_status(qtbot, clerk, zh_translators):
    page = _page(qtbot, clerk)
    roles = {u.username: page.model.data(page.model.index(i, 2)) for i, u in enumerate(page.model.rows)}
    assert roles == {"admin": "管理员", "clerk1": "经办人"}
    assert page.model.data(page.model.index(0, 3)) == "在用"
    assert "恢复码" in page.explain.text()


def test_rekey_says_who_will_need_a_password_then_shows_the_new_code_once(qtbot, office, bus, tmp_path):
    import shutil

    from app.errors import DatabaseCorrupt

    session, old_code, data_dir = office
    session.users.add("lijb", "clerk", "lijb-pass-2030", display_name="李经办")
    old_copy = tmp_path / "old-keyslots.json"
    shutil.copy(session.paths.slots, old_copy)
    page = _page(qtbot, session, bus)
    assert page.rekey_button.isVisible() and page.rekey_explain.isVisible()
    dlg = page.open_rekey_dialog()
    intro = "\n".join(label.text() for label in dlg.findChildren(type(page.counts_label)))
    assert "李经办" in intro  # named before anything starts
    dlg.fields["password"].setText(ADMIN_PASSWORD)
    dlg.accept()
    done = page.done_dialog
    assert done is not None and done.code.text() and done.code.text() != old_code
    assert "lijb" in done.users.text()
    # the list marks the clerk as waiting for a new password
    row = next(i for i, u in enumerate(page.model.rows) if u.username == "lijb")
    assert page.model.data(page.model.index(row, 4)) in (
        "Needs a new password from the administrator",
        "需要管理员重设密码",
    )
    # the old slot file no longer opens the database; the new recovery code does
    page.close()
    session.close()
    from app.db.keyslots import KeySlotFile
    from app.services.office import recover

    old_key = KeySlotFile.load(old_copy).unlock_recovery(old_code)
    from app.db.database import Database

    with pytest.raises((AuthFailed, DatabaseCorrupt)):
        Database(session.paths.db, old_key)
    recover(data_dir, "admin", done.code.text(), "admin-after-rekey-2031").close()


def test_rekey_with_a_wrong_password_changes_nothing(qtbot, office):
    session, _code, data_dir = office
    page = _page(qtbot, session)
    before = session.paths.slots.read_bytes()
    dlg = page.open_rekey_dialog()
    dlg.fields["password"].setText("not-my-password-2031")
    dlg.accept()
    assert page.done_dialog is None and page.message.text()
    assert session.paths.slots.read_bytes() == before
    open_session(data_dir, "admin", ADMIN_PASSWORD).close()


def test_a_clerk_has_no_rekey(qtbot, clerk):
    page = _page(qtbot, clerk)
    assert not page.rekey_button.isVisible() and page.open_rekey_dialog() is None
