"""Hostile text in a runbook or a journal never reaches a terminal or a spreadsheet raw.

A runbook someone mailed, or a journal merged from another laptop, may carry terminal escapes
(ESC ] 0 sets the terminal's title, ESC [2J clears the screen), bidi overrides and formulas.
`golive validate` and `golive load` refuse such text in every runbook field, each at its
`file:line:col`. A database that holds it anyway (written by an older golive, or merged from a
laptop that had one) is built here through the store's own API, and people's names, notes and
reasons come in through the CLI. Then, in a real terminal (tmux): `golive status`, `rollback`,
`runs`, the action echoes and error messages show every such character as a visible escape, and
the terminal's title is unchanged. The csv and md exports of that run guard every formula.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

from golive.progress.events import Actor
from golive.runbook.load import LoadedRunbook
from golive.runbook.schema import Runbook
from golive.runbook.text_digest import text_digest
from golive.store import runs
from golive.store.db import close_all, open_engine

from ..conftest import VALID

GOLIVE = Path(sys.executable).parent / "golive"

# each replaces one field of the demo runbook; written with YAML's own escapes (\e is ESC, \a BEL)
HOSTILE_FIELDS = {
    "title: Demo cutover": 'title: "Demo \\e]0;PWNED-RB\\a cutover"',  # runbook title: sets the window title
    "version: 1": 'version: "=2+3"',  # a formula in the run csv's runbook_version
    "title: Pre-checks": 'title: "Pre-checks \\e[2J\\e[H"',  # phase title: clears the screen
    "title: Confirm the uplink": 'title: "\\u202eLPU\\u202c \\e[31mRED"',  # task title: RLO and a colour
    "title: Re-patch the rooms": 'title: "\\uff1dHYPERLINK(1)"',  # full-width = : a formula to a spreadsheet
    "title: Re-patch to the old stack": 'title: "Re-patch \\e]0;PWNED-STEP\\a to the old stack"',  # rollback step
    "net: Network engineer": 'net: "Network \\x9b2J engineer"',  # a role: the C1 form of ESC [
}
NAME = "Eve \x1b]0;PWNED-NAME\x07 Mallory"  # an actor's name, from GOLIVE_NAME
NOTE = "\x1b[2J\x1b]0;PWNED-NOTE\x07 cleared?"
REASON = "\x1b]0;PWNED-SKIP\x07 skip \u202eevil"
ROLLBACK_REASON = "\x1b]2;PWNED-RB-REASON\x1b\\ back"


def hostile_text() -> str:
    text = VALID
    for plain, hostile in HOSTILE_FIELDS.items():
        assert plain in text, plain
        text = text.replace(plain, hostile)
    return text


def golive(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        timeout=120,
    )  # fmt: skip


def test_validate_and_load_refuse_control_and_bidi_characters_at_their_place(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    text = hostile_text()
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def at(fragment: str) -> str:
        line = next(n for n, content in enumerate(lines, 1) if fragment in content)
        return f"{path}:{line}:{lines[line - 1].index(fragment) + 1}"

    control = "a runbook holds printable text only"
    q = '"'
    rlo = q + "\\u202eLPU"
    expected = sorted(
        [
            f"{at(q + 'Demo')}: control character \\u001b in title: {control}",
            f"{at(q + 'Pre-checks')}: control character \\u001b in title: {control}",
            f"{at(rlo)}: bidirectional control character \\u202e in title: it makes text display unlike it reads",
            f"{at(q + 'Re-patch ')}: control character \\u001b in title: {control}",
            f"{at(q + 'Network')}: control character \\u009b in net: {control}",
        ]
    )
    for command in ("validate", "load"):
        result = golive(command, str(path), env={"GOLIVE_DB": str(tmp_path / "s.db")})
        assert result.returncode == 1, result.stdout
        assert "\x1b" not in result.stderr and "\u202e" not in result.stderr and "\x9b" not in result.stderr
        problems = result.stderr.splitlines()
        assert problems[-1] == "5 problems found"
        assert sorted(problems[:-1]) == expected
    assert not (tmp_path / "s.db").exists()


@pytest.mark.parametrize(
    ("plain", "hostile", "message"),
    [
        ("title: Close out", 'title: "Close\\nout"', "a line break in title: it is one line of text"),
        ("title: Close out", 'title: "Close\\tout"', "a tab in title: it is one line of text"),
        ("title: Close out", 'title: "Close\\rout"', "control character \\r in title"),
        ("title: Close out", "title: |\n          Close out", "a line break in title"),
        ("site: Clinic A", 'site: "Clinic \\u2066A"', "bidirectional control character \\u2066 in site"),
        ("site: Clinic A", 'site: "Clinic \\x7fA"', "control character \\u007f in site"),
        ("site: Clinic A", 'site: "Clinic\\LA"', "line separator \\u2028 in site"),
        ("site: Clinic A", 'site: Clinic A\n  description: "\\e[8m"', "control character \\u001b in description"),
        ("lead: Clinical lead", '"lead\\e": Clinical lead', "control character \\u001b in a key"),
    ],
    ids=["newline", "tab", "cr", "block-scalar", "isolate", "del", "line-separator", "prose-esc", "key"],
)
def test_each_kind_of_control_text_is_refused_in_one_line(
    tmp_path: Path, plain: str, hostile: str, message: str
) -> None:
    path = tmp_path / "rb.yaml"
    path.write_text(VALID.replace(plain, hostile, 1), encoding="utf-8")
    result = golive("validate", str(path))
    assert result.returncode == 1, result.stdout
    assert message in result.stderr, result.stderr
    assert all(line.startswith(f"{path}:") for line in result.stderr.splitlines()[:-1]), result.stderr


def test_prose_fields_keep_their_lines_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "rb.yaml"
    path.write_text(
        VALID.replace(
            "id: close", 'id: close\n        instructions: "Step 1:\\tunplug\\nStep 2: \\u00e9t\\u00e9 \\U0001F642"'
        ),
        encoding="utf-8",
    )
    result = golive("validate", str(path))
    assert result.returncode == 0, result.stderr


# -- a database that holds hostile text anyway ------------------------------------------------


@pytest.fixture
def hostile_db(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The hostile runbook stored as an older golive or a merged laptop would have, then journaled through the CLI."""
    text = hostile_text()
    runbook = Runbook.model_validate(yaml.safe_load(text))
    db = tmp_path / "state.db"
    runs.load(
        open_engine(db), LoadedRunbook(runbook, text, text_digest(text), "hostile.yaml"), rehearsal=False,
        actor=Actor("Ana Ruiz", "AR", "net"), machine="laptop-1/0a1b2c3d",
    )  # fmt: skip
    close_all()
    env = {"GOLIVE_DB": str(db), "GOLIVE_NAME": NAME, "GOLIVE_INITIALS": "EM", "GOLIVE_ROLE": "net"}
    for args in (
        ("start", "uplink", "--outside-window"),
        ("note", NOTE),
        ("skip", "close", "-m", REASON),
        ("block", "uplink", "-m", NOTE),
    ):
        assert golive(*args, env=env).returncode == 0
    return db, env


def test_action_echoes_and_errors_show_escapes(hostile_db: tuple[Path, dict[str, str]]) -> None:
    _db, env = hostile_db
    started = golive("start", "patch", env=env)  # refused: uplink is not done
    assert started.returncode == 1 and "\x1b" not in started.stderr
    unblocked = golive("unblock", "uplink", env=env)
    assert unblocked.returncode == 0, unblocked.stderr
    assert unblocked.stdout.strip() == (
        "LIVE demo-live-1: #6 unblocked uplink by Eve \\u001b]0;PWNED-NAME\\u0007 Mallory (EM) as net -> in_progress"
    )
    unknown = golive("start", "\x1b]0;PWNED-ARG\x07", env=env)
    assert unknown.returncode == 1 and "PWNED-ARG" in unknown.stderr and "\x1b" not in unknown.stderr
    missing = golive("validate", "\x1b]0;PWNED-FILE\x07.yaml", env=env)
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[0] == "\\u001b]0;PWNED-FILE\\u0007.yaml: no such file"
    rolled = golive("rollback", "rb", "-m", ROLLBACK_REASON, env=env)
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.splitlines()[1] == "  1. Re-patch \\u001b]0;PWNED-STEP\\u0007 to the old stack (30m, net)"
    for command in (("status", "--all"), ("runs",), ("verify",)):
        shown = golive(*command, env={**env, "COLUMNS": "200"})
        assert shown.returncode == 0, shown.stderr
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in shown.stdout, (command, shown.stdout)


def test_csv_and_md_exports_guard_every_formula_and_escape_controls(
    hostile_db: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    _db, env = hostile_db
    formulas = [" =1+2", "\u00a0=1+2", "\n=1+2", "\r=1+2", "\t=1+2", "\uff1d1+2", "\uff20SUM(A1)", "-2+3|cmd", "@A1"]
    for text in formulas:
        assert golive("note", "--", text, env=env).returncode == 0
    dde = {**env, "GOLIVE_NAME": "=cmd|' /C calc'!A0", "GOLIVE_INITIALS": "+C"}
    assert golive("note", "from a spreadsheet person", env=dde).returncode == 0

    out = tmp_path / "night.csv"
    exported = golive("export", "demo-live-1", "-f", "csv", "-o", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    files = [out, tmp_path / "night-tasks.csv", tmp_path / "night-run.csv"]
    for path in files:
        raw = path.read_text(encoding="utf-8")
        for char in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\r="):
            assert char not in raw, (path.name, char)
    journal = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    summaries = [row["summary"] for row in journal if row["kind"] == "note"]
    for text in formulas:  # guarded; a carriage return is shown as \r, which no spreadsheet runs
        assert ("\\r=1+2" if text == "\r=1+2" else "'" + text) in summaries, (text, summaries)
    person = next(row for row in journal if row["actor_initials"].endswith("+C"))
    assert person["actor_name"] == "'=cmd|' /C calc'!A0" and person["actor_initials"] == "'+C"
    (run,) = list(csv.DictReader((tmp_path / "night-run.csv").open(encoding="utf-8", newline="")))
    assert run["runbook_version"] == "'=2+3"
    assert run["runbook_title"] == "Demo \\u001b]0;PWNED-RB\\u0007 cutover"
    tasks = {t["task"]: t for t in csv.DictReader((tmp_path / "night-tasks.csv").open(encoding="utf-8", newline=""))}
    assert tasks["patch"]["title"] == "'\uff1dHYPERLINK(1)"
    assert tasks["uplink"]["title"] == "\\u202eLPU\\u202c \\u001b[31mRED"
    assert tasks["close"]["reason"] == "\\u001b]0;PWNED-SKIP\\u0007 skip \\u202eevil"
    assert all(not cell.startswith(("=", "+", "@", " =", "\uff1d")) for t in tasks.values() for cell in t.values())

    md = tmp_path / "night.md"
    assert golive("export", "demo-live-1", "-f", "md", "-o", str(md), env=env).returncode == 0
    record = md.read_text(encoding="utf-8")
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in record
    assert "| cut | patch | '\uff1dHYPERLINK(1) |" in record
    assert "\\\\u202eLPU\\\\u202c \\\\u001b\\[31mRED" in record  # visible, and not Markdown


# -- a real terminal --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_real_terminal_shows_the_escapes_and_keeps_its_title(
    hostile_db: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, _env = hostile_db
    words = {"name": NAME, "note": NOTE, "reason": ROLLBACK_REASON, "arg": "\x1b]0;PWNED-ARG\x07"}
    for word, text in words.items():  # read back by the script as "$(cat WORD)": every byte as it is
        (tmp_path / word).write_text(text, encoding="utf-8")
    script = tmp_path / "night.sh"
    script.write_text(
        f"cd {tmp_path}\nexport GOLIVE_DB={db} GOLIVE_ROLE=net GOLIVE_INITIALS=EM COLUMNS=120\n"
        'export GOLIVE_NAME="$(cat name)"\n'
        "echo MARKER-TOP\n"
        f"{GOLIVE} status --all\n"
        f'{GOLIVE} rollback rb -m "$(cat reason)"\n'
        f"{GOLIVE} runs\n"
        f'{GOLIVE} note "$(cat note)"\n'
        f'{GOLIVE} validate "$(cat arg).yaml"\n'
        "echo MARKER-END\n",
        encoding="utf-8",
    )
    socket = f"golive-hostile-{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False).stdout

    tmux("-f", "/dev/null", "new-session", "-d", "-s", "night", "-x", "120", "-y", "40", "bash --norc --noprofile")
    try:
        title_before = tmux("display", "-p", "-t", "night", "#{pane_title}").strip()
        tmux("send-keys", "-t", "night", f"bash {script}", "Enter")
        deadline = time.monotonic() + 120
        screen = ""
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-e", "-J", "-S", "-2000", "-t", "night")
            if "MARKER-END" in screen.replace(f"bash {script}", ""):
                break
            time.sleep(0.5)
        title_after = tmux("display", "-p", "-t", "night", "#{pane_title}").strip()
    finally:
        tmux("kill-server")
    assert "MARKER-END" in screen, screen
    assert "PWNED" not in title_after and title_after == title_before
    assert "MARKER-TOP" in screen  # nothing cleared the screen
    for shown in (
        "Demo \\u001b]0;PWNED-RB\\u0007 cutover",  # the runbook title (status)
        "Pre-checks \\u001b[2J\\u001b[H",  # a phase title (status)
        "\\u202eLPU\\u202c \\u001b[31mRED",  # a task title (status)
        "Re-patch \\u001b]0;PWNED-STEP\\u0007 to the old stack",  # a rollback step (rollback)
        "\\u001b]0;PWNED-SKIP\\u0007",  # a skip reason (status; the column cuts it there)
        "\\u001b[2J\\u001b]0;PWNED-N",  # a block reason (status)
        "\\u001b]0;PWNED-ARG\\u0007.yaml: no such file",  # an error quoting what was typed
    ):
        assert shown in screen, (shown, screen)
    assert "\\u001b[31mRED" in screen and "\x1b[31mRED" not in screen  # the hostile colour is text, not colour
    assert "\u202e" not in screen and "\x07" not in screen and "\x1b]" not in screen
    assert db.exists()


def test_the_html_export_shows_control_and_bidi_characters_as_escapes(tmp_path: Path) -> None:
    """A right-to-left override in a note reordered the rest of its line in the browser (a PM reading
    "sw1 back 4202" where the note said otherwise); an ESC was replaced by U+FFFD, hiding what it was."""
    runbook = tmp_path / "rb.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "s.db"
    env = {**os.environ, "GOLIVE_NAME": "Ann Lee", "GOLIVE_DB": str(db)}

    def golive(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(GOLIVE), *args], capture_output=True, text=True, env=env, timeout=60, check=False)

    assert golive("load", str(runbook)).returncode == 0
    assert golive("note", "uplink \u202e2024 kcab\u202c ok \x1b[2J done").returncode == 0
    out = tmp_path / "night.html"
    result = golive("export", "-f", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "uplink \\u202e2024 kcab\\u202c ok \\u001b[2J done" in page
    assert not any(ch in page for ch in "\u202e\u202c\x1b\ufffd")
