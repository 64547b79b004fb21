"""The stored text of a runbook that names a port-map CSV: the YAML, then the CSV it read.

Why: a run holds one runbook version, keyed by the SHA-256 of its stored text (text_digest), and
`golive verify` re-reads that text years later on another laptop where rooms.csv does not exist.
So the text golive stores for such a runbook is a bundle: the YAML exactly as written, then, after
an ASCII record separator (which YAML forbids in a file and the CSV reader refuses in a cell, so
neither can contain it), `portmap NAME` and the CSV's text as read (its BOM dropped). The digest
covers the bundle, hence the CSV's bytes: editing rooms.csv makes a new runbook version, which
`golive load` refuses or upgrades like any edit, and `golive run FILE`'s fast path (which hashes the
YAML and the CSV it names the same way, golive.runbook.load.file_digest, without parsing) finds no
run for it, so it cannot open a run whose port map is stale. A runbook without a CSV is stored as
its YAML alone, as before.
Pure: no I/O.
"""

from __future__ import annotations

SEPARATOR = "\x1e"
_KIND = "portmap"


def bundle(yaml_text: str, files: dict[str, str]) -> str:
    """The text stored for a runbook whose YAML is `yaml_text` and which read these CSV files."""
    return yaml_text + "".join(f"{SEPARATOR}{_KIND} {name}\n{text}" for name, text in files.items())


def split(text: str) -> tuple[str, dict[str, str]]:
    """The YAML and the attached files of a stored text (no files: a plain runbook text)."""
    yaml_text, *parts = text.split(SEPARATOR)
    files: dict[str, str] = {}
    for part in parts:
        head, _, body = part.partition("\n")
        kind, _, name = head.partition(" ")
        if kind == _KIND and name:
            files[name] = body
    return yaml_text, files
