"""The bundled CJK font: Chinese renders in Qt and in PDFs on a PC that has no Chinese font."""

import zlib

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo, QRawFont
from PySide6.QtWidgets import QLabel

from app.reports import fonts as pdf_fonts
from app.ui.fonts import bundled_families, register_app_font

SAMPLE = "兜底 城乡低保 临时救助 特困供养 复制详情"


def test_bundled_font_is_small_enough_and_licensed():
    path = pdf_fonts.font_path()
    assert path.is_file() and path.stat().st_size < 10 * 1024 * 1024
    assert (path.parent / "wqy-microhei.LICENSE-Apache-2.0.txt").is_file()


def test_registers_in_qt_as_default_family(qapp, qtbot):
    family = register_app_font(qapp)
    assert family == "WenQuanYi Micro Hei"
    assert register_app_font(qapp) == family  # idempotent
    assert "WenQuanYi Micro Hei" in bundled_families()
    assert family in QFontDatabase.families()
    assert qapp.font().families()[0] == family
    label = QLabel(SAMPLE)
    qtbot.addWidget(label)
    assert QFontInfo(label.font()).family() == family
    raw = QRawFont.fromFont(label.font())
    # Glyph index 0 is .notdef, the empty box. (QRawFont.supportsCharacter misreports
    # some characters of this .ttc, so glyph indexes are checked instead.)
    assert raw.familyName() == family
    assert all(raw.glyphIndexesForString(ch)[0] != 0 for ch in SAMPLE if not ch.isspace())


def test_registers_in_reportlab_idempotently():
    from reportlab.pdfbase import pdfmetrics

    name = pdf_fonts.register_pdf_fonts()
    assert pdf_fonts.register_pdf_fonts() == name == pdf_fonts.PDF_FONT_NAME
    assert name in pdfmetrics.getRegisteredFontNames()
    assert pdf_fonts.PDF_MONO_FONT_NAME in pdfmetrics.getRegisteredFontNames()


def test_missing_glyphs():
    assert pdf_fonts.missing_glyphs("张三 640424197001011234 堃\n") == []
    # U+20000 (CJK Extension B) and U+30000 (Extension G) are not in Micro Hei.
    assert pdf_fonts.missing_glyphs("王\U00020000\U00030000\U00020000") == ["\U00020000", "\U00030000"]
    assert pdf_fonts.missing_glyphs("中文", "Helvetica") == ["中", "文"]


def _streams(pdf: bytes):
    out = []
    pos = 0
    while (start := pdf.find(b"stream\n", pos)) != -1:
        end = pdf.find(b"endstream", start)
        raw = pdf[start + 7 : end]
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
        pos = end
    return out


def test_pdf_with_chinese_embeds_the_font(tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    name = pdf_fonts.register_pdf_fonts()
    out = tmp_path / "中文.pdf"
    style = ParagraphStyle("zh", fontName=name, fontSize=12, wordWrap="CJK")
    SimpleDocTemplate(str(out)).build([Paragraph("中文报表：<b>兜底</b>保障名单", style)])
    pdf = out.read_bytes()
    assert b"/FontFile2" in pdf  # an embedded TrueType font program
    assert b"/BaseFont /AAAAAA+WenQuanYiMicroHei" in pdf  # a subset of our font
    # The subset's ToUnicode map covers the Chinese text, so it is drawn (and copyable).
    cmaps = b"".join(s for s in _streams(pdf) if b"beginbfchar" in s or b"beginbfrange" in s).lower()
    for ch in "中文兜底":
        assert f"<{ord(ch):04x}>".encode() in cmaps, ch


def test_text_sizes_scale_the_platform_size_without_compounding(qapp, tmp_path):
    from PySide6.QtCore import QSettings

    from app.ui import fonts

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    before = qapp.font()
    try:
        base = fonts.base_point_size(qapp)
        assert fonts.saved_font_size() == "standard"  # nothing chosen yet on this PC
        assert fonts.apply_font_size("large", qapp) == pytest.approx(base * 1.2, abs=0.1)
        assert fonts.apply_font_size("large", qapp) == pytest.approx(base * 1.2, abs=0.1)  # not 1.44×
        assert fonts.saved_font_size() == "standard"  # only remembered when asked to
        fonts.apply_font_size("xlarge", qapp, remember=True)
        assert qapp.font().pointSizeF() == pytest.approx(base * 1.45, abs=0.1)
        assert fonts.saved_font_size() == "xlarge"
    finally:
        qapp.setFont(before)


def test_headings_follow_a_new_text_size_at_once(qapp, qtbot):
    """A heading sets a size of its own, so Qt alone would leave it behind; it must grow with Settings."""
    from app.ui import fonts
    from app.ui.widgets import page_title

    before = qapp.font()
    title = page_title("入户核查")
    qtbot.addWidget(title)
    standard = title.font().pointSizeF()
    assert standard == pytest.approx(qapp.font().pointSizeF() * 1.3) and title.font().bold()
    try:
        fonts.apply_font_size("xlarge", qapp)
        assert title.font().pointSizeF() > standard
        assert title.font().pointSizeF() == pytest.approx(qapp.font().pointSizeF() * 1.3)
    finally:
        qapp.setFont(before)
    assert title.font().pointSizeF() == pytest.approx(standard)


def test_a_widget_sized_again_keeps_only_its_last_scale(qapp, qtbot):
    from app.ui import fonts

    label = QLabel("兜底")
    qtbot.addWidget(label)
    fonts.follow_text_size(label, 2.0)
    fonts.follow_text_size(label, 1.5, bold=True)
    before = qapp.font()
    try:
        fonts.apply_font_size("large", qapp)
        assert label.font().pointSizeF() == pytest.approx(qapp.font().pointSizeF() * 1.5)
    finally:
        qapp.setFont(before)


def test_a_widget_gone_is_not_sized_again(qapp):
    """The size follower dies with its widget: nothing is left listening for the next size change."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from app.ui import fonts

    label = QLabel("兜底")
    fonts.follow_text_size(label, 1.5)
    [follower] = [c for c in label.children() if isinstance(c, QObject) and hasattr(c, "fit")]
    label.deleteLater()
    del label
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(follower)
    before = qapp.font()
    try:
        fonts.apply_font_size("xlarge", qapp)
    finally:
        qapp.setFont(before)


def test_the_recovery_code_grows_with_the_text_size(qapp, qtbot, tmp_path):
    from app.ui import fonts
    from app.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(tmp_path / "office")
    qtbot.addWidget(wizard)
    code = wizard.code_page.code
    standard = code.font().pointSizeF()
    before = qapp.font()
    try:
        fonts.apply_font_size("xlarge", qapp)
        assert code.font().pointSizeF() > standard
        assert code.font().families()[0] == "WenQuanYi Micro Hei Mono"
    finally:
        qapp.setFont(before)
