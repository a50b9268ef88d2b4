"""Phone numbers as a township office writes them: a mobile, or a landline with or without its area code.

A clerk types ``139 0954 1234``, ``0954-5012345`` or ``5012345``; each is accepted as typed. What is
refused says what is wrong with the number itself — a mobile needs 11 digits — rather than listing
the characters allowed, which is no help for ``1388`` (all digits, three too few... eight too few).
"""

from __future__ import annotations

import re

MOBILE_DIGITS = 11
LOCAL_DIGITS = (7, 8)  # a number within the county's own area code
WITH_AREA_CODE = (10, 12)  # 0 + a 2- or 3-digit area code + a 7- or 8-digit number
_ALLOWED = re.compile(r"[0-9+\- ()（）]*")
_COUNTRY = ("+86", "0086")


def phone_problem(text: str, label: str = "联系电话") -> str | None:
    """Why *text* is not a phone number (one sentence naming *label*), or None."""
    raw = text.strip()
    if not raw:
        return None
    if not _ALLOWED.fullmatch(raw):
        return f"{label}只能包含数字、空格、+ 和 -。"
    digits = re.sub(r"\D", "", raw)
    for prefix in _COUNTRY:
        if raw.startswith(prefix):
            digits = digits[len(prefix.lstrip("+")) :]
            break
    if digits.startswith("1"):
        if len(digits) != MOBILE_DIGITS:
            return f"{label}{raw}有 {len(digits)} 位数字；手机号码应为 {MOBILE_DIGITS} 位。"
        return None
    if digits.startswith("0"):
        low, high = WITH_AREA_CODE
        if not low <= len(digits) <= high:
            return f"{label}{raw}有 {len(digits)} 位数字；带区号的固定电话应为 {low} 到 {high} 位。"
        return None
    if len(digits) not in LOCAL_DIGITS:
        return f"{label}{raw}有 {len(digits)} 位数字；手机应为 11 位，本地固定电话为 7 或 8 位，外地号码请加区号。"
    return None
