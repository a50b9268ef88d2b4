"""The wizard's last page: a township adds the county's card (checked by its fingerprint), and
either kind of office saves its own card; a county made in the wizard gets the county's pages."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWizard

from app.exchange.cards import Card
from app.services.office import create_office, open_session
from app.ui.setup_wizard import PAGE_CARD, SetupWizard
from tests.conftest import ADMIN_PASSWORD

PASSWORD = "first-admin-2021"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def county_card(tmp_path):
    """The card the county gave on a USB stick, and the fingerprint it reads out over the phone."""
    session, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    path = tmp_path / "usb" / "泾源县.card.json"
    path.parent.mkdir()
    card = session.trust.write_card(path)
    session.close()
    return path, card.fingerprint


def _to_card_page(qtbot, data_dir, kind="township"):
    wizard = SetupWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    office = wizard.office_page
    if kind == "county":
        office.county.setChecked(True)
    else:
        assert office.select_code("640424100")
    wizard.next()
    admin = wizard.admin_page
    admin.password.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)
    wizard.next()  # creates the office
    wizard.code_page.confirmed.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_CARD
    return wizard, wizard.card_page


def _finish(wizard):
    return wizard.button(QWizard.WizardButton.FinishButton)


def _peers(data_dir):
    session = open_session(data_dir, "admin", PASSWORD)
    try:
        return [(p.office_code, p.fingerprint) for p in session.trust.peers()]
    finally:
        session.close()


def _typed_like_a_person(fingerprint: str) -> str:
    return fingerprint.replace("-", " ").lower()


def test_a_township_adds_the_county_card_whose_fingerprint_matches(qtbot, tmp_path, county_card):
    path, fingerprint = county_card
    wizard, page = _to_card_page(qtbot, tmp_path / "town")
    assert page.county_box.isVisibleTo(page)
    assert "Later" in _finish(wizard).text()
    page.path.setText(str(path))
    page.fingerprint.setText(_typed_like_a_person(fingerprint))
    assert "Add" in _finish(wizard).text()
    page.add_card()
    assert not page.error.isVisibleTo(page)
    assert page.peer is not None and page.peer.office_code == "640424000000"
    assert fingerprint in page.added.text()
    assert _finish(wizard).text().replace("&", "") == "Finish"
    _finish(wizard).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    wizard.session.close()
    assert _peers(tmp_path / "town") == [("640424000000", fingerprint)]


def test_a_wrong_fingerprint_is_refused_with_the_sentence_and_adds_nothing(qtbot, tmp_path, county_card):
    path, fingerprint = county_card
    wizard, page = _to_card_page(qtbot, tmp_path / "town")
    page.path.setText(str(path))
    wrong = ("Z" if fingerprint[0] != "Z" else "Y") + fingerprint[1:]
    page.fingerprint.setText(wrong)
    page.add_card()
    assert page.error.isVisibleTo(page) and "指纹" in page.error.text() and "没有添加" in page.error.text()
    assert page.peer is None
    # "Add and finish" with the wrong fingerprint keeps the page.
    _finish(wizard).click()
    assert wizard.currentId() == PAGE_CARD and wizard.isVisible()
    assert wizard.session.trust.peers() == []
    # Corrected, the same button adds and finishes.
    page.fingerprint.setText(fingerprint)
    _finish(wizard).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    wizard.session.close()
    assert _peers(tmp_path / "town") == [("640424000000", fingerprint)]


def test_later_skips_the_card_and_closing_the_page_does_too(qtbot, tmp_path):
    wizard, _page = _to_card_page(qtbot, tmp_path / "town")
    _finish(wizard).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    wizard.session.close()
    assert _peers(tmp_path / "town") == []

    closing, _page = _to_card_page(qtbot, tmp_path / "town2")
    closing.reject()  # the window's close button: the office exists, so this means "later"
    assert not closing.isVisible() and closing.result() == QWizard.DialogCode.Accepted
    closing.session.close()


def test_the_own_card_is_written_and_the_county_can_add_it(qtbot, tmp_path, county_card):
    wizard, page = _to_card_page(qtbot, tmp_path / "town")
    shown = page.own_fingerprint.text()
    assert shown == wizard.session.trust.card().fingerprint and "香水镇" in page.own_office.text()
    assert page.default_card_name() == "香水镇.card.json"
    page.write_own_card(tmp_path / "usb" / "香水镇")
    written = tmp_path / "usb" / "香水镇.json"
    assert Card.from_json(written.read_text(encoding="utf-8"), source="card").fingerprint == shown
    assert str(written) in page.saved.text()
    _finish(wizard).click()
    wizard.session.close()
    # The county adds it with the fingerprint the township read out from this page.
    county = open_session(tmp_path / "county", "admin", ADMIN_PASSWORD)
    try:
        peer, changed = county.trust.add(written, shown)
        assert changed and peer.office_code == "640424100000"
    finally:
        county.close()


def test_a_county_made_in_the_wizard_saves_its_card_and_gets_the_county_pages(qtbot, tmp_path):
    from app.ui.main_window import MainWindow

    wizard, page = _to_card_page(qtbot, tmp_path / "county", kind="county")
    session = wizard.session
    assert session.office.kind == "county" and session.office.code == "640424000000"
    assert not page.county_box.isVisibleTo(page)  # townships' cards are added on the exchange page
    assert "Data exchange" in page.intro.text()
    assert _finish(wizard).text().replace("&", "") == "Finish"
    page.write_own_card(tmp_path / "泾源县.card.json")
    assert Card.from_json((tmp_path / "泾源县.card.json").read_text(encoding="utf-8"), source="card").kind == "county"
    _finish(wizard).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    window = MainWindow(session)
    qtbot.addWidget(window)
    keys = [window.nav.item(i).data(0x0100) for i in range(window.nav.count())]
    assert keys[0] == "county_overview" and "what_if" in keys and "visits" not in keys
    session.close()


@pytest.mark.real_threads
def test_add_and_finish_waits_for_the_background_add(qtbot, tmp_path, county_card):
    path, fingerprint = county_card
    wizard = SetupWizard(tmp_path / "town")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.office_page.select_code("640424100")
    wizard.next()
    wizard.admin_page.password.setText(PASSWORD)
    wizard.admin_page.repeat.setText(PASSWORD)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() != PAGE_CARD and wizard.session is not None, timeout=30000)
    wizard.code_page.confirmed.setChecked(True)
    wizard.next()
    page = wizard.card_page
    qtbot.waitUntil(lambda: bool(page.own_fingerprint.text()), timeout=10000)
    page.path.setText(str(path))
    page.fingerprint.setText(fingerprint)
    _finish(wizard).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
    assert wizard.result() == QWizard.DialogCode.Accepted and page.peer is not None
    assert wizard.session is not None
    wizard.session.close()
    assert _peers(tmp_path / "town") == [("640424000000", fingerprint)]


def test_the_card_file_and_the_fingerprint_have_their_own_shortcut_letters(qtbot, tmp_path):
    import re

    from PySide6.QtWidgets import QLabel

    def letter(text: str) -> str:
        found = re.search(r"&(\w)", text)
        assert found is not None
        return found.group(1).lower()

    _wizard, page = _to_card_page(qtbot, tmp_path / "town")
    letters = {
        label.buddy(): letter(label.text())
        for label in page.findChildren(QLabel)
        if label.buddy() in (page.path, page.fingerprint)
    }
    assert set(letters) == {page.path, page.fingerprint}
    assert letters[page.path] != letters[page.fingerprint]
