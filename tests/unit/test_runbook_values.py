"""The value checks pydantic-core makes itself (ids) and the cheaper ones (durations, port ranges)
accept and refuse exactly what the Python checks did, with the same words for the author."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from golive.problems import ProblemsFound
from golive.runbook.durations import parse_duration
from golive.runbook.load import parse_runbook
from golive.runbook.ports import _RANGE, check_port_name, expand_ports
from golive.runbook.types import Ident

from ..conftest import VALID

PYTHON_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$", re.ASCII)  # the check ids had in Python
IDENT = TypeAdapter(Ident)


def _accepts(value: object, *, json: bool = False) -> bool:
    try:
        if json:
            IDENT.validate_json(value)  # type: ignore[arg-type]
        else:
            IDENT.validate_python(value)
    except ValueError:
        return False
    return True


@settings(max_examples=2000)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=90) | st.from_regex(PYTHON_IDENT, fullmatch=True))
def test_an_id_is_what_the_python_check_accepted(text: str) -> None:
    expected = bool(PYTHON_IDENT.fullmatch(text))
    assert _accepts(text) is expected
    import json

    assert _accepts(json.dumps(text), json=True) is expected


@pytest.mark.parametrize("value", [123, 1.5, True, None, [1], {"a": 1}, b"sw1"])
def test_an_id_of_another_type_is_refused(value: object) -> None:
    assert not _accepts(value)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("'sw 1'", "'sw 1'"),
        ("-sw1", "'-sw1'"),
        ("123", "123"),
        ("true", "True"),
        ("[sw1]", "['sw1']"),
        ("'sw1;reload'", "'sw1;reload'"),
        ("'" + "s" * 81 + "'", "'" + "s" * 81 + "'"),
        ("swé", "'swé'"),
    ],
)
def test_a_bad_id_gets_the_authors_words_at_its_place(written: str, shown: str) -> None:
    assert "  - id: uplink\n" in VALID
    text = VALID.replace("  - id: uplink\n", f"  - id: {written}\n", 1)
    line = VALID[: VALID.index("  - id: uplink\n")].count("\n") + 1
    with pytest.raises(ProblemsFound) as caught:
        parse_runbook(text, "rb.yaml")
    messages = [str(p) for p in caught.value.problems]
    expected = f"bad id {shown}: use letters, digits, '.', '_' and '-', starting with a letter or digit"
    assert f"rb.yaml:{line}:13: {expected}" in messages, messages


def test_a_bad_id_as_a_mapping_key_gets_the_same_words() -> None:
    text = VALID.replace("  sw1:\n", "  'sw 1':\n", 1).replace("device: sw1", "device: 'sw 1'")
    with pytest.raises(ProblemsFound) as caught:
        parse_runbook(text, "rb.yaml")
    assert any("bad id 'sw 1': use letters" in str(p) for p in caught.value.problems)


@given(st.from_regex(_RANGE, fullmatch=True))
def test_every_port_a_range_expands_to_is_a_well_formed_name(spec: str) -> None:
    try:
        names = expand_ports(spec)
    except ValueError:
        return
    assert [check_port_name(n) for n in names] == names


@given(st.from_regex(r"\A\s*(\d{1,3}\s*[hms]\s*){1,3}\Z") | st.text(max_size=12))
def test_a_duration_reads_the_same_twice(text: str) -> None:
    """Durations are remembered by their text: the second reading must be the first one's."""
    try:
        first: int | str = parse_duration(text)
    except ValueError as exc:
        first = str(exc)
    try:
        again: int | str = parse_duration(text)
    except ValueError as exc:
        again = str(exc)
    assert again == first
