"""ntc-templates parsing without re-reading the index and re-building a table for every output.

`ntc_templates.parse.parse_output` looks the template up in the index (a regex match over ~1,000
rows), opens and compiles the template, parses, then copies every row into a TextTable before
turning it into dicts: for golive's 3-command batch on a 24-port switch ~16 ms of CPU per device,
in a process where 50 sessions share one interpreter lock. golive's commands are a fixed table, so
each command's template is found and read once; an output is parsed straight into dicts: the same
records, same errors.

Two more costs, both in TextFSM's loop, not in its answers:

- compiling a template's ~50 rules for every output: each worker thread keeps one compiled FSM per
  template and `Reset()`s it before each output (TextFSM's own way to reuse an FSM: start state,
  every value and option cleared). An FSM is stateful: never shared between threads.
- trying each line against the current state's rules in order, through two Python calls per try:
  a 575-line `show interfaces switchport` against a 50-rule state is ~17,000 tries. Which rule
  first matches a line is a pure function of (template, state, first rule tried, line), and a
  switch's outputs repeat lines (per port, per switch of a model): `_FastFSM` remembers that index,
  bounded per template, and tries the rules itself on a line it has not seen. The matching rule
  then does exactly what TextFSM does with a match (its `_AssignVar` and `_Operations`).
Measured (BENCHMARKS.md, SSH section): 16 ms -> a few ms of CPU per device.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from typing import Any

import textfsm
from textfsm import clitable

# remembered first-matching rules per template (a line seen once costs the plain loop, no more)
FIRST_RULE_LIMIT = 20_000


class _FastFSM(textfsm.TextFSM):  # type: ignore[misc]
    """TextFSM whose per-line rule loop remembers which rule first matches a line (same order, same
    first match, same operations as TextFSM._CheckLine; its `_CheckRule` debugger hook is skipped)."""

    def __init__(self, template: str, first_rule: dict[tuple[str, int, str], int]) -> None:
        super().__init__(io.StringIO(template))
        self._first_rule = first_rule  # shared by every FSM of this template: (state, from, line) -> rule

    def _first_match(self, rules: list[Any], start: int, line: str) -> int:
        for index in range(start, len(rules)):
            if rules[index].regex_obj.regex.match(line):
                return index
        return -1

    def _CheckLine(self, line: str) -> None:  # TextFSM's name
        rules: list[Any] = self._cur_state  # type: ignore[has-type]
        state: str = self._cur_state_name  # type: ignore[has-type]
        remember = self.states.get(state) is rules
        start = 0
        while True:
            key = (state, start, line)
            index = self._first_rule.get(key) if remember else None
            if index is None:
                index = self._first_match(rules, start, line)
                if remember and len(self._first_rule) < FIRST_RULE_LIMIT:
                    self._first_rule[key] = index
            if index < 0:
                return
            rule = rules[index]
            matched = rule.regex_obj.regex.match(line)
            for value in matched.groupdict():
                self._AssignVar(matched, value)
            if self._Operations(rule, line):
                # not a Continue: the state may change (as TextFSM._CheckLine does)
                if rule.new_state:
                    if rule.new_state not in ("End", "EOF"):
                        self._cur_state = self.states[rule.new_state]
                    self._cur_state_name = rule.new_state
                return
            start = index + 1  # Continue: the same line against the rules after this one


@functools.cache
def _template(platform: str, command: str) -> str | None:
    """The template text for a command (None: the index names several, use ntc-templates' own merge)."""
    from ntc_templates.parse import _get_template_dir

    directory = _get_template_dir()
    table = clitable.CliTable("index", directory)
    row = table.index.GetRowMatch({"Command": command, "Platform": platform})
    if not row:
        raise clitable.CliTableError(f'No template found for attributes: "{platform} {command}"')
    names = table.index.index[row]["Template"].split(":")
    if len(names) != 1:
        return None
    with open(os.path.join(directory, names[0]), encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def _first_rules(platform: str, command: str) -> dict[tuple[str, int, str], int]:
    return {}


_compiled = threading.local()  # this thread's FSM per (platform, command)


def _fsm(platform: str, command: str, text: str) -> _FastFSM:
    fsms: dict[tuple[str, str], _FastFSM] = _compiled.__dict__.setdefault("fsms", {})
    fsm = fsms.get((platform, command))
    if fsm is None:
        fsm = fsms[(platform, command)] = _FastFSM(text, _first_rules(platform, command))
    else:
        fsm.Reset()
    return fsm


def parse_output(platform: str, command: str, data: str) -> list[dict[str, Any]]:
    """Like `ntc_templates.parse.parse_output(platform=, command=, data=)`: a list of records, keys in
    lower case; textfsm.TextFSMError on output the template rejects."""
    text = _template(platform, command)
    if text is None:
        from ntc_templates.parse import parse_output as ntc_parse

        records: list[dict[str, Any]] = ntc_parse(platform=platform, command=command, data=data)
        return records
    fsm = _fsm(platform, command, text)
    header = [name.lower() for name in fsm.header]
    return [dict(zip(header, row, strict=True)) for row in fsm.ParseText(data)]
