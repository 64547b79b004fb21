#!/bin/sh
# Debian packages the tests need as real peers and tools: net-snmp's agent and client (SNMP peer and
# speed reference), tmux (drives the installed command in a real terminal), chromium (renders the HTML
# report headless, offline). Installed only when missing and only where apt-get and root are at hand;
# elsewhere the tests that need them skip with a reason.
set -eu
missing=""
command -v snmpd >/dev/null 2>&1 || missing="$missing snmpd"
command -v snmpbulkwalk >/dev/null 2>&1 || missing="$missing snmp"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: not installing$missing (needs root and apt-get); tests that need them will skip" >&2
    exit 0
fi
echo "system-deps: apt-get install$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
