"""One clock: the same events read the same time in status and in every export, the site's
(the runbook window's offset, UTC-05:00 here), whatever the laptop's own zone (Tokyo here)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl

from .test_cli import golive

SITE = timezone(timedelta(hours=-5))


def test_status_and_every_export_show_the_same_site_time(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Dana Kim", "GOLIVE_INITIALS": "DK",
           "GOLIVE_ROLE": "net", "TZ": "Asia/Tokyo"}  # fmt: skip
    for args in (
        ("load", str(runbook_file)),
        ("start", "uplink", "--outside-window"),
        ("note", "cable tested", "--task", "uplink"),
    ):
        assert golive(*args, env=env).returncode == 0
    for fmt in ("csv", "xlsx", "jsonl", "html", "md"):
        done = golive("export", "-f", fmt, "-o", str(tmp_path / f"out.{fmt}"), env=env)
        assert done.returncode == 0, done.stderr

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    header, rows = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    assert header["zone"] == "UTC-05:00"
    started = datetime.fromisoformat(rows[1]["ts_utc"]).astimezone(SITE).replace(microsecond=0)
    noted = datetime.fromisoformat(rows[2]["ts_utc"]).astimezone(SITE).replace(microsecond=0)

    text = golive("status", env={**env, "COLUMNS": "120"}).stdout
    assert "site time UTC-05:00" in text and "Sat 05 Dec 22:00 → Sun 06 Dec 02:00" in text  # not Tokyo's clock
    status = json.loads(golive("status", "--json", env=env).stdout)
    assert status["zone"] == "UTC-05:00"
    assert next(t for t in status["tasks"] if t["id"] == "uplink")["started"] == started.isoformat()

    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as fh:
        journal = list(csv.DictReader(fh))
    assert [r["ts_site"] for r in journal[1:3]] == [started.isoformat(), noted.isoformat()]
    with open(tmp_path / "out-tasks.csv", encoding="utf-8", newline="") as fh:
        assert next(r for r in csv.DictReader(fh) if r["task"] == "uplink")["actual_start"] == started.isoformat()
    with open(tmp_path / "out-run.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["zone"] == "UTC-05:00"

    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    sheet = list(book["Journal"].values)
    time_col = sheet[0].index("Time (site, UTC-05:00)")
    by_seq = {row[0]: row[time_col].replace(microsecond=0) for row in sheet[1:]}
    assert (by_seq[2], by_seq[3]) == (started.replace(tzinfo=None), noted.replace(tzinfo=None))
    tasks = list(book["Tasks"].values)
    start_col = tasks[0].index("Actual start (site, UTC-05:00)")
    assert next(r for r in tasks[1:] if r[1] == "uplink")[start_col].replace(microsecond=0) == started.replace(tzinfo=None)

    shown = f"{noted:%Y-%m-%d %H:%M}"
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert f"- {shown} **NOTE** uplink: cable tested" in md and "UTC-05:00" in md
    assert shown in html and "UTC-05:00" in html
