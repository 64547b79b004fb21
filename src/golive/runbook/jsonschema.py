"""The runbook's JSON Schema, for editors (yaml-language-server) and for `golive schema`.

Sample runbooks point at `schema/runbook.schema.json` with a modeline; a test keeps that file
identical to what this module prints.
"""

from __future__ import annotations

import json
from typing import Any

from golive.runbook.schema import Runbook

SCHEMA_ID = "https://golive.invalid/schema/runbook.schema.json"


def _portmap(schema: dict[str, Any]) -> None:
    """`portmap:` as an author writes it: a CSV's name or a list of jacks (the loader turns either
    into the PortMap model, whose own shape is golive's stored form, not the author's)."""
    prop = schema["properties"]["portmap"]
    schema["$defs"].pop("PortMap", None)
    schema["$defs"]["Jack"]["properties"].pop("line", None)  # golive's note of the CSV line, not an input
    schema["properties"]["portmap"] = {
        "anyOf": [
            {"type": "string", "description": "a CSV file, relative to the runbook", "examples": ["rooms.csv"]},
            {"type": "array", "items": {"$ref": "#/$defs/Jack"}, "minItems": 1},
            {"type": "null"},
        ],
        "default": None,
        "description": prop.get("description", ""),
    }


def runbook_schema() -> dict[str, Any]:
    schema = Runbook.model_json_schema(by_alias=True, mode="validation")
    _portmap(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "golive runbook"
    schema["description"] = "A cutover or go-live runbook for golive. Credentials are references only."
    return schema


def schema_text() -> str:
    return json.dumps(runbook_schema(), indent=2, sort_keys=True) + "\n"
