"""Chinese line breaking for the PDF reports, and text shrunk to fit a cell.

reportlab's CJK wrap (``wordWrap='CJK'``) follows Japanese rules: its table of characters that
may not start a line lacks the full-width comma, colon, semicolon, 》 and others that Chinese uses, and it hangs at most
one such character, so "……。」" can still begin a line. Its tables are module globals shared
with every other user of reportlab in the process, so instead of extending them we break
lines ourselves (:func:`break_lines`) in a Paragraph subclass (:class:`CJKParagraph`) that the
report renderer alone uses.

A break never leaves one of :data:`NO_LINE_START` at the start of a line, nor an opening
bracket at the end of one, and never splits a run of digits or Latin letters (an amount, a
date, a document number): the break moves back to the nearest allowed place in the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

__all__ = ["NO_LINE_END", "NO_LINE_START", "CJKParagraph", "break_lines", "fit_size", "longest_run"]

# Chinese closing punctuation (GB/T 15834 and the usual 避头 set) on top of reportlab's table.
# (Full-width marks that look like ASCII are written as escapes, for the reader and the linter.)
NO_LINE_START = frozenset(
    ALL_CANNOT_START + "，。：；\uff01\uff1f》）、〉」』】〕〗”\u2019…‥·\uff5e\uff05‰℃" + ",.:;!?)]}%"
)
NO_LINE_END = frozenset("（《〈「『【〔〖“\u2018([{￥$#")

_FUZZ = 1e-6


@lru_cache(maxsize=64)
def _char_widths(font: str, size: float) -> dict[str, float]:
    # Filled on demand; one per (font, size) so a long roster measures each character once.
    return {}


def _width(ch: str, font: str, size: float) -> float:
    cache = _char_widths(font, size)
    w = cache.get(ch)
    if w is None:
        w = cache[ch] = stringWidth(ch, font, size)
    return w


def _is_word(ch: str) -> bool:
    """Part of a run that must stay on one line: ASCII digits and letters, and a decimal point."""
    return ch.isascii() and (ch.isalnum() or ch in "._-/")


def _allowed(text: str, j: int, strict: bool = True) -> bool:
    """Whether a line may end before text[j].

    Strictly, a run of digits or Latin letters stays whole and with what it counts or names
    (2021年, C类); when a line has no such place, the run may at least part from that word.
    """
    before, after = text[j - 1], text[j]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if not _is_word(before):
        return True
    if _is_word(after):
        return False
    return not strict or after.isspace() or after in NO_LINE_END


def _back(text: str, start: int, i: int, strict: bool) -> int | None:
    """The last place at or before *i* (after *start*) where the line may end, if any."""
    for j in range(i, start, -1):
        if _allowed(text, j, strict):
            return j
    return None


def break_lines(text: str, font: str, size: float, max_widths: Sequence[float]) -> list[tuple[float, str]]:
    """*text* broken into lines no wider than ``max_widths[k]`` (the last width repeats).

    Returns ``(free space, line)`` pairs like reportlab's ``wordSplit``. A newline forces a
    break. When no allowed break exists in a line (a line of nothing but commas, or an
    unbroken 40-digit run) the line is broken where it is full, then carried on past any
    closing punctuation so that none starts the next line.
    """
    lines: list[tuple[float, str]] = []
    n = len(text)
    start = i = 0
    used = 0.0

    def limit() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    def emit(end: int, next_start: int) -> None:
        nonlocal start, used
        line = text[start:end]
        lines.append((limit() - stringWidth(line, font, size), line))
        start, used = next_start, 0.0

    while i < n:
        ch = text[i]
        if ch == "\n":
            emit(i, i + 1)
            i += 1
            continue
        w = _width(ch, font, size)
        if used + w > limit() + _FUZZ and i > start:
            found = _back(text, start, i, strict=True)
            if found is None:
                found = _back(text, start, i, strict=False)
            if found is not None:
                brk = found
            else:
                # No good place: break where full, hanging closing punctuation on this line.
                brk = i
                while brk < n and text[brk] in NO_LINE_START:
                    brk += 1
                while brk - 1 > start and text[brk - 1] in NO_LINE_END:
                    brk -= 1
            emit(brk, brk)
            i = brk
            continue
        used += w
        i += 1
    if start < n or not lines:
        emit(n, n)
    return lines


class CJKParagraph(Paragraph):
    """A Paragraph of plain text (no markup) broken with :func:`break_lines`."""

    def __init__(
        self,
        text: str | None,
        style: Any = None,
        *,
        bulletText: str | None = None,  # noqa: N803 - reportlab's names, passed by Paragraph.split
        frags: list[Any] | None = None,
        caseSensitive: int = 1,  # noqa: N803
        encoding: str = "utf8",
    ) -> None:
        from xml.sax.saxutils import escape

        if text is None:
            # A part made by Paragraph.split: it holds its lines' text as frags, not as markup.
            self.plain = "".join(_frag_text(f) for f in frags or ())
            super().__init__(None, style, bulletText, frags, caseSensitive, encoding)
        else:
            self.plain = text
            super().__init__(escape(text), style, bulletText, frags, caseSensitive, encoding)

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab's names
        frags = self.frags
        if len(frags) != 1 or hasattr(frags[0], "cbDefn"):
            return super().breakLinesCJK(maxWidths)
        widths = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        f = frags[0]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return f.clone(kind=0, lines=self.blPara.lines)
        self.height = 0
        lines = break_lines(self.plain, f.fontName, f.fontSize, widths)
        wrapped = [(space, [line]) for space, line in lines]
        return f.clone(kind=0, lines=wrapped, ascent=f.fontSize, descent=-0.2 * f.fontSize)

    def line_texts(self) -> list[str]:
        """The lines as drawn (after :meth:`wrap`), for tests and checks."""
        return ["".join(words) for _space, words in self.blPara.lines]


def _frag_text(frag: Any) -> str:
    text = getattr(frag, "text", None)
    if text is not None:
        return str(text)
    return "".join(str(w) for w in getattr(frag, "words", ()))


def longest_run(text: str) -> str:
    """The longest run of digits or Latin letters in *text* (a date, an amount: never broken)."""
    best = run = ""
    for ch in text:
        run = run + ch if _is_word(ch) else ""
        if len(run) > len(best):
            best = run
    return best


def fit_size(text: str, font: str, size: float, width: float, floor: float = 3.0) -> float:
    """The font size at which *text* fits on one line of *width* (at most *size*; never below *floor*)."""
    w = stringWidth(text, font, size)
    if w <= width or w <= 0:  # nothing to fit (an empty run), even in a column narrower than its padding
        return size
    return max(floor, size * width / w * 0.999)
