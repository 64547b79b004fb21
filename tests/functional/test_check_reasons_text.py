"""`golive check` prints reasons and expectations as text: a MAC's `:cd:` is not Rich's emoji code for 💿."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..peers.lab import running_lab

RUNBOOK = """\
runbook: {id: emoji-mac, title: MACs print as written, version: 1,
          window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
roles: {net: Network engineer}
inventory:
  sw: {host: 192.0.2.11, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH}
phases:
  - id: p
    title: P
    tasks:
      - id: t
        title: T
        duration: 1m
        checks:
          - {kind: mac, via: ssh, device: sw, port: Gi1/0/1, expect: {mac: "00:1b:44:cd:3a:b7"}}
"""


def test_a_mac_with_cd_in_it_prints_as_written(tmp_path: Path) -> None:
    runbook = tmp_path / "emoji.yaml"
    runbook.write_text(RUNBOOK, encoding="utf-8")
    with running_lab(runbook):
        result = subprocess.run(
            [sys.executable, "-m", "golive", "check", str(runbook)],
            capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
        )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    assert "00:1b:44:cd:3a:b7" in result.stdout, result.stdout
    assert "\N{OPTICAL DISC}" not in result.stdout
