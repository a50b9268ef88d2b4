"""Warn, before printing, about characters the embedded font lacks.

A 生僻字 in a name (䶮, 𬌗) prints as a gap: the bank would pay "王 明" and nobody
would notice. Each missing character becomes one sentence in ``doc.warnings`` saying where it
is (the first few places, then how many more), so the person printing can write it in by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..domain.report import BlankLines, Document, Fields, Paragraph, Signatures, Table, cell_text
from .fonts import missing_glyphs, register_pdf_fonts

__all__ = ["add_glyph_warnings", "glyph_warnings"]

SHOWN_PLACES = 5


def _texts(doc: Document) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text the document prints."""
    yield "标题", doc.title
    yield "副标题", doc.subtitle
    yield "页脚", doc.footer
    for block in doc.blocks:
        if isinstance(block, Table):
            yield "表名", block.caption
            for c in block.columns:
                yield f"表头「{c.title}」", c.title
            for r, row in enumerate(block.rows, 1):
                for c, v in zip(block.columns, row, strict=False):
                    if isinstance(v, str):
                        yield f"第 {r} 行 {c.title}", cell_text(c, v)
        elif isinstance(block, Fields):
            yield "表名", block.caption
            for label, value in block.items:
                yield "栏目名", label
                yield f"「{label}」栏", value
        elif isinstance(block, Paragraph):
            yield "正文", block.text
        elif isinstance(block, BlankLines):
            yield "填写栏", block.label
        elif isinstance(block, Signatures):
            for label in block.labels:
                yield "签字栏", label


def glyph_warnings(doc: Document) -> list[str]:
    """One sentence per character of *doc* that the bundled font cannot draw."""
    font = register_pdf_fonts()
    places: dict[str, list[str]] = {}
    checked: dict[str, list[str]] = {}
    for where, text in _texts(doc):
        if not text or text.isascii():
            continue
        missing = checked.get(text)
        if missing is None:
            missing = checked[text] = missing_glyphs(text, font)
        for ch in missing:
            places.setdefault(ch, []).append(where)
    out = []
    for ch, found in places.items():
        shown = "、".join(found[:SHOWN_PLACES])
        more = f"等 {len(found)} 处" if len(found) > SHOWN_PLACES else ""
        out.append(f"「{ch}」字库中没有，打印出来会是空白：{shown}{more}。")
    return out


def add_glyph_warnings(doc: Document) -> None:
    """Add :func:`glyph_warnings` to ``doc.warnings`` (once: a preview then a save do not repeat them)."""
    for sentence in glyph_warnings(doc):
        if sentence not in doc.warnings:
            doc.warnings.append(sentence)
