"""Rebuild a stored runbook without re-running its validators, when golive has validated those exact bytes.

Reopening a run read the stored runbook back with `Runbook.model_validate_json`, which re-runs
every Python validator (ids, hosts, port ranges, expectations): 1.5 s for 5,000 tasks, on JSON
that golive wrote itself from a runbook it had just validated. Validation is a pure function of
the JSON text and of the schema's code, so its result can be remembered by their SHA-256: when
golive validates a stored form, it notes the digest in a per-user file; when it meets a stored
form whose digest is noted, it builds the same models directly (`rebuild`), field by field, as
`model_construct` would, with the few conversions the JSON form needs (durations, datetimes).

A stored form whose digest is not noted (edited in the database, made by another golive, or on
another machine) is validated in full as before, so a tampered runbook is still refused. Nothing
here unpickles anything: the input is JSON, the output is the schema's own classes.
"""

from __future__ import annotations

import copy
import functools
import gc
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, PlainSerializer, TypeAdapter, WrapSerializer
from pydantic.fields import FieldInfo
from pydantic_core import from_json

from golive.problems import GoliveError
from golive.runbook.outline import remember
from golive.runbook.schema import Runbook
from golive.runbook.validated import form_digest, note_validated, schema_fingerprint, validated

__all__ = [
    "CannotRebuild",
    "form_digest",
    "note_validated",
    "read_stored",
    "rebuild",
    "schema_fingerprint",
    "validated",
]

Build = Callable[[Any], Any]
M = TypeVar("M", bound=BaseModel)
_MISSING = object()
_CONSTANT = (type(None), bool, int, float, str, tuple, frozenset)


class CannotRebuild(ValueError):
    """The JSON does not have the shape the schema's dump has: validate it in full instead."""


def read_stored(normalized: str, address: str) -> Runbook:
    """The stored form of runbook version `address` as the Runbook it holds: rebuilt when golive has
    validated these exact bytes under this schema before, else validated in full, then noted."""
    digest = form_digest(normalized)
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of objects and no garbage: the collector would only walk them
    try:
        if validated(digest):
            try:
                rebuilt = rebuild(Runbook, from_json(normalized))
            except (CannotRebuild, TypeError, ValueError):
                pass  # not the shape golive writes (or a type this cannot rebuild): validate it in full below
            else:
                remember(normalized, digest)  # the TUI's next first frame reads the outline (if it was gone)
                return rebuilt
        runbook = Runbook.model_validate_json(normalized)
    except ValueError:
        raise GoliveError(
            f"runbook version {address[:12]} in the database no longer reads as a runbook (edited?): "
            "`golive verify` says more"
        ) from None
    finally:
        if was_enabled:
            gc.enable()
    note_validated(digest)
    remember(normalized, digest)
    return runbook


# -- building models from their own dump --------------------------------------------------------------


def rebuild(cls: type[M], data: Any) -> M:
    """`cls` from `data` (the JSON-decoded `model_dump_json(by_alias=True, exclude_unset=True)` of
    a valid instance), with the fields set that were set; CannotRebuild on any other shape."""
    built = _model_builder(cls)(data)
    assert isinstance(built, cls)
    return built


def _passthrough(value: Any) -> Any:
    return value


def _to_float(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CannotRebuild(f"expected a number, got {value!r}")
    return float(value)


def _leaf(annotation: Any) -> Build:
    """A value whose JSON form differs from its Python form: run its (cheap, leaf) validation."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    seen: dict[tuple[type, Any], Any] = {}  # the same "45m" again and again: results are immutable values

    def build(value: Any) -> Any:
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a leaf's JSON form
            raise CannotRebuild(f"unexpected {value!r:.80}") from None
        try:
            result = adapter.validate_python(value)
        except ValueError as exc:
            raise CannotRebuild(str(exc)) from None
        if isinstance(result, (*_CONSTANT, datetime)):
            seen[key] = result
        return result

    return build


def _json_native(tp: Any) -> bool:
    if tp in (str, int, bool, object, type(None)):
        return True
    origin = get_origin(tp)
    if origin is Literal:
        return True
    if origin is list:
        return all(_json_native(a) for a in get_args(tp))
    if origin is typing.Annotated:
        inner, *meta = get_args(tp)
        return not any(isinstance(m, PlainSerializer | WrapSerializer) for m in meta) and _json_native(inner)
    if origin in (typing.Union, types.UnionType):
        return all(_json_native(a) for a in get_args(tp))
    return False


def _builder(tp: Any) -> Build:
    """How to turn the JSON form of a value of type `tp` into the value; TypeError if unsupported."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        inner, *meta = get_args(tp)
        if any(isinstance(m, PlainSerializer | WrapSerializer) for m in meta):
            return _leaf(tp)  # serialized differently from how it is held (a Duration: "45m" -> 2700)
        discriminator = next((m.discriminator for m in meta if isinstance(m, FieldInfo) and m.discriminator), None)
        if discriminator is not None:
            return _tagged(inner, str(discriminator))
        return _builder(inner)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model_builder(tp)
    if isinstance(tp, type) and (issubclass(tp, datetime) or hasattr(tp, "__get_pydantic_core_schema__")):
        return _leaf(tp)  # datetimes, and pydantic's own types (AwareDatetime)
    if tp is float:
        return _to_float
    if _json_native(tp):
        return _passthrough
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        if len(members) == 1:
            one = _builder(members[0])
            return lambda value: None if value is None else one(value)
    if origin is list:
        (item,) = get_args(tp)
        each = _builder(item)

        def build_list(value: Any) -> Any:
            if not isinstance(value, list):
                raise CannotRebuild(f"expected a list, got {type(value).__name__}")
            return [each(v) for v in value]

        return build_list
    if origin is dict:
        key, item = get_args(tp)
        if not _json_native(key):
            raise TypeError(f"cannot rebuild dict keys of {key!r}")
        each = _builder(item)

        def build_dict(value: Any) -> Any:
            if not isinstance(value, dict):
                raise CannotRebuild(f"expected a mapping, got {type(value).__name__}")
            return {k: each(v) for k, v in value.items()}

        return build_dict
    raise TypeError(f"cannot rebuild a value of type {tp!r}")


def _factory(info: FieldInfo) -> Callable[[], Any]:
    """A field's default, made afresh each time as pydantic does (a copy, or the factory's value)."""
    factory = info.default_factory
    if factory is None:
        default = info.default
        return lambda: copy.deepcopy(default)
    if info.default_factory_takes_validated_data:
        raise TypeError(f"cannot rebuild {info!r}: its default needs the other fields")
    return factory  # type: ignore[return-value]


def _tagged(union: Any, tag: str) -> Build:
    """A discriminated union of models: the member is the one whose Literal tag the data names."""
    by_tag: dict[Any, Build] = {}
    for member in get_args(union):
        annotation = member.model_fields[tag].annotation
        if get_origin(annotation) is not Literal:
            raise TypeError(f"{member.__name__}.{tag} is not a Literal")
        for value in get_args(annotation):
            by_tag[value] = _model_builder(member)

    def build(value: Any) -> Any:
        try:
            return by_tag[value[tag]](value)
        except (KeyError, TypeError):
            raise CannotRebuild(f"no member of {union!r} for {value!r:.80}") from None

    return build


@functools.cache
def _model_builder(cls: type[BaseModel]) -> Build:
    new = cls.__new__
    setattr_ = object.__setattr__
    # made on first use, as models refer to themselves (Expectation.not_)
    plan: dict[str, tuple[str, Build | None]] = {}  # key in the dump -> field name, builder (None: as is)
    template: dict[str, Any] = {}  # every field in order, at its default when that is a constant
    factories: list[tuple[str, Callable[[], Any]]] = []

    def make_plan() -> None:
        for name, info in cls.model_fields.items():
            key = info.serialization_alias or info.alias or name
            annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            if info.discriminator is not None:
                annotation = typing.Annotated[annotation, FieldInfo(discriminator=info.discriminator)]
            make = _builder(annotation)
            plan[key] = (name, None if make is _passthrough else make)
            if info.default_factory is None and isinstance(info.default, _CONSTANT):
                template[name] = info.default
            else:
                template[name] = _MISSING
                factories.append((name, _factory(info)))

    def build(data: Any) -> Any:
        if not plan:
            try:
                make_plan()
            except TypeError:  # a schema this cannot rebuild: leave nothing half made
                for part in (plan, template, factories):
                    part.clear()
                raise
        if not isinstance(data, dict):
            raise CannotRebuild(f"{cls.__name__}: expected a mapping")
        values = template.copy()
        fields_set: set[str] = set()
        for key, value in data.items():
            try:
                name, make = plan[key]
            except KeyError:
                raise CannotRebuild(f"{cls.__name__}: unknown key {key!r}") from None
            values[name] = value if make is None else make(value)
            fields_set.add(name)
        for name, factory in factories:
            if name not in fields_set:
                values[name] = factory()
        obj = new(cls)
        setattr_(obj, "__dict__", values)
        setattr_(obj, "__pydantic_fields_set__", fields_set)
        setattr_(obj, "__pydantic_extra__", None)
        setattr_(obj, "__pydantic_private__", None)
        return obj

    return build
