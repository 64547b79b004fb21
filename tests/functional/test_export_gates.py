"""Exports for the change board: the Go/No-Go box, checks not run, lab results, evidence in words.

Through the real CLI on a real SQLite file where the CLI can make the run (gates, not run); the
lab and re-run cases record check results as the check engine writes them (CheckResult.to_payload)
into a real run, since a check against a device needs the lab running."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl

from golive.checks.results import PortOutcome, Status
from golive.export.exporter import export_run

from .test_cli import golive
from .test_export import ANA, EXPORTED, _check, _open


def test_md_and_html_show_the_go_no_go_box_and_checks_not_run(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_INITIALS": "AR",
           "GOLIVE_ROLE": "net"}  # fmt: skip
    lead = ("--name", "Lee Chan", "--initials", "LC", "--role", "lead")
    pm = ("--name", "Pat Moss", "--initials", "PM", "--role", "pm")
    for args in (
        ("load", str(runbook_file)), ("skip", "uplink", "-m", "uplink checked yesterday"),
        ("skip", "patch", "-m", "no re-patch tonight"), ("start", "gate", "--outside-window", *lead),
        ("signoff", "gate", *lead, "-m", "clinic staff ready: GO"),
    ):  # fmt: skip
        done = golive(*args, env=env)
        assert done.returncode == 0, (args, done.stderr)
    for fmt in ("md", "html", "csv", "xlsx"):
        assert golive("export", "-f", fmt, "-o", str(tmp_path / f"half.{fmt}"), env=env).returncode == 0
    md = (tmp_path / "half.md").read_text(encoding="utf-8")
    assert "## Go/No-Go" in md and "### Gate gate: Go / no-go" in md
    assert "**not decided yet: waiting for pm**" in md
    assert "| signed off | Lee Chan (LC) | lead | clinic staff ready: GO |" in md
    assert "| uplink | Confirm the uplink | skipped | SKIPPED; 1 OF 1 CHECKS NOT RUN |" in md
    assert "NOT RUN: 2 checks on tasks worked on or closed" in md
    html = (tmp_path / "half.html").read_text(encoding="utf-8")
    assert "<h2>Go/No-Go</h2>" in html and "not decided yet: waiting for pm" in html
    assert "clinic staff ready: GO" in html and "1 NOT RUN" in html and "checks not run" in html
    with open(tmp_path / "half-tasks.csv", encoding="utf-8", newline="") as fh:
        tasks = {t["task"]: t for t in csv.DictReader(fh)}
    assert (tasks["uplink"]["checks"], tasks["uplink"]["checks_not_run"]) == ("1", "1")
    assert "1 OF 1 CHECKS NOT RUN" in tasks["uplink"]["flags"]
    sheet = list(openpyxl.load_workbook(tmp_path / "half.xlsx", read_only=True)["Tasks"].values)
    column = sheet[0].index("Checks not run")
    assert [r[column] for r in sheet[1:] if r[1] in ("uplink", "patch")] == [1, 1]

    assert golive("signoff", "gate", *pm, "-m", "go", env=env).returncode == 0
    assert golive("export", "-f", "md", "-o", str(tmp_path / "go.md"), env=env).returncode == 0
    md = (tmp_path / "go.md").read_text(encoding="utf-8")
    assert "**GO: signed** (needs lead, pm)" in md and "| signed off | Pat Moss (PM) | pm | go |" in md


def test_lab_results_re_runs_and_ports_read_in_words(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    c = _open(db, rehearsal=True, machine="laptop-2/9f8e7d6c")
    c.start("uplink", ANA)
    lab_pass = _check("uplink", 1, "port", "Gi1/0/48", Status.PASS, expected="status up", observed={"status": "up"})
    c.record_check("uplink", ANA, lab_pass.model_copy(update={"lab": True}))
    c.sign_off("uplink", ANA)
    c.start("patch", ANA)
    ports = {"Gi1/0/6": PortOutcome(Status.PASS, {"access": 120}),
             "Gi1/0/7": PortOutcome(Status.FAIL, {"access": 1}, "access vlan is 1, expected 120")}  # fmt: skip
    c.record_check("patch", ANA, _check(
        "patch", 1, "vlan", "Gi1/0/1-24", Status.FAIL, expected="access vlan 120", ports=ports,
        observed={"Gi1/0/6": {"access": 120}, "Gi1/0/7": {"access": 1}}, reason="Gi1/0/7: access vlan is 1",
    ))  # fmt: skip
    fixed = {name: replace(p, status=Status.PASS, observed={"access": 120}, reason="") for name, p in ports.items()}
    c.record_check("patch", ANA, _check("patch", 1, "vlan", "Gi1/0/1-24", Status.PASS, ports=fixed))
    c.record_check("patch", ANA, _check("patch", 2, "vlan", "Gi1/0/25", Status.FAIL, ports=ports))
    for fmt in ("md", "html"):
        export_run(db, None, fmt, tmp_path / f"r.{fmt}", now=EXPORTED)
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "| uplink | Confirm the uplink | done | LAB |" in md
    assert "1 latest result came from the LAB" in md and "1 in the LAB" in html
    # failing ports first, by name, in words (not {"Gi1/0/6": ...} JSON)
    still = next(line for line in md.splitlines() if "patch#2" in line)
    assert "Gi1/0/7 (fail): access 1; Gi1/0/6: access 120" in still and "still failing" in still
    # the failure a re-run passed is one short line, after the ones still failing
    fixed_line = next(line for line in md.splitlines() if "patch#1" in line and "FAIL" in line)
    assert "passed on re-run at" in fixed_line and "Gi1/0/7 (fail)" not in fixed_line
    assert md.index("patch#2 |") < md.index(fixed_line)
    assert "<details" in html and "passed on re-run at" in html
