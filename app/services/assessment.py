"""`doudi assess`: the same pure policy code the GUI uses, over a household described in JSON."""

from __future__ import annotations

import json
from pathlib import Path

from .. import resource_files
from ..domain.policy.assess import AssessError, assess
from ..domain.policy.params import PolicyBook, PolicyError
from ..errors import InvalidInput


def default_policy_book() -> PolicyBook:
    """The shipped Ningxia parameters (the county may add periods later; those live in the database)."""
    try:
        return resource_files.policy_book()
    except (OSError, ValueError, PolicyError) as exc:
        name = "/".join(resource_files.POLICY_FILE)
        raise InvalidInput(f"政策参数文件 {name} 无法读取：{exc}") from None


def assess_file(path: Path, month: str, book: PolicyBook | None = None) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"找不到文件 {path}。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"文件 {path} 无法读取（{type(exc).__name__}）。") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"文件 {path} 第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON：{exc.msg}。") from None
    try:
        return assess(data, month, book or default_policy_book())
    except AssessError as exc:
        raise InvalidInput(f"文件 {path} 中 {exc}") from None
