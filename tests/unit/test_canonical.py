"""`journal.canonical` writes the same bytes as the JSON encoder every existing chain was hashed with.

The hash of every journal event is SHA-256 over `canonical(row)`. It used to be, for every row,
`json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(...)` of the
hashed fields; for speed it now writes usual rows itself (see its docstring). If one byte ever
differed, every database journaled before the change would stop verifying. So: property-based
(hypothesis) rows with arbitrary text (any code point, control characters, lone surrogates,
U+2028), big ints, floats (NaN, infinities), bools, None, nested payloads, str and int
subclasses, objects JSON cannot hold and missing fields, compared with that encoder, kept here
verbatim as the reference: the same bytes, or the same exception type.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from golive.store import journal

# the reference: canonical() as it was when the chains of existing databases were written
_REFERENCE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def reference(row: Mapping[str, Any]) -> bytes:
    body = {name: row[name] for name in journal.HASHED}
    return _REFERENCE.encode(body).encode("utf-8")


def outcome(canonical: Callable[[Mapping[str, Any]], bytes], row: Mapping[str, Any]) -> tuple[str, Any]:
    try:
        return "bytes", canonical(row)
    except Exception as exc:  # the exception type is what is compared
        return "raised", type(exc)


class Word(enum.StrEnum):
    NOTE = "note"
    ODD = "é\u2028\x00"


class Number(enum.IntEnum):
    ONE = 1


any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)  # surrogates and controls too
usual_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "Ana Ruiz", "ÅÉÎ ñ 中文 🚀", '"quoted" \\ back/slash', "tab\there\nnew\rline\x00\x1f\x7f",
                     "\u2028\u2029\ufeff\ufffe", "a" * 500]),
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**4000), max_value=10**4000),  # big, under the 4,300-digit limit (see the examples)
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.sampled_from([Word.NOTE, Word.ODD, Number.ONE, b"bytes", 1 + 2j, object()]),
)
nested = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4), max_leaves=12
)
payloads = st.one_of(
    st.dictionaries(st.text(max_size=12), nested, max_size=5).map(
        lambda p: json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    ),
    usual_text,
    nested,  # a jsonl export read back can hold any JSON value (and a forged one any object) in any field
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A row that is usually well-formed (strings, an int seq, a task id or None) and sometimes anything."""

    def field(usual: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(usual, usual, usual, nested))

    row = {
        "run_uuid": field(usual_text), "seq": field(st.integers(min_value=0, max_value=10**12)),
        "uuid": field(usual_text), "kind": field(usual_text | st.just(Word.NOTE)),
        "task_id": field(st.none() | usual_text), "actor_name": field(any_text), "actor_initials": field(usual_text),
        "actor_role": field(usual_text), "machine": field(usual_text), "ts_utc": field(usual_text),
        "tz_offset": field(usual_text), "payload": field(payloads), "prev_hash": field(usual_text),
        "id": draw(st.integers()), "hash": draw(usual_text),  # stored beside, never hashed
    }  # fmt: skip
    missing = draw(st.none() | st.sampled_from(journal.HASHED))
    if missing is not None and draw(st.integers(0, 9)) == 0:
        del row[missing]
    return row


USUAL = {
    "run_uuid": "a0000000-0000-0000-0000-000000000001", "seq": 7, "uuid": "00000000-0000-0000-0000-000000000007",
    "kind": "note", "task_id": None, "actor_name": "Ana Ruiz", "actor_initials": "AR", "actor_role": "net_eng",
    "machine": "laptop-1/0a1b2c3d", "ts_utc": "2026-12-05T03:30:00.000000+00:00", "tz_offset": "-05:00",
    "payload": '{"text":"closet B door jammed; Lee Chan called facilities \\u2028 é"}', "prev_hash": "0" * 64,
}  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(rows())
@example(USUAL)
@example({**USUAL, "task_id": "patch", "seq": 10**4300})  # one digit past the limit: both raise ValueError
@example({**USUAL, "seq": True})
@example({**USUAL, "seq": 7.0})
@example({**USUAL, "seq": Number.ONE})
@example({**USUAL, "kind": Word.ODD, "actor_name": "lone \ud800 surrogate"})
@example({**USUAL, "payload": {"nested": [1, 2.5, None, float("nan")]}})
def test_canonical_is_the_reference_encoders_bytes(row: dict[str, Any]) -> None:
    assert outcome(journal.canonical, row) == outcome(reference, row)
    view = MappingProxyType(row)  # any Mapping, not only a dict (SQLAlchemy row mappings, json objects)
    assert outcome(journal.canonical, view) == outcome(reference, row)


def test_a_known_row_keeps_its_known_hash() -> None:
    """Pinned: the hash of this row as the original encoder wrote it (a chain of 2026-11 depends on it)."""
    assert journal.canonical(USUAL) == reference(USUAL)
    assert journal.row_hash(USUAL) == hashlib.sha256(reference(USUAL)).hexdigest() == KNOWN_HASH
    assert journal.row_hash({**USUAL, "task_id": "patch"}) != KNOWN_HASH


KNOWN_HASH = "209cb2ad1e00cc25d748f14d844b399adcb717e19ec6650d7a3fbbdffea5bac3"
