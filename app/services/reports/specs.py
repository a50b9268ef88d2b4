"""Where a report's spec comes from: the shipped data file, then the office's own override.

The shipped spec is ``app/resources/reports/NAME.json``. An office (usually on its county's
instruction) may put ``reports/NAME.json`` in its data folder to rename the title, choose and
order columns, retitle them, or change the signature lines; see ``docs/reports.md``. A broken
override is refused in one sentence naming the file, never silently ignored: a clerk who was
told to print the county's layout should not get the default without knowing.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...domain.report import ReportSpec, SpecError, apply_override, parse_spec
from ...errors import InvalidInput
from ...resource_files import resource

OVERRIDE_FOLDER = "reports"
# An override is a few hundred bytes; anything large is not one.
MAX_OVERRIDE_BYTES = 256 * 1024


def load_spec(name: str, data_dir: Path | None = None) -> ReportSpec:
    shipped = resource("reports", f"{name}.json")
    try:
        spec = parse_spec(json.loads(shipped.read_text(encoding="utf-8")), f"{name}.json")
    except (OSError, ValueError) as e:
        raise InvalidInput(f"报表 {name} 的定义文件无法读取：{e}") from e
    if data_dir is None:
        return spec
    path = data_dir / OVERRIDE_FOLDER / f"{name}.json"
    if not path.is_file():
        return spec
    try:
        if path.stat().st_size > MAX_OVERRIDE_BYTES:
            raise InvalidInput(f"{path}：文件过大，不是报表格式文件。")
        # utf-8-sig: Notepad saves with a byte-order mark, which is still the county's file.
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return apply_override(spec, data, str(path))
    except SpecError as e:
        raise InvalidInput(str(e)) from e
    except RecursionError as e:
        raise InvalidInput(f"{path}：嵌套层次过深，不是报表格式文件。") from e
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"{path}：不是有效的 JSON（{e}）。") from e
    except (TypeError, ValueError) as e:
        # Whatever else a hand-edited file holds, the clerk gets a sentence naming it, not a crash.
        raise InvalidInput(f"{path}：不是有效的报表格式文件（{e}）。") from e
