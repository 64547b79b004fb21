"""The published JSON Schema accepts what the validator accepts, so editors never show false errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from golive.runbook.source import read_yaml

from ..conftest import VALID

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schema" / "runbook.schema.json").read_text(encoding="utf-8"))
SAMPLES = sorted((REPO / "runbooks").glob("*.yaml"))


def editor_errors(text: str) -> list[str]:
    located, problems = read_yaml(text, "x.yaml")
    assert located is not None and not problems
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(located.data)]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_each_sample_passes_the_published_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/runbook.schema.json\n")
    assert editor_errors(text) == []


def test_the_base_runbook_passes_and_a_typo_fails_the_schema() -> None:
    assert editor_errors(VALID) == []
    assert editor_errors(VALID.replace("after: [uplink]", "dependson: [uplink]")) != []
