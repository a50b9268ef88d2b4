"""Build, refresh and check the Qt translations.

    python -m app.tools.translations build    # .ts -> .qm (only where the .ts is newer)
    python -m app.tools.translations update   # lupdate app/ui/**/*.py into doudi_zh_CN.ts
    python -m app.tools.translations check    # list strings without a finished zh_CN translation
    python -m app.tools.translations fill F.json  # update, then fill translations from {context: {source: text}}

Source strings are English (``self.tr("Save")``, ``QCoreApplication.translate("Ctx", "…")``,
``QT_TRANSLATE_NOOP("Ctx", "…")``); Chinese ships in ``app/resources/i18n/doudi_zh_CN.ts``.
The ``.qm`` files are build products: they are written next to the ``.ts`` (so the wheel and the
PyInstaller bundle carry them) and are not committed.

The tools are the ``lrelease``/``lupdate`` binaries shipped inside the PySide6 wheel, found
relative to the PySide6 package or to ``sys.executable`` — never through ``PATH``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from app.resource_files import resource_path

__all__ = [
    "APP_UI_DIR",
    "I18N_DIR",
    "LANGUAGES",
    "Unfinished",
    "build",
    "check",
    "find_tool",
    "i18n_dir",
    "main",
    "source_files",
    "ts_path",
    "unfinished_messages",
    "update",
]

LANGUAGES = ("zh_CN",)
APP_UI_DIR = Path(__file__).resolve().parents[1] / "ui"
I18N_DIR = resource_path("i18n")


def i18n_dir() -> Path:
    """The folder of the ``.ts`` sources and the built ``.qm`` files (``app/resources/i18n``)."""
    return I18N_DIR


def _shown(path: Path) -> str:
    """*path* relative to the working folder when it is below it (shorter messages), else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def ts_path(lang: str = "zh_CN") -> Path:
    return I18N_DIR / f"doudi_{lang}.ts"


def find_tool(name: str) -> Path:
    """Locate PySide6's bundled ``lrelease`` or ``lupdate``."""
    exe = name + (".exe" if os.name == "nt" else "")
    candidates: list[Path] = []
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            candidates += [Path(loc) / exe, Path(loc) / "Qt" / "bin" / exe]
    bindir = Path(sys.executable).parent
    wrapper = f"pyside6-{name}" + (".exe" if os.name == "nt" else "")
    candidates += [bindir / wrapper, bindir / "Scripts" / wrapper]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(
        f"PySide6 {name} not found (looked in: {', '.join(str(c) for c in candidates)}); "
        "is PySide6-Essentials installed in this environment?"
    )


def _run(tool: str, args: list[str], quiet: bool = True) -> None:
    cmd = [str(find_tool(tool)), *args]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    if not quiet:
        sys.stdout.write(result.stdout)


def source_files(ui_dir: Path = APP_UI_DIR) -> list[Path]:
    """The Python files lupdate scans: ``app/ui/**/*.py``."""
    return sorted(p for p in ui_dir.rglob("*.py") if "__pycache__" not in p.parts)


def build(force: bool = False, quiet: bool = False) -> list[Path]:
    """Compile each ``app/resources/i18n/*.ts`` to ``.qm`` when the ``.ts`` is newer; return those built."""
    built: list[Path] = []
    for ts in sorted(p for p in I18N_DIR.glob("*.ts") if not p.name.endswith(".work.ts")):
        qm = ts.with_suffix(".qm")
        if not force and qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        _run("lrelease", ["-silent", str(ts), "-qm", str(qm)])
        built.append(qm)
        if not quiet:
            print(f"built {_shown(qm)}")
    return built


def _lupdate(ts: Path, lang: str, no_obsolete: bool = False) -> None:
    files = [str(p) for p in source_files()]
    if not files:
        raise RuntimeError(f"no Python sources under {APP_UI_DIR}")
    args = ["-silent", "-locations", "none", "-source-language", "en", "-target-language", lang]
    if no_obsolete:
        args.append("-no-obsolete")
    _run("lupdate", [*args, *files, "-ts", str(ts)])


@contextlib.contextmanager
def _ts_lock():
    """Serialise read-modify-write of the .ts between people (and helpers) working at once."""
    I18N_DIR.mkdir(parents=True, exist_ok=True)
    with open(I18N_DIR / ".lock", "w") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # Windows: no concurrent editors there
            pass
        yield


def fill(translations: dict[str, dict[str, str]], lang: str = "zh_CN") -> int:
    """Refresh the .ts from the sources and set the given translations; returns how many were set.

    ``translations`` maps a context (class name or translate() context) to {source: translation}.
    """
    ts = ts_path(lang)
    with _ts_lock():
        work = ts.with_name(ts.name + ".work.ts")
        shutil.copyfile(ts, work)
        _lupdate(work, lang)
        tree = ET.parse(work)
        count = 0
        for ctx in tree.getroot().iter("context"):
            wanted = translations.get(ctx.findtext("name") or "", {})
            for msg in ctx.iter("message"):
                source = msg.findtext("source") or ""
                if source not in wanted:
                    continue
                tr = msg.find("translation")
                if tr is None:
                    tr = ET.SubElement(msg, "translation")
                tr.attrib.pop("type", None)
                if msg.get("numerus") == "yes":
                    # Plural messages keep their text in <numerusform>; Chinese has one form.
                    for child in list(tr):
                        tr.remove(child)
                    tr.text = None
                    ET.SubElement(tr, "numerusform").text = wanted[source]
                else:
                    tr.text = wanted[source]
                count += 1
        body = ET.tostring(tree.getroot(), encoding="unicode")
        work.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
        os.replace(work, ts)  # readers never see a half-written file
    return count


def update(lang: str = "zh_CN", no_obsolete: bool = False) -> Path:
    """Refresh ``doudi_<lang>.ts`` from the sources; existing translations are kept.

    Locations are not written (``-locations none``) so that moving code does not churn
    the file and concurrent edits merge cleanly.
    """
    ts = ts_path(lang)
    ts.parent.mkdir(parents=True, exist_ok=True)
    with _ts_lock():
        work = ts.with_name(ts.name + ".work.ts")
        if ts.exists():
            shutil.copyfile(ts, work)
        _lupdate(work, lang, no_obsolete)
        os.replace(work, ts)
    return ts


@dataclass(frozen=True)
class Unfinished:
    context: str
    source: str
    reason: str  # "untranslated", "unfinished" or "empty"

    def __str__(self) -> str:
        return f"[{self.context}] {self.source!r}: {self.reason}"


def _parse_unfinished(ts: Path) -> list[Unfinished]:
    out: list[Unfinished] = []
    root = ET.parse(ts).getroot()
    for ctx in root.iter("context"):
        ctx_name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            kind = tr.get("type") if tr is not None else None
            if kind in ("vanished", "obsolete"):
                continue  # no longer in the sources
            if tr is None:
                out.append(Unfinished(ctx_name, source, "untranslated"))
                continue
            forms = [f.text or "" for f in tr.iter("numerusform")] if msg.get("numerus") == "yes" else [tr.text or ""]
            if kind == "unfinished":
                started = any(f.strip() for f in forms)
                out.append(Unfinished(ctx_name, source, "unfinished" if started else "untranslated"))
            elif not forms or not all(f.strip() for f in forms):
                out.append(Unfinished(ctx_name, source, "empty"))
    return out


def unfinished_messages(lang: str = "zh_CN") -> list[Unfinished]:
    """Strings in the current sources without a finished translation.

    Runs lupdate into a temporary copy of the ``.ts`` (the committed file is not touched),
    so a string added to the code but never put into the ``.ts`` is reported too.
    """
    ts = ts_path(lang)
    with tempfile.TemporaryDirectory(prefix="doudi-i18n-") as tmp:
        tmp_ts = Path(tmp) / ts.name
        if ts.exists():
            shutil.copyfile(ts, tmp_ts)
        _lupdate(tmp_ts, lang)
        return _parse_unfinished(tmp_ts)


def check(lang: str = "zh_CN") -> int:
    """Print unfinished strings; return the count (0 means complete)."""
    missing = unfinished_messages(lang)
    for item in missing:
        print(item)
    if missing:
        print(
            f"{len(missing)} string(s) without a finished {lang} translation. "
            f"Run `python -m app.tools.translations update`, translate them in "
            f"{_shown(ts_path(lang))} (Qt Linguist: pyside6-linguist) and mark them finished."
        )
    else:
        print(f"{lang}: all strings translated")
    return len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.tools.translations", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="compile .ts to .qm where the .ts is newer")
    p_build.add_argument("--force", action="store_true", help="rebuild every .qm")
    p_update = sub.add_parser("update", help="refresh the .ts from app/ui sources")
    p_update.add_argument("--lang", default="zh_CN")
    p_update.add_argument("--drop-obsolete", action="store_true", help="remove strings no longer in the sources")
    p_check = sub.add_parser("check", help="list strings without a finished translation; non-zero exit if any")
    p_check.add_argument("--lang", default="zh_CN")
    p_fill = sub.add_parser("fill", help="update, then set translations from a JSON file {context: {source: text}}")
    p_fill.add_argument("file", type=Path)
    p_fill.add_argument("--lang", default="zh_CN")
    args = parser.parse_args(argv)

    if args.command == "fill":
        import json

        n = fill(json.loads(args.file.read_text(encoding="utf-8")), args.lang)
        print(f"set {n} translation(s) in {_shown(ts_path(args.lang))}")
        return 0

    if args.command == "build":
        build(force=args.force)
        return 0
    if args.command == "update":
        ts = update(args.lang, no_obsolete=args.drop_obsolete)
        print(f"updated {_shown(ts)}")
        return 0
    return 1 if check(args.lang) else 0


if __name__ == "__main__":
    sys.exit(main())
