"""How long the program takes from being started to showing its sign-in window (issue 14: under 2 s).

Runs the program with ``DOUDI_SCREENSHOT`` (installer/doudi_entry.py), offscreen, on a demo office,
and reports the time from starting the process to the window being shown. "Cold" first drops the
program's own files from the page cache (posix_fadvise DONTNEED on each file: no root, and other
programs' caches are left alone), as after a reboot; "warm" runs again at once.

    python installer/startup_time.py --data-dir DIR [--runs N] -- COMMAND...
e.g.
    python installer/startup_time.py --data-dir /tmp/demo -- dist/doudi/doudi
    python installer/startup_time.py --data-dir /tmp/demo --evict .venv -- .venv/bin/python installer/doudi_entry.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def evict(folder: Path) -> int:
    """Drop *folder*'s files from the page cache; returns how many were dropped."""
    count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def time_to_window(command: list[str], data_dir: Path, env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "shot.png"
        run_env = {**env, "DOUDI_SCREENSHOT": str(shot), "QT_QPA_PLATFORM": "offscreen"}
        started = time.time()
        subprocess.run(
            [*command, "--data-dir", str(data_dir)],
            env=run_env,
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shown = json.loads(Path(f"{shot}.json").read_text(encoding="utf-8"))["shown_at"]
        return shown - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a folder with an office (doudi demo --no-gui)")
    parser.add_argument(
        "--evict",
        type=Path,
        action="append",
        default=[],
        help="folder whose files a cold start must read again (default: the program's folder)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    folders = args.evict or [Path(args.command[0]).resolve().parent]
    env = dict(os.environ)
    cold, warm = [], []
    for _ in range(args.runs):
        for folder in folders:
            evict(folder)
        cold.append(time_to_window(args.command, args.data_dir, env))
        warm.append(time_to_window(args.command, args.data_dir, env))
    sys.stdout.write(json.dumps({"cold_s": sorted(cold), "warm_s": sorted(warm)}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
