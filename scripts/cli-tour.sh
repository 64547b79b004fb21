#!/bin/sh
# Set up, then a tour of the CLI on a bundled sample runbook: validate it, load it into a
# rehearsal run in a throwaway database, step through the first task, and show the run's status.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
RUNBOOK=${1:-runbooks/idf-access-stack.yaml}
DB=$(mktemp -d)/golive-demo.db
export GOLIVE_DB="$DB"
G=.venv/bin/golive
echo "\$ golive validate $RUNBOOK"; $G validate "$RUNBOOK"
echo "\$ golive load $RUNBOOK --rehearsal"; $G load "$RUNBOOK" --rehearsal
FIRST=$(.venv/bin/python -c "
from golive.store.cutover import Cutover; from pathlib import Path
c = Cutover.open(Path('$DB')); print(c.projection().next_up[0])")
ROLE=$(.venv/bin/python -c "
from golive.store.cutover import Cutover; from pathlib import Path
c = Cutover.open(Path('$DB')); print(c.runbook.tasks['$FIRST'].signoff_rule().roles[0])")
echo "\$ golive start $FIRST"; $G start "$FIRST" --name "Demo Technician" --role "$ROLE"
echo "\$ golive signoff $FIRST"; $G signoff "$FIRST" --name "Demo Technician" --role "$ROLE" -m "demo sign-off"
echo "\$ golive status"; $G status
echo "\$ golive verify"; $G verify
echo "(demo database: $DB)"
