"""The set-up wizard creates the office; the recovery code it shows is the one that unlocks."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWizard

from app.services.office import OfficePaths, open_session, recover
from app.ui.setup_wizard import PAGE_ADMIN, PAGE_CARD, PAGE_CODE, PAGE_OFFICE, PAGE_START, SetupWizard


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _finish(wizard):
    return wizard.button(QWizard.WizardButton.FinishButton)


def _to_admin_page(qtbot, data_dir, code="640424100"):
    wizard = SetupWizard(data_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == PAGE_START
    wizard.next()
    assert wizard.currentId() == PAGE_OFFICE
    if code:
        assert wizard.office_page.select_code(code)
    return wizard


def _fill_admin(wizard, password="first-admin-2021", repeat=None):
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    page = wizard.admin_page
    page.username.setText("mazhang")
    page.display_name.setText("马章")
    page.password.setText(password)
    page.repeat.setText(password if repeat is None else repeat)
    return page


def test_wizard_creates_office_and_code_unlocks(qtbot, tmp_path):
    data_dir = tmp_path / "office"
    wizard = _to_admin_page(qtbot, data_dir)
    page = _fill_admin(wizard, repeat="something-else")
    assert not page.isComplete() and "not the same" in page.match.text()
    page.repeat.setText("first-admin-2021")
    assert page.isComplete()
    assert "Strength" in page.strength.hint.text()
    wizard.next()  # creates the office (Op, synchronous in tests)
    assert wizard.currentId() == PAGE_CODE
    assert OfficePaths(data_dir).exists()
    code_page = wizard.code_page
    shown = code_page.code.text()
    assert shown == wizard.recovery_code and len(shown) >= 20
    assert wizard.session.office.name == "香水镇" and wizard.session.office.kind == "township"
    assert wizard.session.user.display_name == "马章"
    # Cannot go on (nor close) before confirming the code.
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    code_page.confirmed.setChecked(True)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    pdf = code_page.write_pdf(tmp_path / "sheet")
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 1000
    wizard.next()
    assert wizard.currentId() == PAGE_CARD
    _finish(wizard).click()  # "later": the county's card is added on the exchange page
    assert wizard.result() == QWizard.DialogCode.Accepted
    wizard.session.close()
    # The password works, and the shown code sets a new one.
    open_session(data_dir, "mazhang", "first-admin-2021").close()
    recover(data_dir, "mazhang", shown, "after-recovery-99").close()
    open_session(data_dir, "mazhang", "after-recovery-99").close()


def test_weak_password_cannot_continue(qtbot, tmp_path):
    wizard = _to_admin_page(qtbot, tmp_path / "office")
    page = _fill_admin(wizard, password="short")
    assert not page.isComplete()
    assert page.strength.hint.text()  # the service's reason, live
    assert not OfficePaths(tmp_path / "office").exists()


def test_other_code_needs_a_name_and_county_kind(qtbot, tmp_path):
    data_dir = tmp_path / "county"
    wizard = _to_admin_page(qtbot, data_dir, code="")
    office = wizard.office_page
    office.county.setChecked(True)
    assert office.office.currentData() == "640424000000"
    office.office.setCurrentIndex(office.office.count() - 1)  # "another office"
    assert office.code.isVisibleTo(office) and not office.isComplete()
    office.code.setText("640425")
    assert not office.isComplete()
    office.name.setText("某某县民政局")
    assert office.isComplete()
    _fill_admin(wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_CODE
    assert wizard.session.office.kind == "county" and wizard.session.office.name == "某某县民政局"
    wizard.code_page.confirmed.setChecked(True)
    wizard.next()
    _finish(wizard).click()
    wizard.session.close()


def test_closing_before_confirming_is_refused(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a))
    wizard = _to_admin_page(qtbot, tmp_path / "office")
    _fill_admin(wizard)
    wizard.next()
    wizard.reject()
    assert wizard.isVisible() and shown
    wizard.code_page.confirmed.setChecked(True)
    wizard.reject()
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Accepted  # the office exists: closing now goes on to sign-in
    wizard.session.close()


def test_demo_office(qtbot, tmp_path):
    data_dir = tmp_path / "demo"
    wizard = SetupWizard(data_dir, demo_password="demo-pass-2021")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.start_page.demo.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_CODE and wizard.is_demo
    assert wizard.session is not None
    assert wizard.session.db.scalar("SELECT count(*) FROM households") > 0
    assert _finish(wizard).isEnabled()  # a demo needs no confirmation
    _finish(wizard).click()
    wizard.session.close()
    open_session(data_dir, "admin", "demo-pass-2021").close()


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_the_saved_sheet_reopens_the_office_without_its_key_slot_files(qtbot, tmp_path):
    import re
    import subprocess

    data_dir = tmp_path / "office"
    wizard = _to_admin_page(qtbot, data_dir)
    _fill_admin(wizard)
    wizard.next()
    head = wizard.session.db.scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    pdf = wizard.code_page.write_pdf(tmp_path / "sheet.pdf")
    wizard.code_page.confirmed.setChecked(True)
    wizard.next()
    _finish(wizard).click()
    wizard.session.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert head in text  # the audit chain's anchor, kept on paper
    typed = "\n".join(line for line in text.splitlines() if re.match(r"^\s*\d\d\s+[0-9A-Z]{4}\s", line))
    (data_dir / "keyslots.json").unlink()
    (data_dir / "keyslots.backup.json").unlink()
    recover(data_dir, "mazhang", wizard.recovery_code, "after-the-loss-1", sheet=typed).close()
    open_session(data_dir, "mazhang", "after-the-loss-1").close()
