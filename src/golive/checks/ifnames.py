"""Interface-name keys for the check engine: golive.runbook.ifnames, where validation uses them too."""

from __future__ import annotations

from golive.runbook.ifnames import canonical, same_port

__all__ = ["canonical", "same_port"]
