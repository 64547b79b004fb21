"""Problems found in user input, as values that print as one `file:line:col: message` line.

Every user mistake (a bad runbook, a tampered log, an unknown run) ends up as a Problem, so the
CLI can print all of them at once and exit 1 without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split("\n"))
        if self.line <= 0:
            return f"{self.file}: {message}"
        return f"{self.file}:{self.line}:{self.col}: {message}"


class GoliveError(Exception):
    """A user-facing failure: its text is one clear line, never a traceback.

    `exit_code` follows the CLI's contract: 1 for a bad runbook, log or check; 2 for usage.
    """

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class OutsideWindow(GoliveError):
    """A live run would start outside its change window: only with the operator's confirmation."""

    exit_code = 2


class ProblemsFound(GoliveError):
    """Raised when an input has one or more problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else "no problems"
        super().__init__(str(first))


def describe(value: object) -> str:
    """A value as a message shows it: its shape for containers, short repr otherwise."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**24:
        return "a number too large"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
