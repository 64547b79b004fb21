"""No credential in the database, the output, or an error text: a live check through the CLI.

The runbook points at a lab device on 127.0.0.1 directly (no lab registration: a live run) with
its password by env reference. Everything golive wrote or printed is searched for the secret,
with the right password and with a wrong one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from golive.lab.lab import Lab


def runbook(lab: Lab, known_hosts: str) -> str:
    assert lab.info is not None
    ssh = lab.info.devices["ios"].ssh
    assert ssh is not None
    return textwrap.dedent(
        f"""\
        runbook: {{id: leak, title: Leak test, version: 1,
                  window: {{start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}}}
        roles: {{net: Network}}
        ssh: {{known_hosts: {known_hosts}}}
        inventory:
          ios: {{host: 127.0.0.1, port: {ssh.port}, platform: cisco_ios, username: {ssh.username},
                credentials: env:GOLIVE_LEAK_PW}}
        phases:
          - id: p
            title: P
            tasks:
              - id: t
                title: T
                owner: net
                duration: 5m
                checks:
                  - {{kind: port, via: ssh, device: ios, port: Gi1/0/1, expect: {{status: up}}}}
        """
    )


def golive(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "golive", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_no_password_anywhere_right_or_wrong(matrix_lab: Lab, tmp_path: Path) -> None:
    assert matrix_lab.info is not None
    ssh = matrix_lab.info.devices["ios"].ssh
    assert ssh is not None
    path = tmp_path / "leak.yaml"
    path.write_text(runbook(matrix_lab, matrix_lab.info.known_hosts))
    db = tmp_path / "leak.db"
    base = {**os.environ, "GOLIVE_DB": str(db), "GOLIVE_LAB_DIR": str(tmp_path / "no-labs"), "GOLIVE_NAME": "Ann Lee"}
    assert golive("load", str(path), env=base).returncode == 0
    right = golive("check", str(path), env={**base, "GOLIVE_LEAK_PW": ssh.password})
    assert right.returncode == 0, right.stdout + right.stderr
    assert "journaled in" in right.stdout
    wrong_secret = "Wr0ng-" + ssh.password[::-1]
    wrong = golive("check", str(path), env={**base, "GOLIVE_LEAK_PW": wrong_secret})
    assert wrong.returncode == 1
    assert "authentication failed" in wrong.stdout
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith("leak.db"))
    said = right.stdout + right.stderr + wrong.stdout + wrong.stderr
    for secret in (ssh.password, wrong_secret):
        assert secret.encode() not in written
        assert secret not in said
