"""Ask for a credential the runbook says to prompt for; it stays in memory, never on disk."""

from __future__ import annotations

from golive.tui.screens.action_form import ActionForm, FormField


class SecretScreen(ActionForm):
    def __init__(self, what: str) -> None:
        self.secret = ""
        super().__init__(
            f"Credential needed: {what}",
            [FormField("secret", "Password (kept in memory for this session only)", password=True)],
            self._keep,
            save="Use",
        )

    def _keep(self, values: dict[str, str]) -> str | None:
        self.secret = values["secret"]
        return None if self.secret else "empty: press escape to skip this device"
