"""Typed journal payloads: every type reads back what it writes, and writes what the journal always held.

Hypothesis builds, for each kind's payload type (and each part of one), JSON objects of the right
shape: any subset of its keys, values of the declared types (nested parts, free JSON under
`observed`), plus keys no golive knows. For each: the type reads it, `to_json` writes exactly
what the journal's encoder wrote for that object before payloads were typed (sorted keys,
compact, non-ASCII as is; a merge's reference spliced in last), and `from_json(to_json(x)) == x`.
Unreadable input (not JSON, not an object, a value of the wrong type) never raises.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golive.progress.events import Kind
from golive.progress.payloads import (
    PAYLOADS,
    Checked,
    Loaded,
    MergedFrom,
    MergeRecord,
    Note,
    Overridden,
    Payload,
    Value,
    read_payload,
)

# the encoder journal.append used before payloads were typed
MAINS_ENCODING = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def of_type(annotation: Any) -> st.SearchStrategy[Any]:
    """JSON values of a field's declared type."""
    if isinstance(annotation, type) and issubclass(annotation, Value):
        return objects(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(of_type(a) for a in args))
    if origin is list:
        return st.lists(of_type(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), of_type(args[1]), max_size=3)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(), int: st.integers(), bool: st.booleans(), float: st.floats(allow_nan=False),
        type(None): st.none(), Any: json_values,
    }  # fmt: skip
    return simple[annotation]


@functools.cache
def objects(cls: type[Value], *, reference: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects `cls` reads: any of its keys, and some it does not know."""
    known = {f.alias or name: f.annotation for name, f in cls.model_fields.items() if name != "merged_from"}
    fields = st.fixed_dictionaries({}, optional={key: of_type(t) for key, t in known.items()})
    unknown = st.dictionaries(
        st.text(max_size=8).filter(lambda k: k not in known and k != "merged_from"), json_values, max_size=3
    )
    made = st.builds(lambda a, b: {**b, **a}, fields, unknown)
    if not reference:
        return made
    # a reference as merge splices it in: these keys, in this order
    spliced = st.builds(
        lambda run, seq, prev, hash_, holders: {"run": run, "seq": seq, "prev_hash": prev, "hash": hash_, "in": holders},
        st.text(), st.integers(), st.text(), st.text(), st.lists(st.integers()),
    )  # fmt: skip
    return st.builds(lambda body, ref: {**body, "merged_from": ref}, made, st.none() | spliced)


@pytest.mark.parametrize("kind", list(Kind))
@given(data=st.data())
def test_every_payload_type_writes_what_the_journal_held_and_reads_it_back(kind: Kind, data: st.DataObject) -> None:
    cls = PAYLOADS[kind]
    raw = data.draw(objects(cls, reference=True), label=cls.__name__)
    ref = raw.get("merged_from")
    body = {k: v for k, v in raw.items() if k != "merged_from"}
    if ref is None:
        expected = MAINS_ENCODING(raw)
    else:  # as a merge splices a laptop's payload: its text, then the reference (keys as merge writes them)
        reference = json.dumps(ref, separators=(",", ":"), ensure_ascii=False)
        expected = MAINS_ENCODING(body)[:-1] + ("," if body else "") + '"merged_from":' + reference + "}"
    x = cls.read(json.loads(expected))
    assert x.to_json() == expected
    assert cls.from_json(x.to_json()) == x
    assert read_payload(kind, expected) == x


@pytest.mark.parametrize("cls", [t for t in Value.__subclasses__() if not issubclass(t, Payload)])
@given(data=st.data())
def test_every_part_reads_back_what_it_writes(cls: type[Value], data: st.DataObject) -> None:
    raw = data.draw(objects(cls))
    x = cls.read(raw)
    assert x.to_dict() == raw
    assert cls.read(json.loads(json.dumps(x.to_dict()))) == x


@given(junk=st.one_of(st.text(), st.binary(), json_values.map(json.dumps), st.none(), st.integers()))
def test_any_text_reads_as_some_payload_of_every_kind(junk: Any) -> None:
    for cls in PAYLOADS.values():
        cls.from_json(junk)


def test_a_value_of_the_wrong_type_reads_as_the_default_and_the_rest_is_kept() -> None:
    x = Checked.from_json('{"check":"t#1","status":5,"lab":"yes","ports":{"Gi1":{"status":"pass"}},"retries":2}')
    assert (x.check, x.status, x.lab, x.model_extra) == ("t#1", "error", False, {"retries": 2})
    assert x.ports["Gi1"].status == "pass"
    assert Loaded.from_json('{"merge":{"sources":[{"n":"one"}]},"run":"r"}') == Loaded(run="r")
    assert Note.from_json("[1]") == Note.from_json("not json") == Note.from_json(None) == Note()


def test_writers_build_what_main_wrote() -> None:
    """Spelled out for the two payloads with parts: the keys main's writers put, in its bytes."""
    override = Overridden(reason="spare jack", approver={"name": "Lee Chan", "initials": "LC", "role": "lead"})
    assert override.to_json() == '{"approver":{"initials":"LC","name":"Lee Chan","role":"lead"},"reason":"spare jack"}'
    record = MergeRecord(sources=[{"n": 1, "file": "a.db", "run": "r", "name": "x", "events": 3, "head": "h"}],
                         events_read=3, events=3, clock_tolerance_s=120.0, conflicts=[])  # fmt: skip
    loaded = Loaded(
        runbook="rb", version="4", sha256="s", file="rb.yaml", mode="live", run="rb-live-merged", merge=record
    )
    assert loaded.to_json() == (
        '{"file":"rb.yaml","merge":{"clock_tolerance_s":120.0,"conflicts":[],"events":3,"events_read":3,'
        '"sources":[{"events":3,"file":"a.db","head":"h","n":1,"name":"x","run":"r"}]},"mode":"live",'
        '"run":"rb-live-merged","runbook":"rb","sha256":"s","version":"4"}'
    )
    ref = MergedFrom.model_validate({"run": "r", "seq": 2, "prev_hash": "p", "hash": "h", "in": [1, 3]})
    assert (
        ref.spliced('{"text":"x é"}')
        == '{"text":"x é","merged_from":{"run":"r","seq":2,"prev_hash":"p","hash":"h","in":[1,3]}}'
    )
    wrapped = ref.model_copy(update={"payload": "[1]"}).spliced("{}")
    assert wrapped == MAINS_ENCODING(
        {"merged_from": {"run": "r", "seq": 2, "prev_hash": "p", "hash": "h", "in": [1, 3], "payload": "[1]"}}
    )


def test_the_registry_holds_one_type_per_kind() -> None:
    assert set(PAYLOADS) == set(Kind)
    assert len(set(PAYLOADS.values())) == len(Kind)
    assert all(t.KIND is kind for kind, t in PAYLOADS.items())
