"""Pinyin keys for search-as-you-type: 张三 → ("zs", "zhangsan")."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def initials_and_pinyin(name: str) -> tuple[str, str]:
    full = lazy_pinyin(name, style=Style.NORMAL, errors="ignore", strict=False)
    initials = "".join(p[0] for p in full if p)
    return initials.lower(), "".join(full).lower()
