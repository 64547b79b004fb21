"""What a check expects of an observed value: operators written in the runbook, no I/O.

`status: up` is shorthand for `status: {equals: up}`. `equals` is a full match, never a
substring (Vlan5 never matches Vlan5554); `regex` must match the whole value. Several operators
in one mapping must all hold. `delta` compares against a baseline taken earlier in the run.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from golive.problems import describe

SCALAR_SCHEMA: dict[str, Any] = {"type": ["string", "number", "integer", "boolean"]}


def _scalar(value: object) -> object:
    if isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"expected a text, number or true/false value, got {describe(value)}")


def _number(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e18:
        return value
    raise ValueError(f"expected a number, got {describe(value)}")


def _regex(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a regular expression as text, got {describe(value)}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return value


def _range(value: object) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise ValueError("range takes two numbers, low and high, like [1, 10]")
    if value[0] > value[1]:
        raise ValueError(f"range runs backwards: {value[0]} > {value[1]}")
    try:
        low, high = float(value[0]), float(value[1])
    except OverflowError:
        raise ValueError("range bounds are too large") from None
    return [low, high]


Scalar = Annotated[object, BeforeValidator(_scalar), WithJsonSchema(SCALAR_SCHEMA)]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Regex = Annotated[str, BeforeValidator(_regex)]
Range = Annotated[
    list[float],
    BeforeValidator(_range),
    WithJsonSchema({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}),
]

OPERATORS = ("equals", "in", "regex", "matches", "range", "gt", "ge", "lt", "le", "contains", "not", "delta")


def _scalar_or_operators(schema: dict[str, Any]) -> None:
    """In the JSON Schema, as in the validator, a bare value means {equals: value}."""
    operators = dict(schema)
    schema.clear()
    schema["anyOf"] = [SCALAR_SCHEMA, operators]
    properties = operators.get("properties", {})
    if "regex" in properties:
        properties["matches"] = {**properties["regex"], "description": "the same as regex"}


MAX_NESTING = 8


def _depth(data: Any) -> int:
    inner = [data.get(k) for k in ("not", "delta")] if isinstance(data, dict) else []
    return 1 + max((_depth(i) for i in inner if isinstance(i, dict)), default=0)


class Expectation(BaseModel):
    """One or more operators that must all hold for an observed value."""

    # defer_build: the models that hold an Expectation build its schema in their own, so its `after`
    # validator runs once per instance (a prebuilt recursive model's ran twice: pydantic issue #13581)
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, json_schema_extra=_scalar_or_operators, defer_build=True
    )

    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    regex: Regex | None = Field(default=None, validation_alias=AliasChoices("regex", "matches"))
    range: Range | None = None
    gt: Number | None = None
    ge: Number | None = None
    lt: Number | None = None
    le: Number | None = None
    contains: Scalar | None = None
    not_: Expectation | None = Field(default=None, alias="not")
    delta: Expectation | None = None
    baseline: str | None = Field(
        default=None, description="id of the check whose earlier result is the baseline for delta"
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if ("not" in data or "delta" in data) and _depth(data) > MAX_NESTING:
                raise ValueError(f"expectations nest too deeply (more than {MAX_NESTING} levels of not/delta)")
            if "regex" in data and "matches" in data:
                raise ValueError("give regex or matches, not both")
            return data
        if isinstance(data, str | int | float | bool):
            return {"equals": data}
        if isinstance(data, list):
            raise ValueError("a list is ambiguous here: write {in: [...]} or {contains: ...}")
        raise ValueError(f"expected a value or operators like {{equals: ...}}, got {describe(data)}")

    @model_validator(mode="after")
    def _not_empty(self) -> Expectation:
        given = self.model_fields_set
        if not given or given == {"baseline"}:
            raise ValueError(f"no operator given: use one of {', '.join(OPERATORS)}")
        if self.baseline is not None and self.delta is None:
            raise ValueError("baseline only makes sense with delta")
        return self
