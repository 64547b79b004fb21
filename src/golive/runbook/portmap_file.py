"""Find and read the port-map CSV a runbook names, and hash a runbook file with it.

Why apart from golive.runbook.load: this is the part that touches the disk for the map. The CSV is
read from the runbook's directory when a person hands golive a file, and from the stored text itself
when golive re-reads a version it stored (golive.runbook.bundle); a FIFO or a device named as the
CSV is refused before it is opened (it would hang the load). `file_digest` gives `golive run FILE`
the digest a load would store, without parsing either file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path as FsPath

from pydantic import ValidationError

from golive.problems import Problem
from golive.runbook import bundle
from golive.runbook.portmap import Jack, PortMap
from golive.runbook.portmap_csv import MAX_CSV_BYTES, CsvMap, decode, read_csv
from golive.runbook.semantic import MapInfo, MapRow
from golive.runbook.source import Located
from golive.runbook.text_digest import BOM, MAX_BYTES, text_digest

# a top-level `portmap: NAME` line, as file_digest finds it without parsing the YAML
_PORTMAP_LINE = re.compile(
    r"""^portmap:[ \t]+(?:'([^'\r\n]+)'|"([^"\\\r\n]+)"|([^\s#'"[{][^#\r\n]*?))[ \t]*(?:\#[^\r\n]*)?\r?$""", re.M
)


def file_digest(path: FsPath) -> str | None:
    """The digest read_runbook(path) gives when the file is valid, computed without parsing it, or
    None when unsure (unreadable, too large, not UTF-8, a port map golive cannot find this way).

    For `golive run FILE`'s fast path (golive.cli.run_cmd). A runbook naming a CSV is found by its
    top-level `portmap: NAME` line and hashed as the bundle load would store (golive.runbook.bundle).
    A wrong guess is harmless: equal digests mean the same YAML text and the same CSV text under the
    same name, which is what `load` validated and stored; any other digest matches no run."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        text = path.read_bytes().decode("utf-8").removeprefix(BOM)
        found = _PORTMAP_LINE.findall(text)
        if bundle.SEPARATOR in text or len(found) > 1:
            return None
        if not found:
            return text_digest(text)
        name = next(part for part in found[0] if part)
        csv_path = path.parent / name
        if not csv_path.is_file() or csv_path.stat().st_size > MAX_CSV_BYTES:
            return None
        csv_text, _ = decode(csv_path.read_bytes(), name)
    except (OSError, UnicodeDecodeError):
        return None
    return None if csv_text is None else text_digest(bundle.bundle(text, {name: csv_text}))


@dataclass
class CsvRead:
    info: MapInfo
    problems: list[Problem]
    portmap: PortMap | None = None
    text: str | None = None  # the CSV's text, for the stored bundle


def _csv_bytes(src: Located, name: str, path: FsPath) -> tuple[bytes | None, list[Problem]]:
    def problem(message: str) -> list[Problem]:
        return [src.problem(("portmap",), message)]

    try:
        if path.is_dir():
            return None, problem(f"portmap {name!r} is a directory, not a CSV file")
        if path.exists() and not path.is_file():  # a FIFO would block the load; a device never ends
            return None, problem(f"portmap {name!r} is not a regular file")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CSV_BYTES + 1)
    except FileNotFoundError:
        return None, problem(f"portmap file {name!r} not found (a path relative to the runbook)")
    except PermissionError:
        return None, problem(f"portmap file {name!r}: permission denied")
    except OSError as exc:
        return None, problem(f"portmap file {name!r}: cannot read: {exc.strerror or exc}")
    return raw, []


def _csv_rows(csv_map: CsvMap, label: str) -> list[MapRow]:
    rows = []
    for row in csv_map.rows:

        def problem(name: str, message: str, line: int = row.line, cols: dict[str, int] = row.cols) -> Problem:
            return Problem(label, line, cols.get(name, 1), message)

        rows.append(MapRow(row.values, row.line, problem, row.refused))
    return rows


def read_portmap(src: Located, name: str, directory: FsPath | None, attached: dict[str, str]) -> CsvRead:
    """The CSV a runbook names: from `directory` (a file a person hands golive) or, for a stored
    text, from the text itself; its rows for the cross-checks, and the PortMap when it is clean."""
    unread = MapInfo(complete=False)
    if not name.strip() or "\n" in name:
        return CsvRead(unread, [src.problem(("portmap",), "portmap: name a CSV beside the runbook, or list jacks")])
    if directory is None:
        label = name
        text = attached.get(name)
        if text is None:
            return CsvRead(unread, [src.problem(("portmap",), f"portmap file {name!r} is not in the stored text")])
    else:
        label = os.path.join(os.path.dirname(src.file), name)
        raw, problems = _csv_bytes(src, name, directory / name)
        text, decoding = decode(raw, label) if raw is not None else (None, problems)
        if text is None:
            return CsvRead(unread, decoding)
    csv_map = read_csv(text, label)
    info = MapInfo(_csv_rows(csv_map, label), complete=csv_map.complete)
    if csv_map.problems:
        return CsvRead(info, csv_map.problems)
    jacks, problems = [], []
    for row in csv_map.rows:
        try:
            jacks.append(Jack.model_validate(row.values))
        except ValidationError as exc:  # the reader checks each cell: this is a backstop
            for err in exc.errors(include_url=False):
                field = str(err["loc"][0]) if err["loc"] else "jack"
                problems.append(Problem(label, row.line, row.cols.get(field, 1), f"{field}: {err['msg']}"))
    if problems:
        return CsvRead(info, problems)
    return CsvRead(info, [], PortMap(file=name, jacks=jacks, columns=csv_map.columns), text)
