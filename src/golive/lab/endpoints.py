"""A running lab's lab.json: where its simulated devices listen (golive.checks.endpoints), and the lab itself.

`golive lab` writes this as `lab.json` in its directory and registers it per runbook id, so that
`golive check`, `golive run` and rehearsals find the lab and talk to it instead of the runbook's
real addresses. The secrets here are random, generated per lab, and good for nothing but the lab;
the file is created mode 0600 all the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from golive.checks.endpoints import LabEndpoints


class LabInfo(LabEndpoints):
    runbook_id: str
    runbook_sha256: str
    pid: int  # the process that runs the lab; a dead pid means a stale file
    directory: str  # the lab's working directory (world.json, known_hosts, agent data)
    world: str  # path of world.json

    def write(self, path: Path) -> None:
        fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.model_dump_json(indent=1))
        os.replace(path.with_suffix(".tmp"), path)

    @classmethod
    def read(cls, path: Path) -> LabInfo:
        return cls.model_validate_json(path.read_bytes())
