"""Whatever text it is given, the runbook loader answers with a runbook or with problems.

Property-based (hypothesis): random text and YAML-ish fragments, and mutations of a valid
runbook (lines deleted, duplicated, swapped; scalars replaced by values of another type; keys
inserted or renamed). `parse_runbook` may succeed or raise ProblemsFound, nothing else, and
every problem points into the file (line, col >= 0) with a non-empty one-line message.

And the installed command, in a subprocess, on adversarial files (nesting bombs of every form,
alias games, escapes, binary junk, mutations): exit 0 or 1 with one line per problem, never a
traceback, never a signal (a 60 KB nested file segfaulted the C composer).
"""

from __future__ import annotations

import copy
import hashlib
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from golive.problems import Problem, ProblemsFound
from golive.runbook.load import LoadedRunbook, parse_runbook

FILE = "fuzz.yaml"

VALID = """\
runbook:
  id: idf2-access
  title: IDF 2 access stack swap
  version: 3
  site: Main hospital, IDF 2
  change: CHG0012345
  window:
    start: 2026-12-05T22:00-05:00
    end: 2026-12-06T04:00-05:00
roles:
  net: Network engineer
  clin: Clinical lead
inventory:
  sw1:
    host: 10.0.0.2
    platform: cisco_ios
    username: golive
    credentials: env:SW1_PASS
    snmp:
      user: monitor
      credentials: keyring:sw1-snmp
  core:
    host: core1.example.org
    platform: arista_eos
phases:
  - id: prep
    title: Preparation
    tasks:
      - id: backup
        title: Back up the running config
        owner: net
        duration: 15m
        instructions: |
          Copy the running config to the TFTP server.
        checks:
          - id: uplink
            kind: port
            device: sw1
            port: Gi1/0/48
            expect:
              status: up
              speed: {in: [1G, 10G]}
              description: {regex: "UPLINK.*"}
          - id: crc-base
            kind: errors
            device: sw1
            ports: [Gi1/0/1-24, Gi1/0/48]
            expect:
              crc: {le: 10}
      - id: go
        title: Go / no-go
        owner: clin
        duration: 5m
        after: backup
        gate: true
        signoff:
          roles: [clin, net]
          people: 2
  - id: swap
    title: Swap
    tasks:
      - id: move
        title: Move the patch cords
        owner: net
        duration: 1h30m
        after: [go]
        rollback: back
        checks:
          - kind: vlan
            device: sw1
            ports: Gi1/0/1-12
            expect:
              mode: access
              access: 120
              voice: {not: {equals: 1}}
          - kind: errors
            device: sw1
            port: Gi1/0/48
            interval: 30s
            expect:
              crc: {delta: {le: 0}, baseline: crc-base}
          - kind: mac
            device: sw1
            port: Gi1/0/5
            expect:
              mac: "00:1b:44:*"
              count: {range: [1, 4]}
          - kind: neighbor
            device: sw1
            port: Gi1/0/48
            protocol: lldp
            expect:
              device: {contains: core}
          - kind: poe
            device: sw1
            ports: Gi1/0/1-4
            expect:
              powered: true
              watts: {ge: 6.5}
          - kind: snmp
            device: sw1
            oid: 1.3.6.1.2.1.1.3.0
            expect: {gt: 0}
          - kind: tcp
            host: pacs.example.org
            port: 104
            timeout: 10s
          - kind: state
            device: sw1
            ports: Gi1/0/1-24
            expect:
              err_disabled: false
              stp: forwarding
      - id: verify
        title: Clinical verification
        owner: clin
        duration: 30m
        after: move
rollback:
  back:
    title: Put the old switch back
    decide_by: 1h
    steps:
      - id: restore
        title: Re-patch
        owner: net
        duration: 20m
        checks:
          - kind: tcp
            device: core
            port: 22
"""
LINES = VALID.splitlines(keepends=True)
DATA = yaml.safe_load(VALID)

FUZZ = settings(
    max_examples=400,
    deadline=None,
    database=None,  # nothing written outside tests/; failures found are kept below as @example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# YAML's own line breaks, for "the position lies inside the file"
_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def check_problem(problem: object, text: str) -> None:
    assert isinstance(problem, Problem), problem
    assert problem.file == FILE
    assert isinstance(problem.line, int) and problem.line >= 0, problem
    assert isinstance(problem.col, int) and problem.col >= 0, problem
    assert problem.line <= len(_BREAKS.split(text)) + 1, problem
    message = problem.message
    assert isinstance(message, str) and message.strip(), problem
    assert "\n" not in message and "\r" not in message, f"message is not one line: {message!r}"
    assert "\n" not in str(problem)


def outcome(text: str) -> LoadedRunbook | list[Problem]:
    """parse_runbook's answer; any exception but ProblemsFound fails the property."""
    try:
        loaded = parse_runbook(text, FILE)
    except ProblemsFound as exc:
        assert exc.problems, "ProblemsFound without a problem"
        for problem in exc.problems:
            check_problem(problem, text)
        return exc.problems
    assert isinstance(loaded, LoadedRunbook)
    assert loaded.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert loaded.source == text
    return loaded


def test_the_base_runbook_is_valid() -> None:
    """Mutations start from a valid runbook, with checks of every kind and expectations."""
    loaded = outcome(VALID)
    assert isinstance(loaded, LoadedRunbook), loaded
    kinds = {c.kind for t in loaded.runbook.tasks.values() for c in t.checks}
    assert kinds == {"port", "errors", "vlan", "mac", "neighbor", "poe", "snmp", "tcp", "state"}


# -- (a) random text -----------------------------------------------------------------------

FRAGMENTS = [
    "runbook", "roles", "phases", "tasks", "id", "title", "owner", "after", "checks", "expect", "kind",
    "window", "start", "duration", "rollback", "inventory", "signoff", "credentials", "password",
    ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "? ",
    "!!str ", "!!int ", "!!binary ", "!!set ", "!!omap ", "!!python/object/apply:os.system ", "!local ",
    "!<tag:x,2000:y> ", "|", "|-", ">", ">+", "---", "...", "%YAML 1.1\n", "%TAG !e! tag:x,2000:\n",
    "# c", "'", '"', "\\", "\\u", "\t", "\n", "\r\n", "\r", "  ", "    ", "\x00", "\x07", "\ufeff", "\u2028",
    "\x85", "é", "日本", "🙂", "\u202e", "1", "-0", "0x1F", "0o17", "1_000", "1:30", "1e400", ".inf", "-.Inf",
    ".nan", "~", "null", "yes", "No", "on", "true", "2026-12-05T22:00-05:00", "2026-02-30", "45m", "90",
    "env:X", "keyring:k", "prompt", "hunter2", "Gi1/0/1-24", "1.3.6.1", "port", "snmp", "tcp",
]  # fmt: skip
any_char = st.characters(exclude_categories=[])  # surrogates and controls too
yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=any_char, max_size=3)), max_size=80).map(
    "".join
)
# a billion laughs: ten nested levels of ten aliases each
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n" for a, b in zip("abcdefghi", "bcdefghij", strict=True)
)
random_text = st.one_of(st.text(alphabet=any_char, max_size=200), yamlish, yamlish.map(lambda t: "runbook:\n  " + t))


@FUZZ
@given(random_text)
@example("a: &a [*a]")  # a recursive alias
@example(LAUGHS)
@example("[" * 5000 + "]" * 5000)  # absurd nesting
@example("- " * 3000 + "x")
@example("\x00")  # SRC BUG 1: a control character gives a two-line message, at 0:0, naming "<unicode string>"
@example("runbook:\n  id: a\x00b\n")
@example('inventory:\n  "sw\\n1": 5\n')  # SRC BUG 2: the raw key "sw<newline>1" is put into the message
@example("runbook: !!python/object/apply:os.system [echo pwned]")
@example("? [a, b]\n: c")  # a non-scalar key
@example("<<: {a: 1}\n")
@example("a: 1\na: 2\n")
@example("\ufeffrunbook: x")
@example("a: \ud800")
@example("")
@example("   \n\t\n")
@example("---\n...\n---\n")
@example("--- a\n--- b\n")  # two documents
@example("42")
def test_random_text_gives_problems_not_crashes(text: str) -> None:
    outcome(text)


random_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.dates()),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=4)
    ),
    max_leaves=15,
)


@FUZZ
@example({"inventory": {"sw\n1": 5}})  # SRC BUG 2: "sw\n1: expected a mapping (key: value), got 5"
@example({"roles": {"a\rb": [1]}})
@given(
    st.dictionaries(
        st.sampled_from(["runbook", "roles", "phases", "inventory", "rollback", "ssh", "$schema", "x"]),
        random_data,
        max_size=6,
    )
)
def test_random_documents_with_runbook_keys(doc: dict[str, Any]) -> None:
    outcome(yaml.safe_dump(doc, allow_unicode=True))


# -- (b) mutations of a valid runbook ------------------------------------------------------

KEYS = [
    "id", "title", "owner", "after", "duration", "gate", "signoff", "roles", "people", "distinct", "rollback",
    "checks", "kind", "device", "port", "ports", "expect", "baseline", "delta", "in", "regex", "matches", "range",
    "not", "equals", "contains", "via", "oid", "walk", "count", "host", "platform", "snmp", "version",
    "community", "user", "credentials", "password", "secret", "token", "enable", "steps", "decide_by", "phases",
    "tasks", "runbook", "window", "start", "end", "inventory", "ssh", "known_hosts", "$schema", "<<",
    "dependson", "name", "type", "mac", "interval", "protocol", "class", "watts",
]  # fmt: skip
long_text = st.integers(min_value=100, max_value=20_000).map(lambda n: "long text " * (n // 10))
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.text(max_size=30),
    long_text,
    st.dates(),
    st.datetimes(),
    st.sampled_from(["net", "clin", "sw1", "core", "backup", "go", "move", "back", "crc-base", "env:X", "1h", "up"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=8), st.none()), max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers()), random_data, max_size=3),
    random_data,
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats())


def paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node under `node` (not the root itself)."""
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in items:
        out.append((*here, key))
        out.extend(paths(child, (*here, key)))
    return out


def containers(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every mapping (the root included)."""
    out = [here] if isinstance(node, dict) else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in items:
        out.extend(containers(child, (*here, key)))
    return out


def at(node: Any, path: tuple[Any, ...]) -> Any:
    for elem in path:
        node = node[elem]
    return node


def flow(value: Any) -> str:
    """`value` as one line of flow-style YAML."""
    return yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True).strip()[1:-1]


@st.composite
def data_mutation(draw: st.DrawFn) -> str:
    """Change the parsed runbook (replace a node, insert or rename a key), then dump it again."""
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        op = draw(st.sampled_from(["replace", "replace", "insert", "rename", "delete"]))
        if op == "replace":
            path = draw(st.sampled_from(paths(data)))
            at(data, path[:-1])[path[-1]] = draw(values)
        elif op == "insert":
            where = draw(st.sampled_from(containers(data)))
            at(data, where)[draw(keys)] = draw(values)
        elif op == "rename":
            where = draw(st.sampled_from(containers(data)))
            mapping = at(data, where)
            if mapping:
                old = draw(st.sampled_from(list(mapping)))
                new = draw(keys)
                mapping[new] = mapping.pop(old)
        else:
            path = draw(st.sampled_from(paths(data)))
            parent = at(data, path[:-1])
            del parent[path[-1]]
        if not paths(data):
            break
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9)


_ENTRY = re.compile(r"^(\s*(?:- )?)([^\s:#'\"][^:#]*?):( +)(\S.*)$")


@st.composite
def line_mutation(draw: st.DrawFn) -> str:
    """Edit the runbook's text: lines deleted, duplicated, swapped; values and keys replaced."""
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "value", "key", "insert", "indent"]))
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(draw(st.integers(min_value=0, max_value=len(lines))), lines[i])
        elif op == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t", "    "])) + lines[i].lstrip(" ")
        else:
            entries = [n for n, line in enumerate(lines) if _ENTRY.match(line.rstrip("\n"))]
            if not entries:
                continue
            n = draw(st.sampled_from(entries))
            m = _ENTRY.match(lines[n].rstrip("\n"))
            assert m is not None
            lead, key, gap, value = m.groups()
            if op == "value":
                lines[n] = f"{lead}{key}:{gap}{flow(draw(values))}\n"
            elif op == "key":
                lines[n] = f"{lead}{flow(draw(keys))}:{gap}{value}\n"
            else:  # a new key beside this one, same indentation
                pad = " " * len(lead)
                lines.insert(n + 1, f"{pad}{flow(draw(keys))}: {flow(draw(values))}\n")
    return "".join(lines)


# SRC BUG 3: an integer key among the roles or rollback plans, and a name that is not among them:
# semantic.suggest() sorts / difflib-compares ints with str -> TypeError (golive: internal error)
INT_ROLE = VALID.replace("  clin: Clinical lead\n", "  1: Clinical lead\n")
INT_PLAN = VALID.replace("\n  back:\n", "\n  0:\n")
assert INT_ROLE != VALID and INT_PLAN != VALID


@FUZZ
@example(INT_ROLE)
@example(INT_PLAN)
@given(line_mutation())
def test_text_mutations_of_a_valid_runbook(text: str) -> None:
    outcome(text)


def _renamed(section: str, old: str, new: Any) -> str:
    data = copy.deepcopy(DATA)
    data[section] = {new if k == old else k: v for k, v in data[section].items()}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9)


@FUZZ
@example(_renamed("roles", "net", 7))  # SRC BUG 3, through the data mutator
@example(_renamed("rollback", "back", 0))
@given(data_mutation())
def test_data_mutations_of_a_valid_runbook(text: str) -> None:
    outcome(text)


def test_hostile_yaml_is_refused_with_a_reason() -> None:
    """The explicit examples below are caught by their own limits, not by luck."""
    bomb = outcome(LAUGHS)
    assert isinstance(bomb, list) and "alias bomb" in bomb[0].message, bomb
    loop = outcome("a: &a [*a]")
    assert isinstance(loop, list) and "recursive alias" in loop[0].message, loop
    deep = outcome("[" * 5000 + "]" * 5000)
    assert isinstance(deep, list) and "nested too deeply" in deep[0].message, deep
    tag = outcome("runbook: !!python/object/apply:os.system [echo pwned]")
    assert isinstance(tag, list) and any("tag" in p.message for p in tag), tag


def test_mutation_helpers_reach_every_node() -> None:
    """The mutators would be toothless if they could not reach the checks and expectations."""
    reachable = paths(DATA)
    assert ("phases", 1, "tasks", 0, "checks", 1, "expect", "crc", "delta", "le") in reachable
    assert ("roles", "clin") in reachable
    assert ("phases", 1, "tasks", 0, "checks", 1, "expect", "crc") in containers(DATA)
    assert flow({"a": [1, None]}) == "{a: [1, null]}"
    assert flow(date(2026, 1, 2)) == "2026-01-02"
    assert DATA["runbook"]["window"]["start"] == "2026-12-05T22:00-05:00"  # no seconds: YAML keeps it text
    # a dump of the untouched data is still a valid runbook: mutations start from validity
    assert isinstance(outcome(yaml.safe_dump(DATA, sort_keys=False, allow_unicode=True)), LoadedRunbook)


# -- (c) the installed command on adversarial files: a line per problem, never a crash -------------

GOLIVE = [sys.executable, "-m", "golive", "validate"]
_PROBLEM = re.compile(r"^(?P<file>.+?)(?::\d+:\d+)?: \S.*$")


@st.composite
def nesting_bomb(draw: st.DrawFn) -> str:
    """Deep nesting in each of YAML's forms, deep enough to overflow a recursive composer."""
    depth = draw(st.integers(min_value=90, max_value=40_000))
    form = draw(st.sampled_from(["flow-list", "flow-map", "block-list", "mixed", "unclosed", "explicit-key"]))
    if form == "flow-list":
        return "runbook: " + "[" * depth + "]" * depth
    if form == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    if form == "block-list":
        return "- " * depth + "x"
    if form == "mixed":
        return "[{a: " * (depth // 2) + "1" + "}]" * (depth // 2)
    if form == "unclosed":
        return "runbook: " + "[" * depth
    return "? " * depth + "x"


@st.composite
def alias_game(draw: st.DrawFn) -> str:
    """Anchors and aliases: chains, fan-outs (billion laughs of any shape), recursion, undefined ones."""
    levels = draw(st.integers(min_value=1, max_value=300))
    fan = draw(st.integers(min_value=1, max_value=12))
    lines = ["a0: &a0 [x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]" for i in range(1, levels)]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["r: &r [*r]", "u: *nowhere", "d: &a0 [y]", "m: {<<: *a0}"])))
    return "\n".join(lines) + "\n"


escaped_text = st.text(alphabet=st.characters(max_codepoint=0x206F), max_size=40).map(
    lambda t: '"' + t.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
)
adversarial = st.one_of(
    nesting_bomb().map(str.encode),
    alias_game().map(str.encode),
    random_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
    line_mutation().map(str.encode),
    escaped_text.map(lambda t: VALID.replace("title: Back up the running config", f"title: {t}").encode()),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(adversarial)
@example(("runbook: " + "[" * 30_000 + "]" * 30_000 + "\n").encode())  # 60 KB: segfaulted (exit 139)
@example(b"\x00\xff\xfe")
@example(LAUGHS.encode())
def test_golive_validate_answers_any_file_with_lines_and_an_exit_code(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(content)
        result = subprocess.run([*GOLIVE, str(path)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])  # never a signal, never 3
    assert "Traceback" not in result.stderr + result.stdout
    if result.returncode == 0:
        assert result.stdout.startswith(f"{path}: ok: ") and result.stdout.count("\n") == 1, result.stdout
        return
    *lines, count = result.stderr.splitlines()
    assert count == f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found", result.stderr[-2000:]
    for line in lines:
        match = _PROBLEM.match(line)
        assert match is not None and match.group("file") == str(path), line
