"""Turn a runbook file into a Runbook, or into every problem it has, each with its position.

The pipeline: read_yaml (syntax, limits, positions) -> the port-map CSV it names, if any
(portmap_csv: its problems point into the CSV) -> schema (pydantic) and cross-references
(semantic) side by side -> one sorted list of problems. Pydantic's messages are rewritten into
the author's terms, and unknown keys get a "did you mean" from the fields allowed right there.
A runbook that names a CSV is kept as one text with that CSV in it (golive.runbook.bundle), so its
digest covers the CSV and a stored version re-reads without the file.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from golive.problems import Problem, ProblemsFound, describe
from golive.runbook import bundle
from golive.runbook.checks import CHECK_KINDS
from golive.runbook.portmap_file import CsvRead, read_portmap
from golive.runbook.schema import Runbook
from golive.runbook.semantic import MapInfo, cross_check, suggest
from golive.runbook.source import Located, read_yaml
from golive.runbook.text_digest import BOM, MAX_BYTES, text_digest
from golive.runbook.types import bad_id

# what people write for a field, mapped to the field golive uses
SYNONYMS = {
    "dependson": "after", "depends_on": "after", "depends": "after", "dependencies": "after",
    "requires": "after", "needs": "after", "prereqs": "after", "prerequisites": "after",
    "before": "after", "password": "credentials", "name": "title", "desc": "description",
    "time": "duration", "estimate": "duration", "minutes": "duration", "role": "owner",
    "assignee": "owner", "steps": "tasks", "approvers": "signoff", "sign_off": "signoff",
    "sign-off": "signoff", "checklist": "checks", "type": "kind", "interface": "port",
    "interfaces": "ports", "switch": "device", "matches": "regex",
}  # fmt: skip


@dataclass(frozen=True)
class LoadedRunbook:
    """A valid runbook with the exact text it came from and that text's SHA-256."""

    runbook: Runbook
    source: str
    sha256: str
    file: str


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _step(tp: Any, elem: Any) -> Any:
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        for member in members:
            if isinstance(member, type) and issubclass(member, BaseModel):
                kind = member.model_fields.get("kind")
                if kind is not None and get_origin(kind.annotation) is Literal and elem in get_args(kind.annotation):
                    return member
        if len(members) == 1:
            return _step(members[0], elem)
        for member in members:
            found = _step(member, elem)
            if found is not None:
                return found
        return None
    if origin is list and isinstance(elem, int):
        return get_args(tp)[0]
    if origin is dict:
        return get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, info in tp.model_fields.items():
            if elem in (name, info.alias):
                return info.annotation
        return tp  # a union tag or an unknown element: stay
    return None


def allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at `loc` (a pydantic error location)."""
    tp: Any = Runbook
    for elem in loc:
        tp = _step(tp, elem)
        if tp is None:
            return []
    tp = _unwrap(tp)
    if get_origin(tp) in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        tp = members[0] if len(members) == 1 else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items() if name != "schema_"]
    return []


def _printable(key: Any) -> str:
    """A key as it may appear in a one-line message."""
    text = str(key)
    return text if text.isprintable() else repr(text)


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    loc = err["loc"]
    field = _printable(loc[-1]) if loc else "runbook"
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "bad_id":
        return bad_id(value)
    if kind == "missing":
        return f"missing required key {field!r}"
    if kind == "extra_forbidden":
        key = str(field)
        allowed = allowed_keys(loc[:-1])
        hint = SYNONYMS.get(key.lower())
        if hint in allowed:
            return f"unknown key {key!r} (did you mean {hint}?)"
        return f"unknown key {key!r}{suggest(key, allowed)}"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", value))
        return f"unknown check kind {tag!r}{suggest(tag, set(CHECK_KINDS))}; kinds: {', '.join(CHECK_KINDS)}"
    if kind == "union_tag_not_found":
        return f"a check needs kind: one of {', '.join(CHECK_KINDS)}"
    if kind == "literal_error" and field in ("auth", "priv"):
        names = str(ctx.get("expected", "")).replace("'", "")
        return f"{field} names the algorithm ({names}); the key itself belongs in credentials: as a reference"
    if kind == "literal_error":
        choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        hint = suggest(value, choices) if isinstance(value, str) else ""
        if len(choices) > 8:
            return f"{field}: {describe(value)} is not a supported {field}{hint}; `golive schema` lists them"
        return f"{field}: {describe(value)} is not one of {', '.join(choices)}{hint}"
    if kind in ("string_type",):
        return f"{field}: expected text, got {describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field}: expected a whole number, got {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field}: expected true or false, got {describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"{field}: expected a number, got {describe(value)}"
    if kind == "list_type":
        return f"{field}: expected a list, got {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{field}: expected a mapping (key: value), got {describe(value)}"
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"):
        return f"{field}: expected a date and time like 2026-12-05T22:00-05:00, got {describe(value)}"
    if kind == "timezone_aware":
        return f"{field}: give a UTC offset, like 2026-12-05T22:00-05:00"
    if kind == "too_short":
        return f"{field}: must not be empty"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{field}: {err['msg'].lower()}, got {describe(value)}"
    if kind == "value_error":
        text = str(err["msg"])
        return text.removeprefix("Value error, ")
    if kind == "assertion_error":
        return str(err["msg"]).removeprefix("Assertion failed, ")
    return f"{field}: {err['msg']}"


def _schema_problems(src: Located, secret_paths: set[tuple[Any, ...]]) -> tuple[Runbook | None, list[Problem]]:
    try:
        return Runbook.model_validate(src.data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if any(loc[: len(p)] == p for p in secret_paths):
                continue  # already reported, better, as an inline secret
            if err["type"] in ("union_tag_invalid",) and isinstance(src.data, dict):
                loc = (*loc, "kind")
            problems.append(src.problem(loc, _message(err), key=err["type"] == "extra_forbidden"))
        return None, problems


def parse_runbook(text: str, file: str, *, plain_text: bool = False, directory: FsPath | None = None) -> LoadedRunbook:
    """A valid runbook from `text`, or ProblemsFound listing every problem in it.

    `plain_text` refuses control and bidi characters in its strings (golive.runbook.source): for a
    file a person hands golive (read_runbook), not for a text golive stored itself. `directory` is
    where a port-map CSV the runbook names is read from (the runbook's own directory); without it,
    `text` may be a stored bundle (golive.runbook.bundle) and the CSV is taken from it, never from disk.
    """
    yaml_text, attached = (text, {}) if directory is not None else bundle.split(text)
    src, problems = read_yaml(yaml_text, file, plain_text=plain_text)
    if src is None:
        raise ProblemsFound(problems)
    if not isinstance(src.data, dict):
        raise ProblemsFound([*problems, src.problem((), "a runbook is a mapping with runbook:, roles: and phases:")])
    csv_read: CsvRead | None = None
    named, info = src.data.get("portmap"), None
    if named == [] or isinstance(named, bool | int | float):
        got = "an empty list" if named == [] else describe(named)
        problems.append(
            src.problem(("portmap",), f"portmap: name a CSV beside the runbook or list the jacks, got {got}")
        )
        info = MapInfo(complete=False)
    elif isinstance(named, str):
        csv_read = read_portmap(src, named, directory, attached)
        problems += csv_read.problems
        info = csv_read.info
    semantic, secret_paths = cross_check(src, info)
    if info is not None:  # read here: the schema sees the PortMap, or nothing when it has problems
        src.data["portmap"] = csv_read.portmap if csv_read is not None else None
    runbook, schema = _schema_problems(src, secret_paths)
    found = sorted(set(problems + semantic + schema))
    if found or runbook is None:
        raise ProblemsFound(found)
    if csv_read is not None and csv_read.text is not None and directory is not None:
        assert csv_read.portmap is not None and csv_read.portmap.file is not None
        text = bundle.bundle(yaml_text, {csv_read.portmap.file: csv_read.text})
    return LoadedRunbook(runbook, text, text_digest(text), file)


def read_runbook(path: str | FsPath) -> LoadedRunbook:
    """Read and validate the runbook at `path` (UTF-8, at most MAX_BYTES).

    The size is checked while reading, not only from the file's stated size: a pipe, a FIFO or a
    device such as /dev/zero states none, and reading stops one byte past the limit.
    """
    name = str(path)
    fs = FsPath(path)
    too_large = [Problem(name, 0, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")]
    try:
        if fs.is_dir():
            raise ProblemsFound([Problem(name, 0, 0, "is a directory, not a runbook file")])
        if fs.stat().st_size > MAX_BYTES:
            raise ProblemsFound(too_large)
        with open(fs, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # a buffered read: loops over a pipe's chunks up to this many bytes
        if len(raw) > MAX_BYTES:
            raise ProblemsFound(too_large)
    except FileNotFoundError:
        raise ProblemsFound([Problem(name, 0, 0, "no such file")]) from None
    except PermissionError:
        raise ProblemsFound([Problem(name, 0, 0, "permission denied")]) from None
    except OSError as exc:
        raise ProblemsFound([Problem(name, 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemsFound([Problem(name, line, col, "not UTF-8 text")]) from None
    return parse_runbook(text.removeprefix(BOM), name, plain_text=True, directory=fs.parent)
