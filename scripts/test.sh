#!/bin/sh
# Set up, then run every check the project has: ruff, the layers contract, strict mypy on src/, and the test suite.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/system-deps.sh
echo "== ruff" >&2
.venv/bin/ruff check src tests bench
echo "== lint-imports (the layers contract in pyproject.toml)" >&2
.venv/bin/lint-imports
echo "== mypy --strict src" >&2
.venv/bin/mypy
echo "== pytest" >&2
.venv/bin/python -m pytest -n auto -q "$@"
