"""Pinyin keys for search-as-you-type: 张三 → ("zs", "zhangsan")."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def initials_and_pinyin(name: str) -> tuple[str, str]:
    full = lazy_pinyin(name, style=Style.NORMAL, errors="ignore", strict=False)
    initials = "".join(p[0] for p in full if p)
    return initials.lower(), "".join(full).lower()


def normalise_query(text: str) -> str:
    """The search text as the keys are stored: without spaces.

    Names and pinyin keys hold none, so 「马 建」 means 马建 and 「ma jian」 means majian (a clerk
    types pinyin syllable by syllable); spaces typed inside an ID number mean nothing either.
    """
    return "".join(text.split())
