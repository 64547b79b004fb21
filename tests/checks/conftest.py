"""A lab running the matrix runbook, shared by the engine tests of one worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.lab.lab import Lab
from golive.runbook.load import parse_runbook

from .matrix_runbook import MATRIX


@pytest.fixture(scope="module")
def matrix_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    loaded = parse_runbook(MATRIX, "matrix.yaml")
    with Lab(loaded.runbook, loaded.sha256, directory=Path(tmp_path_factory.mktemp("lab")), register=False) as lab:
        yield lab
