"""Package export and import against the floor of the same work (issue 10 point 9, DESIGN.md §8).

Two ratios, measured in one run:

- export: ``s.packages.export`` of every change of a county-L-sized township for its county
  ÷ (the same rows serialised as the payload is, canonical JSON, then gzip level 6 and SHA-256);
  budget ≤ 2×. The floor starts from rows already in memory; reading them is reported beside it.
- import: ``s.packages.import_file`` of that package into an empty county
  ÷ ``Store.bulk_save`` of the same rows into an empty office (a township with the sender's
  code, since bulk_save writes only rows the office owns); budget ≤ 2×.

Why not county-L itself: county-L is a *county* office (640424) holding the households itself,
and a county sends only what a county owns (policy periods, decisions, tasks), so its package is
nearly empty. The same volume travels when a township of county-L's size sends its first full
package, so the source is the generator's county-L profile under township 640424100 (made once
under bench/results, like the other reference offices; about 3 minutes).

With ``--repeats N`` the runs are interleaved and the median of each side is reported (other
machines' processes share the CPUs); ``export_runs`` keeps every pair, ``--export-only`` skips the
import while tuning the export.

Every phase runs in a fresh Python process so that its peak memory (ru_maxrss) is its own, on
copies made under a temporary folder: the reference office is never changed. Nothing
decrypted is written to disk; the baselines read the rows again from the encrypted copy.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import hashlib
import io
import json
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import RESULTS, save
from .datasets import END_MONTH, PASSWORD, _env, offices_root

SOURCE_CODE = "640424100"
COUNTY_CODE = "640424"
SOURCE_PROFILE = "county-L"
BUDGET = 2.0


def source_dir(profile: str = SOURCE_PROFILE) -> Path:
    """The county-L-sized township, made once (see the module docstring for why not county-L);
    another generator profile (``small``) only for trying the benchmark itself out."""
    _env()
    from app.services.office import OfficePaths

    data = offices_root() / ("office-exchange-L" if profile == SOURCE_PROFILE else f"office-exchange-{profile}")
    if (data / ".complete").exists() and OfficePaths(data).exists():
        return data
    shutil.rmtree(data, ignore_errors=True)
    from app.services.demo import create_demo

    session, _code, counts = create_demo(data, PASSWORD, profile=profile, office_code=SOURCE_CODE, end_month=END_MONTH)
    session.db.checkpoint()
    session.close()
    (data / ".complete").write_text(repr(counts))
    return data


def _copy_office(src: Path, dst: Path) -> Path:
    """A private copy (the database and its key slots; the device secret is keyed by store id)."""
    dst.mkdir(parents=True)
    for name in ("office.db", "keyslots.json"):
        shutil.copy2(src / name, dst / name)
    return dst


def _open(data: Path):
    from app.services.office import open_session

    return open_session(data, "admin", PASSWORD)


def _measure(fn, profile_to: Path | None = None) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, value), under cProfile when *profile_to* is given."""
    gc.collect()
    profiler = cProfile.Profile() if profile_to else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    value = fn()
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler and profile_to:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        profile_to.write_text(out.getvalue())
    return wall, cpu, value


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _source_rows(session) -> dict[str, list[dict[str, Any]]]:
    """The rows the package carries: every own change of the tables this office owns, newest state."""
    from app.db.sync_rows import changed_rows, last_change_seq
    from app.domain import ownership

    tables = ownership.tables_owned_by(session.office.kind)
    return changed_rows(session.db, 0, last_change_seq(session.db), session.office.code, tables)


# --- phases, each in its own process ----------------------------------------------------------


def phase_setup(work: Path, profile: str) -> dict:
    """The source copy, an empty county and an empty township, with cards exchanged."""
    from app.services.office import create_office

    source = _copy_office(source_dir(profile), work / "source")
    county, _ = create_office(work / "county", COUNTY_CODE, "admin", PASSWORD, kind="county")
    township, _ = create_office(work / "township-empty", SOURCE_CODE, "admin", PASSWORD)
    township.close()
    s = _open(source)
    try:
        s.trust.write_card(work / "source.card.json")
        county.trust.write_card(work / "county.card.json")
        county.trust.add(work / "source.card.json", s.trust.card().fingerprint)
        s.trust.add(work / "county.card.json", county.trust.card().fingerprint)
        county.db.checkpoint()
        counts = dict(s.db.query("SELECT entity, count(*) FROM change_log GROUP BY entity"))
    finally:
        s.close()
        county.close()
    return {"source_change_log": counts}


def phase_export(work: Path, out: Path, profile_to: Path | None) -> dict:
    s = _open(work / "source")
    try:
        out.mkdir(parents=True, exist_ok=True)
        s.packages  # noqa: B018  (its modules load here, not inside the timing)
        wall, cpu, done = _measure(lambda: s.packages.export(out, for_code=COUNTY_CODE), profile_to)
        (exported,) = done
        return {
            "seconds": wall,
            "cpu_seconds": cpu,
            "counts": exported.counts,
            "file": str(exported.path),
            "file_mib": exported.path.stat().st_size / (1 << 20),
            "peak_mib": _peak_mib(),
        }
    finally:
        s.close()


def phase_export_floor(work: Path) -> dict:
    """gzip-6 + SHA-256 of the same rows serialised as the payload is (canonical JSON)."""
    from app.exchange.canonical import canonical_json

    s = _open(work / "source")
    try:
        read_s, _, rows = _measure(lambda: _source_rows(s))

        def floor() -> tuple[int, int]:
            raw = canonical_json({"rows": rows})
            packed = gzip.compress(raw, compresslevel=6)
            hashlib.sha256(packed).hexdigest()
            return len(raw), len(packed)

        wall, cpu, (raw_len, packed_len) = _measure(floor)
        return {
            "seconds": wall,
            "cpu_seconds": cpu,
            "read_rows_seconds": read_s,
            "rows": sum(len(v) for v in rows.values()),
            "json_mib": raw_len / (1 << 20),
            "gzip_mib": packed_len / (1 << 20),
            "peak_mib": _peak_mib(),
        }
    finally:
        s.close()


def phase_import(work: Path, package: Path, run: int, profile_to: Path | None) -> dict:
    target = work / f"county-{run}"
    shutil.rmtree(target, ignore_errors=True)
    _copy_office(work / "county", target)
    s = _open(target)
    try:
        s.packages  # noqa: B018  (its modules load here, not inside the timing)
        wall, cpu, receipt = _measure(lambda: s.packages.import_file(package), profile_to)
        return {
            "seconds": wall,
            "cpu_seconds": cpu,
            "applied": receipt.applied,
            "quarantined": len(receipt.quarantined),
            "conflicts": receipt.conflicts,
            "peak_mib": _peak_mib(),
        }
    finally:
        s.close()
        shutil.rmtree(target, ignore_errors=True)


def phase_import_floor(work: Path, run: int) -> dict:
    """``Store.bulk_save`` of the same rows, as entities, into an empty office that may own them."""
    from app.db.sync_rows import TYPES_BY_TABLE, row_from_dict

    src = _open(work / "source")
    try:
        rows = _source_rows(src)
    finally:
        src.close()
    from app.domain.ownership import APPLY_ORDER

    # parents before children, as the import applies them (the foreign keys hold at each insert)
    objs = [row_from_dict(TYPES_BY_TABLE[t], r) for t in APPLY_ORDER for r in rows.get(t, [])]
    del rows
    target = work / f"township-{run}"
    shutil.rmtree(target, ignore_errors=True)
    _copy_office(work / "township-empty", target)
    s = _open(target)
    try:

        def bulk() -> int:
            with s.store.transaction():
                return s.store.bulk_save(objs, "admin")

        wall, cpu, n = _measure(bulk)
        return {"seconds": wall, "cpu_seconds": cpu, "rows": n, "peak_mib": _peak_mib()}
    finally:
        s.close()
        shutil.rmtree(target, ignore_errors=True)


# --- the run ------------------------------------------------------------------------------------


def _child(*args: str) -> dict:
    """Run one phase in a fresh interpreter and return what it printed (its last line, as JSON)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.exchange", "--phase", *args], check=True, stdout=subprocess.PIPE, text=True
    )
    value: dict = json.loads(done.stdout.strip().splitlines()[-1])
    print(args[0], json.dumps(value, ensure_ascii=False), flush=True)  # a long run shows where it is
    return value


def _median(samples: list[dict]) -> dict:
    """The sample of median wall time (the lower middle one of an even count): other machines'
    processes share the CPUs, and one lucky or unlucky run should not make the figure."""
    ordered = sorted(samples, key=lambda r: r["seconds"])
    return ordered[(len(ordered) - 1) // 2]


def run(repeats: int = 1, profile: bool = False, source: str = SOURCE_PROFILE, export_only: bool = False) -> dict:
    source_dir(source)  # made here, untimed, if missing
    work = Path(tempfile.mkdtemp(prefix="doudi-bench-exchange-"))
    try:
        setup = _child("setup", str(work), source)
        exports, export_floors, imports, import_floors = [], [], [], []
        package = Path()
        for i in range(repeats):  # interleaved, so drift on the machine hits both sides alike
            out_dir = work / f"out-{i}"
            exports.append(_child("export", str(work), str(out_dir)))
            package = Path(exports[-1]["file"])
            export_floors.append(_child("export_floor", str(work)))
            if export_only:
                continue
            imports.append(_child("import", str(work), str(package), str(i)))
            import_floors.append(_child("import_floor", str(work), str(i)))
        profiles = {}
        if profile:
            for name, args in (
                ("export", ("export", str(work), str(work / "out-profile"))),
                ("import", ("import", str(work), str(package), "profile")),
            )[: 1 if export_only else 2]:
                to = RESULTS / f"exchange-profile-{name}.txt"
                _child(*args, "--profile-to", str(to))
                profiles[name] = str(to.relative_to(RESULTS.parent.parent))

        def best(samples: list[dict]) -> dict:
            return min(samples, key=lambda r: r["seconds"])

        ex, exf = _median(exports), _median(export_floors)
        out: dict[str, Any] = {
            "source": f"{source} profile as township {SOURCE_CODE}",
            "source_change_log": setup["source_change_log"],
            "repeats": repeats,
            "statistic": "median of the runs (ratio_*_best: fastest against fastest)",
            "export": ex,
            "export_floor": exf,
            "ratio_export": ex["seconds"] / exf["seconds"],
            "ratio_export_cpu": ex["cpu_seconds"] / exf["cpu_seconds"],
            "ratio_export_incl_read": ex["seconds"] / (exf["seconds"] + exf["read_rows_seconds"]),
            "ratio_export_best": best(exports)["seconds"] / best(export_floors)["seconds"],
            "export_runs": [[e["seconds"], f["seconds"]] for e, f in zip(exports, export_floors)],  # noqa: B905
            "budget": BUDGET,
            "profiles": profiles,
        }
        if not export_only:
            im, imf = _median(imports), _median(import_floors)
            out |= {
                "import": im,
                "import_floor": imf,
                "ratio_import": im["seconds"] / imf["seconds"],
                "ratio_import_cpu": im["cpu_seconds"] / imf["cpu_seconds"],
                "ratio_import_best": best(imports)["seconds"] / best(import_floors)["seconds"],
            }
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _phase(argv: list[str]) -> int:
    _env()
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", nargs="+", required=True)
    parser.add_argument("--profile-to", type=Path)
    args = parser.parse_args(argv)
    name, *rest = args.phase
    work = Path(rest[0])
    if name == "setup":
        out = phase_setup(work, rest[1])
    elif name == "export":
        out = phase_export(work, Path(rest[1]), args.profile_to)
    elif name == "export_floor":
        out = phase_export_floor(work)
    elif name == "import":
        out = phase_import(work, Path(rest[1]), rest[2], args.profile_to)
    elif name == "import_floor":
        out = phase_import_floor(work, rest[1])
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(out, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--phase" in argv:
        return _phase(argv)
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="also profile one export and one import")
    parser.add_argument("--source", default=SOURCE_PROFILE, help="generator profile of the source (small: a try-out)")
    parser.add_argument("--export-only", action="store_true", help="skip the import and its floor (tuning the export)")
    args = parser.parse_args(argv)
    out = run(args.repeats, args.profile, args.source, args.export_only)
    name = "exchange" if args.source == SOURCE_PROFILE else f"exchange-{args.source}"
    path = save(name + ("-export" if args.export_only else ""), out)
    line = (
        f"export {out['export']['seconds']:.1f}s ÷ gzip+sha256 {out['export_floor']['seconds']:.1f}s = "
        f"{out['ratio_export']:.2f}× (CPU {out['ratio_export_cpu']:.2f}×), peak {out['export']['peak_mib']:.0f} MiB"
    )
    if "import" in out:
        line += (
            f"; import {out['import']['seconds']:.1f}s ÷ bulk_save {out['import_floor']['seconds']:.1f}s = "
            f"{out['ratio_import']:.2f}× (CPU {out['ratio_import_cpu']:.2f}×), peak {out['import']['peak_mib']:.0f} MiB"
        )
    print(f"{line} (medians of {out['repeats']}; budget ≤ {out['budget']}×)  → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
