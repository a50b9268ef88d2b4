"""Chinese line breaking: no line starts with closing punctuation, nothing is lost, numbers stay whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib import textsplit
from reportlab.lib.styles import ParagraphStyle

from app.reports.fonts import register_pdf_fonts
from app.reports.pdf_text import NO_LINE_END, CJKParagraph, fit_size

CLOSING = "，。：；\uff01\uff1f》）、"  # the list (two marks escaped for the linter)
ALPHABET = "民政低保特困救助申请家庭收入核查村镇县" + CLOSING + "《（" + "0123456789."


def paragraph(text: str, width: float, size: float = 10.0) -> list[str]:
    style = ParagraphStyle("t", fontName=register_pdf_fonts(), fontSize=size, leading=size * 1.4, wordWrap="CJK")
    p = CJKParagraph(text, style)
    p.wrap(width, 1e6)
    return p.line_texts()


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=200), width=st.floats(min_value=25, max_value=300))
def test_no_line_but_the_first_starts_with_closing_punctuation(text, width):
    lines = paragraph(text, width)
    assert "".join(lines) == text  # nothing dropped, nothing doubled
    for line in lines[1:]:
        assert line[0] not in CLOSING, lines
    for line in lines[:-1]:
        # an opening bracket never ends a line, unless the whole line is brackets
        assert line[-1] not in NO_LINE_END or all(ch in NO_LINE_END for ch in line), lines


@settings(max_examples=100, deadline=None)
@given(
    before=st.text(alphabet="保障对象家庭", max_size=40),
    number=st.from_regex(r"[1-9][0-9]{0,5}\.[0-9]{2}", fullmatch=True),
    width=st.floats(min_value=80, max_value=200),
)
def test_an_amount_is_never_split(before, number, width):
    lines = paragraph(before + number + "元。", width)
    assert any(number in line for line in lines), lines


def test_reportlab_tables_are_left_alone_for_other_users():
    # We break lines ourselves rather than extend reportlab's shared module globals.
    register_pdf_fonts()
    paragraph("测试，" * 40, 60)
    assert "，" not in textsplit.ALL_CANNOT_START


def test_fit_size_shrinks_only_what_does_not_fit():
    font = register_pdf_fonts()
    assert fit_size("640424195203120017", font, 9, 500) == 9
    smaller = fit_size("640424195203120017", font, 9, 40)
    assert smaller < 9
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth("640424195203120017", font, smaller) <= 40


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=60, max_size=400), lines=st.integers(min_value=2, max_value=4))
def test_a_paragraph_split_at_a_page_bottom_keeps_its_text_and_lines(text, lines):
    style = ParagraphStyle("t", fontName=register_pdf_fonts(), fontSize=10, leading=14, wordWrap="CJK")
    whole = CJKParagraph(text, style)
    whole.wrap(60, 1e6)
    expected = whole.line_texts()
    if len(expected) <= lines:
        return
    p = CJKParagraph(text, style)
    p.wrap(60, 14 * lines)
    first, rest = p.split(60, 14 * lines + 1)
    first.wrap(60, 1e6)
    rest.wrap(60, 1e6)
    assert isinstance(rest, CJKParagraph)
    assert first.line_texts() == expected[:lines]
    assert "".join(first.line_texts() + rest.line_texts()) == text


def test_nothing_to_fit_keeps_its_size_even_in_a_column_narrower_than_its_padding():
    font = register_pdf_fonts()
    assert fit_size("", font, 9.0, -4.0) == 9.0
    assert fit_size("大庄村", font, 9.0, -4.0) == 3.0
