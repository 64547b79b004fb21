"""Start a rollback plan: which plan and why; the plan's steps are shown before it is journaled.

Starting a rollback is a decision the journal must show with its reason; the steps themselves
then follow in the runbook's order.
"""

from __future__ import annotations

from collections.abc import Callable

from golive.runbook.durations import format_duration
from golive.runbook.schema import RollbackPlan
from golive.tui.screens.action_form import ActionForm, FormField


class RollbackScreen(ActionForm):
    def __init__(
        self, plans: dict[str, RollbackPlan], suggested: str | None, start: Callable[[str, str], str | None]
    ) -> None:
        self.start = start
        options = [(f"{pid}: {plan.title}"[:44], pid) for pid, plan in plans.items()]
        steps = []
        for pid, plan in plans.items():
            listed = "; ".join(f"{n}. {s.title} ({format_duration(s.duration)})" for n, s in enumerate(plan.steps, 1))
            steps.append(f"{pid}: {listed}")
        super().__init__(
            "Start a rollback",
            [
                FormField("plan", "Plan", suggested or (next(iter(plans)) if plans else ""), options=options),
                FormField("reason", "Why (journaled)", "", "e.g. new stack failed POST"),
            ],
            lambda v: self.start(v["plan"], v["reason"].strip()),
            about="\n".join(steps) or "This runbook has no rollback plan.",
            save="Start rollback",
        )
