#!/usr/bin/env bash
# `make lint`: the static checks CI runs (ruff, ruff-format, mypy, import-linter).
# Every check runs even when an earlier one fails, so one CI run shows all findings;
# the script fails if any of them failed.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${VENV:-.venv}/bin"
PATHS=(app tests tools bench)
failed=()

run() {
    local name=$1; shift
    echo "== $name: $*"
    if ! "$@"; then
        failed+=("$name")
    fi
}

run ruff        "$BIN/ruff" check "${PATHS[@]}"
run ruff-format "$BIN/ruff" format --check "${PATHS[@]}"
run mypy        "$BIN/mypy"
run import-linter "$BIN/lint-imports" --no-logo

if ((${#failed[@]})); then
    echo "lint failed: ${failed[*]}" >&2
    exit 1
fi
echo "lint: all checks passed"
