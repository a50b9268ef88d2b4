"""The set-up wizard's third way in: this PC joins an office that already uses Doudi."""

import pytest
from PySide6.QtCore import QSettings

from app.services.office import create_office, open_session
from app.ui.setup_wizard import PAGE_ADMIN, PAGE_CARD, PAGE_JOIN, SetupWizard
from tests.conftest import ADMIN_PASSWORD
from tests.ui.conftest import sync_ops  # noqa: F401 - the UI tests' synchronous ops, autouse

PASSWORD = "second-pc-admin-2021"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def first_pc_card(tmp_path):
    session, _code = create_office(tmp_path / "pc1", "640424100", "admin", ADMIN_PASSWORD)
    path = tmp_path / "usb" / "香水镇一号机.card.json"
    path.parent.mkdir()
    card = session.trust.write_card(path)
    session.close()
    return path, card.fingerprint


def test_a_second_pc_joins_through_the_wizard_after_its_fingerprint_is_checked(qtbot, tmp_path, first_pc_card):
    path, fingerprint = first_pc_card
    wizard = SetupWizard(tmp_path / "pc2")
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    wizard.start_page.join.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_JOIN
    join = wizard.join_page
    join.path.setText(str(path))
    join.fingerprint.setText("0000-0000-0000-0000-0000-0000")
    wizard.next()  # a wrong fingerprint: said here, and nothing is made
    assert wizard.currentId() == PAGE_JOIN and join.error.isVisibleTo(join) and "指纹" in join.error.text()
    assert not (tmp_path / "pc2").exists()
    join.fingerprint.setText(fingerprint.replace("-", " ").lower())
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN and "640424100000" in join.office.text()
    admin = wizard.admin_page
    admin.username.setText("clerk2")
    admin.password.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)
    wizard.next()  # makes this PC's database
    wizard.code_page.confirmed.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_CARD
    assert "first PC" in wizard.card_page.intro.text() and wizard.card_page.isFinalPage()
    wizard.grab().save(str(tmp_path / "join-card-page.png"))
    own = wizard.card_page.own_fingerprint.text()
    assert own and own != fingerprint
    page = wizard.card_page  # the join flow says 本机 (this PC) throughout, not 本单位 (this office)
    assert page.own_box.title() == "This PC's card" and page.save_button.text() == "&Save this PC's card…"
    assert "This PC's fingerprint" in page.own_office.text()
    from PySide6.QtWidgets import QApplication

    from app.tools import translations
    from app.ui import i18n

    translations.build(quiet=True)
    i18n.install_translators(QApplication.instance(), "zh_CN")
    try:
        page.initializePage()
        assert "也请在这里添加县里的名片" in page.intro.text() and "。 " not in page.intro.text()
    finally:
        i18n.remove_translators(QApplication.instance())
    assert wizard.session is not None
    wizard.session.close()
    session = open_session(tmp_path / "pc2", "clerk2", PASSWORD)
    try:
        assert session.store.node.startswith("640424100000-pc")
        assert [(p.office_code, p.fingerprint) for p in session.trust.peers()] == [("640424100000", fingerprint)]
    finally:
        session.close()
