"""The UI speaks Chinese by default (ours and Qt's own dialogs) and English on request."""

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale

from app.tools import translations
from app.ui import i18n


@pytest.fixture(autouse=True)
def _clean(qapp):
    translations.build(quiet=True)
    yield
    i18n.remove_translators(qapp)


def test_tools_are_found_without_path():
    for tool in ("lrelease", "lupdate"):
        assert translations.find_tool(tool).is_file()


def test_qm_is_built_and_fresh():
    ts = translations.ts_path("zh_CN")
    qm = ts.with_suffix(".qm")
    assert qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime
    assert translations.build(quiet=True) == []  # nothing newer: nothing rebuilt


def test_chinese_is_the_default(qapp, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.install_translators(qapp) == "zh_CN"
    assert QCoreApplication.translate("CrashDialog", "Open the log folder") == "打开日志文件夹"
    assert QCoreApplication.translate("Op", "Working…") == "正在处理…"
    assert QLocale().language() == QLocale.Language.Chinese


def test_qt_standard_dialogs_are_chinese(qapp):
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (qt_dir / "qtbase_zh_CN.qm").is_file()
    i18n.install_translators(qapp, "zh_CN")
    # The text QDialogButtonBox / QMessageBox use for their Cancel button.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_file_dialog_is_all_chinese(qapp, qtbot):
    """Qt's own zh_CN file lacks the Qt 6 spellings of "Look in" and "Files of type"."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    i18n.install_translators(qapp, "zh_CN")
    dialog = QFileDialog(None, "x")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels == ["查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："]
    # The translator for the gaps passes every other string on to the next one.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("CrashDialog", "Open the log folder") == "打开日志文件夹"


def test_english_by_env_var(qapp, monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.install_translators(qapp) == "en"
    assert QCoreApplication.translate("CrashDialog", "Open the log folder") == "Open the log folder"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_explicit_setting_wins_and_switching_replaces(qapp, monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    i18n.install_translators(qapp, "zh-CN")
    assert QCoreApplication.translate("CrashDialog", "Open the log folder") == "打开日志文件夹"
    i18n.install_translators(qapp, "en")
    assert QCoreApplication.translate("CrashDialog", "Open the log folder") == "Open the log folder"
    assert i18n.current_language() == "en"


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, "zh_CN"), ("zh", "zh_CN"), ("zh_Hans_CN", "zh_CN"), ("en_US.UTF-8", "en"), ("fr", "zh_CN")],
)
def test_normalize_lang(given, expected):
    assert i18n.normalize_lang(given) == expected


def test_every_ui_string_has_a_finished_chinese_translation():
    """Fails when a tr()/translate() string in app/ui has no finished zh_CN translation.

    Fix: `python -m app.tools.translations update`, then translate the new entries in
    app/resources/i18n/doudi_zh_CN.ts and remove their type="unfinished".
    """
    missing = translations.unfinished_messages("zh_CN")
    assert missing == [], "untranslated UI strings:\n" + "\n".join(map(str, missing))


def test_check_detects_a_new_untranslated_string(tmp_path, monkeypatch):
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "w.py").write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "class W(QWidget):\n"
        "    def f(self):\n"
        "        return self.tr('Brand new string')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(translations, "APP_UI_DIR", ui)
    monkeypatch.setattr(translations, "source_files", lambda ui_dir=ui: [ui / "w.py"])
    missing = translations.unfinished_messages("zh_CN")
    assert [(m.context, m.source) for m in missing] == [("W", "Brand new string")]


def test_start_language_env_var_then_saved_choice(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.saved_language() is None and i18n.start_language() is None  # the default: Chinese
    i18n.save_language("English")
    assert i18n.saved_language() == "en" and i18n.start_language() == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")  # one run with DOUDI_LANG (screenshots) wins
    assert i18n.start_language() == "zh_CN"
