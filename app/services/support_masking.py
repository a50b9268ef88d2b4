"""The stricter masking a support bundle's log lines get before they leave the office.

The log files are already masked as they are written (:func:`app.logs.mask_personal_data`), but
that filter leaves a number glued to other digits whole, and a log written by an older program
was never masked. A bundle is mailed and chatted around, so its lines are masked again here, more
bluntly: every run of 15 or more digits (an ID number, old or new, a bank card, wherever it
stands), bank cards written in groups of four, mobile numbers, and names after the labels a
clerk's sentence puts them behind (姓名：马学军, 成员张晓梅, 户 冯倩). A name in free text with no label
before it stays: the bundle's README says so. Package and row ids (UUIDs) stay whole, so support can
match them with the hub's log; no ID number fits inside one. A pure function of the text, line for line.
"""

from __future__ import annotations

import re

from ..logs import mask_personal_data

__all__ = ["GLUED_LABELS", "NAME_LABELS", "mask_support_text"]

# Digits kept at the end of a masked number, as banks print them.
_KEEP = 4
# Any run of 15 or more digits, an X allowed (the check character of an ID number): no ID survives,
# even glued to other digits.
_LONG_DIGITS = re.compile(r"\d[\dXx]{14,}")
# Bank cards as they are printed and typed: four digits, a space or hyphen, four more ...
_GROUPED_CARD = re.compile(r"(?<!\d)\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
# The labels a Chinese sentence puts a person's name behind.
NAME_LABELS = ("户主姓名", "姓名", "户主", "成员", "联系人", "监护人", "照料人", "开户人", "持卡人", "申请人", "收款人")
_HAN = r"[\u3400-\u9fff]"
_LABELLED_NAME = re.compile(
    r"(?P<label>" + "|".join(NAME_LABELS) + r")(?P<sep>\s*[：:=]\s*|\s+)(?P<name>[\u3400-\u9fff·]{1,8})"
)
# A name glued to its label, as sentences are built ("成员张晓梅", "户主为马学军"), or after a lone
# 户 that stands as a word ("户 冯倩（…）"; not 用户/住户, and not 户档案 with no space).
GLUED_LABELS = ("户主姓名", "户主为", "户主", "成员", "姓名", "申请人", "监护人", "照料人", "收款人")
_GLUED_NAME = re.compile(
    r"(?P<label>(?:" + "|".join(GLUED_LABELS) + r")(?:\s?[：:]\s?|\s)?|(?<!" + _HAN + r")户(?:\s?[：:]\s?|\s))"
    r"(?!姓名|为)(?P<name>" + _HAN + r"{2,4})"
)
_UUID = re.compile(r"(?<![0-9A-Za-z-])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])")


def _keep_tail(text: str) -> str:
    return "*" * (len(text) - _KEEP) + text[-_KEEP:]


def _hide_name(match: re.Match[str]) -> str:
    name = match.group("name")
    return match.group("label") + name[0] + "*" * (len(name) - 1)


def mask_support_text(text: str) -> str:
    """*text* with personal data masked; lines and their count are kept, nothing gets longer."""
    if not text:
        return text
    # A UUID's groups look like a bank card written in fours: mask around the ids, never inside.
    pieces = _UUID.split(text)
    if len(pieces) > 1:
        ids = _UUID.findall(text)
        return "".join(_mask_piece(p) + (ids[i] if i < len(ids) else "") for i, p in enumerate(pieces))
    return _mask_piece(text)


def _mask_piece(text: str) -> str:
    if not text:
        return text
    text = mask_personal_data(text)
    text = _LONG_DIGITS.sub(lambda m: _keep_tail(m.group(0)), text)
    text = _GROUPED_CARD.sub(lambda m: re.sub(r"\d", "*", m.group(0)[:-_KEEP]) + m.group(0)[-_KEEP:], text)
    text = _MOBILE.sub(lambda m: re.sub(r"\d", "*", m.group(0)[:-_KEEP]) + m.group(0)[-_KEEP:], text)
    text = _LABELLED_NAME.sub(
        lambda m: m.group("label") + m.group("sep") + m.group("name")[0] + "*" * (len(m.group("name")) - 1), text
    )
    return _GLUED_NAME.sub(_hide_name, text)
