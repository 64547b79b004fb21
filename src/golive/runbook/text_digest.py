"""The SHA-256 golive keys a runbook text by: the UTF-8 bytes of the file without a leading BOM.

`golive load` stores each runbook version under this digest (golive.runbook.load); a run names
the version it holds by it, and `golive verify` checks each stored text still hashes to it.
"""

from __future__ import annotations

import hashlib

BOM = "\ufeff"
MAX_BYTES = 20 * 1024 * 1024  # the largest runbook file golive reads


def text_digest(text: str) -> str:
    """The digest of a runbook text as read (its BOM already removed)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
