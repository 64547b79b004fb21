#!/bin/sh
# Set up, then `golive demo`: simulated switches on 127.0.0.1 for a bundled sample runbook, a
# rehearsal run in a throwaway database, and the TUI with live checks. Quit with q: the lab stops.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/golive demo "$@"
