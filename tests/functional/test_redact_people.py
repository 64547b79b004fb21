"""`--redact-people` through the CLI: every journaled person's names go, first names included, in
free text of every format, and ordinary words that happen to be a name's lower case stay."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .test_cli import golive


def test_first_and_last_names_are_redacted_in_free_text(runbook_file: Path, tmp_path: Path) -> None:
    ana = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_INITIALS": "AR",
           "GOLIVE_ROLE": "net"}  # fmt: skip
    will = {**ana, "GOLIVE_NAME": "Will Park", "GOLIVE_INITIALS": "WP", "GOLIVE_ROLE": "lead"}
    for env, args in (
        (ana, ("load", str(runbook_file))), (ana, ("start", "uplink", "--outside-window")),
        (ana, ("note", "Will said the closet is locked; we will wait", "--task", "uplink")),
        (will, ("note", "told Ana to call facilities; RUIZ has the key; ana's laptop is charging")),
        (ana, ("skip", "uplink", "-m", "Park checked it yesterday")),
    ):  # fmt: skip
        assert golive(*args, env=env).returncode == 0, args
    texts = {}
    for fmt in ("md", "html", "csv", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        done = golive("export", "-f", fmt, "-o", str(out), "--redact-people", env=ana)
        assert done.returncode == 0, done.stderr
        if fmt == "xlsx":
            with zipfile.ZipFile(out) as z:
                texts[fmt] = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        elif fmt == "csv":
            texts[fmt] = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("r*.csv"))
        else:
            texts[fmt] = out.read_text(encoding="utf-8")
    for fmt, text in texts.items():
        left = re.findall(r".{0,30}\b(?:Ana|Ruiz|RUIZ|Will|Park)\b", text)
        assert not left, (fmt, left)
        assert "WP said the closet is locked; we will wait" in text, fmt  # "will" the verb stays
        assert "told AR to call facilities; AR has the key" in text, fmt
        assert "WP checked it yesterday" in text, fmt
