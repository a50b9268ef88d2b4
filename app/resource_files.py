"""The one place that knows where the program's bundled files are, and small loaders for them.

The files live in the ``app.resources`` package and are reached through
``importlib.resources``, so the same code works from a checkout, an installed wheel and a
PyInstaller bundle; nothing else in the program builds a path to them.

The domain layer never reads files; it takes text. The loaders here read the files and hand
the text to the domain parsers.
"""

from __future__ import annotations

import atexit
import contextlib
import json
from functools import cache, lru_cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.divisions import DivisionTree, parse_csv

if TYPE_CHECKING:
    from app.domain.policy.params import PolicyBook

__all__ = ["COUNTY_CODE", "POLICY_FILE", "divisions", "policy_book", "resource", "resource_path"]

PACKAGE = "app.resources"
COUNTY_CODE = "640424"
POLICY_FILE = ("policy", "ningxia.json")

# Files extracted for callers that need a real path (Qt, reportlab) stay until the program exits.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def resource(*parts: str) -> Traversable:
    """A bundled file or folder, e.g. ``resource("policy", "ningxia.json")`` (it may not exist)."""
    return files(PACKAGE).joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """A file-system path to a bundled file or folder, for libraries that open paths themselves.

    Installed packages and PyInstaller bundles keep the files on disk, so this is the file
    itself; only from a zip import is it extracted to a temporary copy that lives until exit.
    """
    found = resource(*parts)
    if isinstance(found, Path):
        return found
    return _extracted.enter_context(as_file(found))


@cache
def divisions(county_code: str = COUNTY_CODE) -> DivisionTree:
    """The county's division tree from ``divisions/<county>.csv`` (read once, then cached)."""
    return parse_csv(resource("divisions", f"{county_code}.csv").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def policy_book() -> PolicyBook:
    """The shipped Ningxia policy book (read once, then cached); PolicyError if it is broken."""
    from app.domain.policy.params import PolicyBook  # only the callers that assess pay for the import

    return PolicyBook.from_dict(json.loads(resource(*POLICY_FILE).read_text(encoding="utf-8")))
