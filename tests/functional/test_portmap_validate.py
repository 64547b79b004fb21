"""`golive validate` and `golive load` on a runbook with a port map, as a person runs them: every problem of
the CSV one `file:line:col` line and exit 1 with nothing loaded; an inline map loads; and the run keeps
the map it was loaded with (the CSV's bytes are part of the runbook's digest, so an edited CSV is a new
version `load` refuses or upgrades, never "unchanged", and `golive run FILE` cannot resume a stale map)."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.cli.run_cmd import _unchanged_run, open_app
from golive.problems import GoliveError
from golive.store.cutover import Cutover

from ..unit.test_portmap_csv import GOOD, RUNBOOK
from .test_cli import golive, no_traceback


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "rb.yaml").write_text(RUNBOOK, encoding="utf-8")
    (tmp_path / "rooms.csv").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    return tmp_path


def env(site: Path) -> dict[str, str]:
    return {"GOLIVE_DB": str(site / "state.db"), "GOLIVE_NAME": "Ana Ruiz"}


def test_validate_prints_every_csv_problem_and_load_keeps_nothing(site: Path) -> None:
    (site / "rooms.csv").write_text(
        "Jack;Old switch;Old port;New switch;New port;Critical\n"
        "2-230-A;idf2b-old;GE1/0/77;idf2b-new;Gi3/0/10;yes\n"
        ";;;;;\n"
        "2-207-B;;GE1/0/17;idf2b-new;Gi3/0/10;perhaps\n",
        encoding="utf-8",
    )
    result = golive("validate", "rb.yaml", cwd=site)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "rooms.csv:2:3: old_port 'GE1/0/77' is not a port of idf2b-old",
        "rooms.csv:4:2: old_port 'GE1/0/17' has no old_device (merged cells in Excel export as blanks: write the "
        "device on every row)",
        "rooms.csv:4:5: new port idf2b-new Gi3/0/10 is mapped twice (first by jack '2-230-A' at line 2)",
        "rooms.csv:4:6: critical: 'perhaps' is not yes or no (yes/no, true/false, y/n, x, 1/0 or blank)",
        "4 problems found",
    ]
    loaded = golive("load", "rb.yaml", env=env(site), cwd=site)
    assert loaded.returncode == 1 and "rooms.csv:2:3: " in loaded.stderr
    assert not (site / "state.db").exists()  # nothing loaded, not even an empty database


def test_a_missing_csv_is_one_line_at_the_runbook(site: Path) -> None:
    (site / "rooms.csv").unlink()
    result = golive("validate", str(site / "rb.yaml"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{site / 'rb.yaml'}:10:10: portmap file 'rooms.csv' not found (a path relative to the runbook)",
        "1 problem found",
    ]


def test_an_inline_map_validates_and_loads(site: Path) -> None:
    inline = RUNBOOK.replace(
        "portmap: rooms.csv",
        "portmap:\n  - {jack: 2-230-A, old_device: idf2b-old, old_port: GE1/0/10, new_device: idf2b-new,"
        " new_port: Gi3/0/10, critical: true}",
    )
    (site / "inline.yaml").write_text(inline, encoding="utf-8")
    assert (
        golive("validate", "inline.yaml", cwd=site).stdout
        == "inline.yaml: ok: idf v1, 1 phase, 2 tasks, 2 checks, 2 devices, 1 jack\n"
    )
    said = golive("validate", "rb.yaml", cwd=site).stdout
    assert said == "rb.yaml: ok: idf v1, 1 phase, 2 tasks, 2 checks, 2 devices, 2 jacks (rooms.csv)\n"
    loaded = golive("load", "inline.yaml", env=env(site), cwd=site)
    assert loaded.returncode == 0, loaded.stderr
    portmap = Cutover.open(site / "state.db").runbook.portmap
    assert portmap is not None and portmap.jacks[0].critical


def test_the_run_keeps_its_map_and_an_edited_csv_is_a_new_version(site: Path) -> None:
    first = golive("load", "rb.yaml", env=env(site), cwd=site)
    assert first.returncode == 0, first.stderr
    assert "already loaded in live run idf-live-1" in golive("load", "rb.yaml", env=env(site), cwd=site).stdout
    cut = Cutover.open(site / "state.db")
    assert cut.runbook.portmap is not None and cut.runbook.portmap.jacks[1].new_port == "Gi1/0/17"
    assert golive("verify", env=env(site), cwd=site).returncode == 0  # the stored text re-reads without the CSV

    (site / "rooms.csv").write_text(GOOD.replace("Gi1/0/17", "Gi1/0/18"), encoding="utf-8")
    refused = golive("load", "rb.yaml", env=env(site), cwd=site)
    assert refused.returncode == 1 and "already loaded" not in refused.stdout
    assert "run idf-live-1 holds version 1 (" in refused.stderr and "--upgrade" in refused.stderr
    upgraded = golive("load", "rb.yaml", "--upgrade", env=env(site), cwd=site)
    assert "upgraded live run idf-live-1" in upgraded.stdout, upgraded.stderr
    portmap = Cutover.open(site / "state.db").runbook.portmap
    assert portmap is not None and portmap.jacks[1].new_port == "Gi1/0/18"
    (site / "rooms.csv").unlink()  # verify needs only the database
    verified = golive("verify", env=env(site), cwd=site)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_golive_run_never_resumes_a_run_with_a_stale_map(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_NAME", "Ana Ruiz")
    db, file = site / "golive.db", site / "rb.yaml"
    first = open_app(str(file), str(db), rehearsal=True)
    assert open_app(str(file), str(db), rehearsal=True).ref == first.ref  # the same map: the same run
    assert _unchanged_run(db, str(file), rehearsal=True) == first.ref  # found without parsing, CSV and all
    (site / "rooms.csv").write_text(GOOD.replace("Gi1/0/17", "Gi1/0/18"), encoding="utf-8")
    assert _unchanged_run(db, str(file), rehearsal=True) is None  # the same YAML with another map
    with pytest.raises(GoliveError, match="--upgrade"):
        open_app(str(file), str(db), rehearsal=True)
