"""Which Doudi this is: the first thing support asks, shown by ``doudi --version`` and the 关于 dialog.

A frozen build carries ``app/resources/build_info.json`` (written by the PyInstaller spec: version,
build date, commit), because a bundle has no package metadata to ask. A source run has no such
file: the version comes from the installed package's metadata and the build date says "源码运行".
"""

from __future__ import annotations

import json
from functools import cache

__all__ = ["BUILD_INFO_FILE", "SOURCE_BUILD", "build_info", "version_lines"]

BUILD_INFO_FILE = "build_info.json"
# The build date of a program run from its source (a checkout or an editable install).
SOURCE_BUILD = "源码运行"


@cache
def build_info() -> dict[str, str]:
    """``{"version", "build_date", "commit"}``; never raises (an unreadable file counts as absent)."""
    from .resource_files import resource

    info: dict[str, str] = {}
    try:
        data = json.loads(resource(BUILD_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        info = {k: str(v) for k, v in data.items() if k in ("version", "build_date", "commit") and v}
    info.setdefault("version", _package_version())
    info.setdefault("build_date", SOURCE_BUILD)
    info.setdefault("commit", "")
    return info


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("doudi")
    except PackageNotFoundError:  # a checkout never installed
        return "?"


def version_lines() -> dict[str, str]:
    """What ``doudi --version`` prints: program version, schema version, build date (and commit)."""
    from .db.migrations import MIGRATIONS

    info = build_info()
    return {
        "version": info["version"],
        "schema_version": str(MIGRATIONS[-1][0]),
        "build_date": info["build_date"],
        "commit": info["commit"],
    }
