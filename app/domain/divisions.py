"""Administrative-division codes (统计用区划代码) for the county and its townships.

Pure Python: :func:`parse_csv` takes the CSV *text* (``code,parent,name,level,ur_code``);
reading the file is :func:`app.resource_files.divisions`'s job. See docs/domain.md §8.2.

Codes are 12 digits: county (6) + township (3) + village (3). Shorter forms are
accepted where a caller has them (6-digit county, 9-digit township) and padded
with zeros. Villages are always keyed by code, never by name: 大庄村 is both in
香水镇 and 六盘山镇, 南庄村 both in 泾河源镇 and 新民乡.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

LEVELS = ("county", "town", "village")

_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")


class DivisionError(ValueError):
    """A division code or file that cannot be used; the message says why."""


def normalize_code(code: str) -> str:
    """A 6-, 9- or 12-digit code as 12 digits (``640424`` → ``640424000000``)."""
    text = (code or "").strip()
    if not _CODE.fullmatch(text):
        raise DivisionError(f"区划代码“{code}”应为 6、9 或 12 位数字。")
    return text.ljust(12, "0")


def level_of_code(code: str) -> str:
    """``county``, ``town`` or ``village``, judged from the digits alone."""
    full = normalize_code(code)
    if full[6:] == "000000":
        return "county"
    if full[9:] == "000":
        return "town"
    return "village"


def is_county_code(code: str) -> bool:
    try:
        return level_of_code(code) == "county"
    except DivisionError:
        return False


def is_township_code(code: str) -> bool:
    try:
        return level_of_code(code) == "town"
    except DivisionError:
        return False


def is_village_code(code: str) -> bool:
    try:
        return level_of_code(code) == "village"
    except DivisionError:
        return False


def township_code_of(code: str) -> str:
    """The 12-digit township code that a village (or township) code lies in."""
    full = normalize_code(code)
    if full[6:9] == "000":
        raise DivisionError(f"区划代码“{code}”是县级代码，不属于某个乡镇。")
    return full[:9] + "000"


def short_name(name: str) -> str:
    """``大庄村委会`` → ``大庄村``, ``香水街居委会`` → ``香水街居``; other names unchanged."""
    for suffix, short in (("村民委员会", "村"), ("居民委员会", "居"), ("村委会", "村"), ("居委会", "居")):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + short
    return name


@dataclass(frozen=True)
class Division:
    code: str  # 12 digits
    parent: str  # 12 digits (the county's parent is the prefecture)
    name: str  # as in the NBS list, e.g. 大庄村委会
    level: str  # county / town / village
    ur_code: str = ""  # 城乡分类代码 (villages only): 121 镇中心区, 210 乡中心区, 220 村庄, …

    @property
    def short_name(self) -> str:
        return short_name(self.name)

    @property
    def urban(self) -> bool:
        """城乡分类代码 1xx counts as urban (城镇) — a neighbourhood committee or town centre."""
        return self.ur_code.startswith("1")


class DivisionTree:
    """One county's divisions, looked up by code."""

    def __init__(self, divisions: list[Division]):
        self._by_code: dict[str, Division] = {}
        self._children: dict[str, list[Division]] = {}
        county = None
        for d in divisions:
            if d.code in self._by_code:
                raise DivisionError(f"区划代码 {d.code} 重复。")
            self._by_code[d.code] = d
            if d.level == "county":
                if county is not None:
                    raise DivisionError("区划表只能包含一个县。")
                county = d
        if county is None:
            raise DivisionError("区划表中没有县级行。")
        self.county: Division = county
        for d in divisions:
            if d.level == "county":
                continue
            if d.parent not in self._by_code:
                raise DivisionError(f"{d.name}（{d.code}）的上级 {d.parent} 不在区划表中。")
            self._children.setdefault(d.parent, []).append(d)
        for kids in self._children.values():
            kids.sort(key=lambda d: d.code)

    # --- lookups -----------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def get(self, code: str) -> Division | None:
        """The division with this code (6, 9 or 12 digits), or None."""
        try:
            return self._by_code.get(normalize_code(code))
        except DivisionError:
            return None

    def require(self, code: str) -> Division:
        d = self.get(code)
        if d is None:
            raise DivisionError(f"区划代码“{code}”不在{self.county.name}的区划表中。")
        return d

    def townships(self) -> list[Division]:
        return list(self._children.get(self.county.code, []))

    def villages(self, township_code: str) -> list[Division]:
        """Villages of one township (9- or 12-digit code), in code order."""
        town = self.require(township_code)
        if town.level != "town":
            raise DivisionError(f"“{town.name}”（{town.code}）不是乡镇。")
        return list(self._children.get(town.code, []))

    def all_villages(self) -> list[Division]:
        return [v for t in self.townships() for v in self._children.get(t.code, [])]

    def villages_under(self, office_code: str) -> list[Division]:
        """Villages an office covers: all of them for the county, one township's otherwise."""
        d = self.require(office_code)
        if d.level == "county":
            return self.all_villages()
        if d.level == "town":
            return self.villages(d.code)
        return [d]

    def township_of(self, village_code: str) -> Division:
        v = self.require(village_code)
        if v.level != "village":
            raise DivisionError(f"“{v.name}”（{v.code}）不是村或社区。")
        return self._by_code[v.parent]

    def short_name(self, code: str) -> str:
        return self.require(code).short_name

    def full_name(self, code: str) -> str:
        """e.g. ``香水镇大庄村`` (township + short village name); for a township its name."""
        d = self.require(code)
        if d.level == "village":
            return self._by_code[d.parent].name + d.short_name
        return d.name

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())


def _lines(text: str) -> list[str]:
    # The csv reader wants lines with their "\n" (a quoted field may span two). Split on "\n"
    # alone, as a file read with newline="" would: str.splitlines would also cut at \u2028 and
    # the other separators a pasted name might hold.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def parse_csv(text: str) -> DivisionTree:
    """Build a :class:`DivisionTree` from CSV text with the header ``code,parent,name,level,ur_code``."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(_lines(text))
    missing = {"code", "parent", "name", "level"} - set(reader.fieldnames or ())
    if missing:
        raise DivisionError(f"区划表缺少列：{'、'.join(sorted(missing))}。")
    rows: list[Division] = []
    for lineno, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        if not code:
            continue
        if not re.fullmatch(r"\d{12}", code):
            raise DivisionError(f"区划表第 {lineno} 行：代码“{code}”应为 12 位数字。")
        level = (row.get("level") or "").strip()
        if level not in LEVELS:
            raise DivisionError(f"区划表第 {lineno} 行：级别“{level}”应为 {'/'.join(LEVELS)}。")
        if level_of_code(code) != level:
            raise DivisionError(f"区划表第 {lineno} 行：代码 {code} 与级别“{level}”不符。")
        name = (row.get("name") or "").strip()
        if not name:
            raise DivisionError(f"区划表第 {lineno} 行：名称为空。")
        rows.append(
            Division(
                code=code,
                parent=(row.get("parent") or "").strip(),
                name=name,
                level=level,
                ur_code=(row.get("ur_code") or "").strip(),
            )
        )
    return DivisionTree(rows)
