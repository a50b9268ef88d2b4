#!/usr/bin/env bash
# `make dist`: the frozen one-folder program in dist/doudi (installer/doudi.spec), for offices that
# have no Python. The same script builds on Linux and, from Git Bash, on Windows
# (installer/build_windows.ps1 calls the same steps). tests/frozen builds through it too.
#   DIST_DIR / BUILD_DIR   where the folder and PyInstaller's work files go (default dist/, build/)
#   PYTHON                 the Python with the project and the `dist` extra (default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
DIST_DIR="${DIST_DIR:-dist}"
BUILD_DIR="${BUILD_DIR:-build}"

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    echo "PyInstaller is missing: install the dist extra (pip install -e '.[dist]')" >&2
    exit 2
fi
# The .qm are built, not committed; the spec refuses to run without them.
"$PY" -m app.tools.translations build
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST_DIR" --workpath "$BUILD_DIR/pyinstaller" installer/doudi.spec
echo "built $DIST_DIR/doudi ($(du -sh "$DIST_DIR/doudi" | cut -f1))"
