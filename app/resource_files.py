"""Where the program's bundled resources are, and small loaders for them.

The domain layer never reads files; it takes text. These functions read the
files shipped in ``resources/`` and hand the text to the domain parsers.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.domain.divisions import DivisionTree, parse_csv

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

COUNTY_CODE = "640424"


def resource_path(*parts: str) -> Path:
    """A path inside ``resources/`` (it may not exist; callers check)."""
    return RESOURCES.joinpath(*parts)


@lru_cache(maxsize=None)
def divisions(county_code: str = COUNTY_CODE) -> DivisionTree:
    """The county's division tree from ``resources/divisions/<county>.csv`` (read once, then cached)."""
    return parse_csv(resource_path("divisions", f"{county_code}.csv").read_text(encoding="utf-8"))
