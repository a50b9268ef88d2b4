"""The translations tool fills plain and plural messages so that lrelease still reads the file."""

import xml.etree.ElementTree as ET

from app.tools import translations


def test_fill_writes_plural_messages_as_numerus_forms(tmp_path, monkeypatch):
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "w.py").write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "QCoreApplication.translate('Ctx', 'Save')\n"
        "QCoreApplication.translate('Ctx', '%n household(s)', '', 3)\n"
    )
    i18n = tmp_path / "i18n"
    i18n.mkdir()
    monkeypatch.setattr(translations, "I18N_DIR", i18n)
    monkeypatch.setattr(translations, "APP_UI_DIR", ui)
    monkeypatch.setattr(translations, "source_files", lambda ui_dir=ui: [ui / "w.py"])
    translations.update()
    n = translations.fill({"Ctx": {"Save": "保存", "%n household(s)": "%n 户"}})
    assert n == 2
    root = ET.parse(i18n / "doudi_zh_CN.ts").getroot()
    plural = next(m for m in root.iter("message") if m.get("numerus") == "yes")
    assert [f.text for f in plural.iter("numerusform")] == ["%n 户"]
    assert translations.build(force=True, quiet=True)  # lrelease accepts the file
    assert translations.unfinished_messages() == []
