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
