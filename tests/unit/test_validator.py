"""Each validator case gives its exact one-line message at the offending node's line:col."""

from __future__ import annotations

import pytest

from golive.problems import ProblemsFound
from golive.runbook.load import parse_runbook
from golive.runbook.text_digest import MAX_BYTES

from ..conftest import VALID

CASES = {
    "yaml syntax": (
        "    title: Cut\n",
        "    title: [Cut\n",
        "rb.yaml:26:10: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
    ),
    "unknown key with a synonym": (
        "        after: [uplink]\n",
        "        dependson: [uplink]\n",
        "rb.yaml:31:9: unknown key 'dependson' (did you mean after?)",
    ),
    "unknown key, close spelling": (
        "        owner: pm\n",
        "        ownr: pm\n",
        "rb.yaml:47:9: unknown key 'ownr' (did you mean owner?)",
    ),
    "unknown expectation field": (
        "expect: {access: 120}",
        "expect: {acess: 120}",
        "rb.yaml:33:67: unknown key 'acess' (did you mean access?)",
    ),
    "wrong type": (
        "        gate: true\n",
        "        gate: [yes]\n",
        "rb.yaml:38:15: gate: expected true or false, got a list",
    ),
    "bad duration": (
        "duration: 45m",
        "duration: 45 mins",
        "rb.yaml:30:19: bad duration '45 mins': write it like 45m, 1h30m or 90s",
    ),
    "duration without a unit": (
        "duration: 45m",
        "duration: 45",
        "rb.yaml:30:19: bad duration 45: give a unit, like 45m or 45s",
    ),
    "duplicate task id": (
        "      - id: close\n",
        "      - id: patch\n",
        "rb.yaml:45:13: duplicate task id 'patch' (first at line 27)",
    ),
    "duplicate mapping key": (
        "    platform: cisco_ios\n",
        "    platform: cisco_ios\n    platform: cisco_nxos\n",
        "rb.yaml:12:5: duplicate key 'platform' (first at line 11)",
    ),
    "after names an unknown task": (
        "after: [uplink]",
        "after: [uplnk]",
        "rb.yaml:31:17: after names unknown task 'uplnk' (did you mean uplink?)",
    ),
    "dependency cycle": (
        "after: [uplink]",
        "after: [uplink, gate]",
        "rb.yaml:31:16: dependency cycle: patch -> gate -> patch",
    ),
    "unknown owner role": (
        "        owner: pm\n",
        "        owner: pmo\n",
        "rb.yaml:47:16: unknown role 'pmo' (did you mean pm?)",
    ),
    "unknown sign-off role": (
        "signoff: {roles: [lead, pm]}",
        "signoff: {roles: [lead, boss]}",
        "rb.yaml:40:33: unknown role 'boss'",
    ),
    "unknown device": (
        "{kind: vlan, device: sw1,",
        "{kind: vlan, device: sw2,",
        "rb.yaml:33:34: unknown device 'sw2' (did you mean sw1?)",
    ),
    "unknown rollback plan": (
        "rollback: rb\n",
        "rollback: rb2\n",
        "rb.yaml:41:19: unknown rollback plan 'rb2' (did you mean rb?)",
    ),
    "backwards port range": (
        "ports: Gi1/0/1-24",
        "ports: Gi1/0/24-1",
        "rb.yaml:33:46: malformed port range 'Gi1/0/24-1': it runs backwards (24 > 1)",
    ),
    "a port smuggling a command": (
        "port: Gi1/0/48",
        "port: 'Gi1/0/48; reload'",
        "rb.yaml:23:45: malformed port name 'Gi1/0/48; reload': expected an interface like Gi1/0/1, Eth1/12 or ge-0/0/3",
    ),
    "inline password": (
        "    credentials: env:GOLIVE_SW1\n",
        "    password: Sup3rSecret!\n",
        "rb.yaml:12:15: inline secret in 'password': never write a secret in a runbook; "
        "use a reference: env:NAME, keyring:NAME or prompt (e.g. credentials:)",
    ),
    "secret in credentials": (
        "credentials: env:GOLIVE_SW1",
        "credentials: Sup3rSecret",
        "rb.yaml:12:18: this looks like a secret written inline: use a reference: env:NAME, keyring:NAME or prompt",
    ),
    "inline community": (
        "snmp: {version: 3, user: golive, credentials: keyring:sw1-snmp}",
        "snmp: {version: 2c, community: public123}",
        "rb.yaml:13:36: inline secret in 'community': never write a secret in a runbook; "
        "use a reference: env:NAME, keyring:NAME or prompt (e.g. community: env:NAME)",
    ),
    "unknown check kind": (
        "{kind: vlan,",
        "{kind: vlna,",
        "rb.yaml:33:20: unknown check kind 'vlna' (did you mean vlan?); "
        "kinds: port, vlan, poe, neighbor, mac, errors, state, snmp, tcp, snapshot, jacks",
    ),
    "unknown platform": (
        "platform: cisco_ios",
        "platform: cisco_iso",
        "rb.yaml:11:15: platform: 'cisco_iso' is not a supported platform (did you mean cisco_ios?); "
        "`golive schema` lists them",
    ),
    "window without offset": (
        'start: "2026-12-05T22:00-05:00"',
        'start: "2026-12-05T22:00"',
        "rb.yaml:6:19: start: give a UTC offset, like 2026-12-05T22:00-05:00",
    ),
    "missing required key": ("        duration: 15m\n", "", "rb.yaml:45:9: missing required key 'duration'"),
    "bad regular expression": (
        "expect: {access: 120}",
        "expect: {access: {regex: '12('}}",
        "rb.yaml:33:83: bad regular expression '12(': missing ), unterminated subpattern at position 2",
    ),
    "contradictory sign-off rule": (
        "signoff: {roles: [lead, pm]}",
        "signoff: {roles: [lead, pm], people: 1}",
        "rb.yaml:40:18: people: 1 is fewer than the 2 roles that must each sign (distinct people); "
        "raise people or set distinct: false",
    ),
    "a bad MAC inside an in-list": (
        "{kind: vlan, device: sw1, ports: Gi1/0/1-24, expect: {access: 120}}",
        '{kind: mac, device: sw1, port: Gi1/0/7, expect: {mac: {in: ["00:00:5e:00:53:01", nonsense]}}}',
        "rb.yaml:33:67: bad MAC 'nonsense': expected 00:1b:44:11:3a:b7, 001b.4411.3ab7, 001b-4411-3ab7 or an OUI like 00:1b:44:*",
    ),
    "a role listed twice": (
        "signoff: {roles: [lead, pm]}",
        "signoff: {roles: [lead, lead]}",
        "rb.yaml:40:18: a role is listed twice in signoff roles",
    ),
}


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        parse_runbook(text, "rb.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_base_runbook_is_valid() -> None:
    loaded = parse_runbook(VALID, "rb.yaml")
    assert list(loaded.runbook.tasks) == ["uplink", "patch", "gate", "close"]


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_gives_its_exact_line(name: str) -> None:
    old, new, expected = CASES[name]
    assert old in VALID
    assert problems_of(VALID.replace(old, new, 1)) == [expected]


def test_every_problem_is_reported_at_once() -> None:
    text = VALID
    for name in (
        "unknown key with a synonym",
        "bad duration",
        "unknown owner role",
        "inline password",
        "unknown device",
    ):
        old, new, _ = CASES[name]
        text = text.replace(old, new, 1)
    found = problems_of(text)
    assert len(found) == 5
    assert found == sorted(found, key=lambda line: int(line.split(":")[1]))


def test_a_cycle_through_three_tasks_prints_the_cycle() -> None:
    text = VALID.replace("            duration: 10m\n", "            duration: 10m\n            after: [gate]\n", 1)
    text = text.replace("        duration: 10m\n", "        duration: 10m\n        after: [gate]\n", 1)
    assert problems_of(text) == ["rb.yaml:22:16: dependency cycle: uplink -> patch -> gate -> uplink"]


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    assert problems_of("\n".join(lines) + "\n") == ["rb.yaml:1:1: aliases expand to too many nodes (an alias bomb?)"]


def test_a_recursive_alias_is_refused() -> None:
    assert problems_of("a: &x [1, *x]\n") == ["rb.yaml:1:1: recursive alias: an anchor refers to itself"]


def test_an_oversized_file_is_refused_before_parsing() -> None:
    text = "# " + "x" * MAX_BYTES + "\n"
    assert problems_of(text) == [f"rb.yaml: file is larger than {MAX_BYTES // (1024 * 1024)} MiB"]


def test_python_tags_are_never_constructed() -> None:
    text = "runbook: !!python/object/apply:os.system ['echo pwned']\n"
    found = problems_of(text)
    assert (
        "rb.yaml:1:10: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system: write plain values"
        in found
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "rb.yaml:1:1: the file is empty: a runbook needs runbook:, roles: and phases:"),
        ("- a\n- b\n", "rb.yaml:1:1: a runbook is a mapping with runbook:, roles: and phases:"),
    ],
)
def test_shapeless_files(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_a_cycle_through_a_gate_is_caught() -> None:
    # uplink (phase pre) waits for close (phase post), which the gate in phase cut holds back
    text = VALID.replace("        duration: 10m\n", "        duration: 10m\n        after: [close]\n", 1)
    assert problems_of(text) == [
        "rb.yaml:22:16: dependency cycle: uplink -> patch -> gate -> close -> uplink "
        "(gate gate holds back every later phase)"
    ]
