"""`--redact-people`: every person's name becomes their initials, wherever an export shows it.

The names are the ones the journal itself knows: each event's actor and each override's approver.
They are replaced in the actor columns, in payload fields (an approver's `name`), and inside free
text (comments, reasons, notes, evidence): a full name where it appears as words, case-insensitively;
then each word of a name on its own ("Lee called facilities", "ask RUIZ"), as the name writes it,
capitalised or in capitals (so a person called Will does not take every "will" of a note). A word
two people's names share becomes `[name]`: which of them it meant cannot be told. Machine ids
lose their host name (often a person's laptop name) and keep their random part; a runbook file
path in a `loaded` event keeps only its file name (a home directory names its user).

The redaction is for display only: the progress model folds the original events, so two people
with the same initials still count as two for a sign-off rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from golive.progress.payloads import Overridden, Payload, encode

P = TypeVar("P", bound=Payload)


def initials_of(name: str, initials: str = "") -> str:
    """The initials given, else the first letter of each word of the name (as golive derives them)."""
    given = initials.strip()
    if given:
        return given
    return "".join(part[0] for part in name.split() if part).upper()[:4] or "?"


class People:
    """Shows names as they are, or as initials when `redact` is set."""

    def __init__(self, redact: bool, rows: Iterable[Mapping[str, Any]] = ()) -> None:
        self.redact = redact
        self._initials: dict[str, str] = {}
        self._words: dict[str, str] = {}  # a word of a name, as it may be written -> initials ('[name]': shared)
        self._pattern: re.Pattern[str] | None = None
        self._word_pattern: re.Pattern[str] | None = None
        if redact:
            for row in rows:
                self._learn(str(row.get("actor_name") or ""), str(row.get("actor_initials") or ""))
                if row.get("kind") == "overridden":
                    approver = Overridden.from_json(row.get("payload")).approver
                    self._learn(approver.name, approver.initials)
            names = sorted(self._initials, key=len, reverse=True)
            if names:
                alternatives = "|".join(r"\s+".join(re.escape(part) for part in n.split()) for n in names)
                self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            words = sorted(self._words, key=len, reverse=True)
            if words:
                self._word_pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)")

    def _learn(self, name: str, initials: str) -> None:
        key = " ".join(name.split())
        if not key:
            return
        marks = self._initials.setdefault(key.casefold(), initials_of(key, initials))
        for word in key.split():
            if len(word) < 2 or word.casefold() == marks.casefold():
                continue
            for form in {word, word[:1].upper() + word[1:], word.upper()}:
                known = self._words.setdefault(form, marks)
                if known != marks:
                    self._words[form] = "[name]"

    def name(self, name: str, initials: str = "") -> str:
        """A person as a cell shows them: `Ana Ruiz (AR)`, or `AR` when redacted."""
        if self.redact:
            return initials_of(name, initials)
        return f"{name} ({initials})" if initials and initials != name else name

    def bare_name(self, name: str, initials: str = "") -> str:
        """The name column of a journal row: the name, or the initials when redacted."""
        return initials_of(name, initials) if self.redact else name

    def text(self, text: str) -> str:
        """Free text with every known full name replaced by its initials (when redacting)."""
        if self._pattern is None or not text:
            return text
        text = self._pattern.sub(lambda m: self._initials.get(" ".join(m.group(0).split()).casefold(), "?"), text)
        if self._word_pattern is not None:
            text = self._word_pattern.sub(lambda m: self._words.get(m.group(0), "?"), text)
        return text

    def machine(self, machine: str) -> str:
        """`host/1a2b3c4d` -> `*/1a2b3c4d` when redacting: a laptop's host name often names its user."""
        if not self.redact:
            return machine
        _host, sep, ident = machine.rpartition("/")
        return f"*/{ident}" if sep else "*"

    def payload(self, payload: P) -> P:
        """A payload with names redacted (a copy; the input is not changed)."""
        if not self.redact:
            return payload
        return type(payload).read(self._walk(payload.to_dict(), payload.KIND, ""))

    def payload_text(self, kind: str, text: str) -> str:
        """The stored payload JSON, redacted and re-encoded (unchanged when not redacting)."""
        if not self.redact:
            return text
        try:
            parsed = json.loads(text)
        except ValueError:
            return self.text(text)
        walked = self._walk(parsed, kind, "")
        return encode(walked) if isinstance(walked, dict) else json.dumps(walked, ensure_ascii=False)

    def _walk(self, value: Any, kind: str, key: str) -> Any:
        if isinstance(value, dict):
            if key == "approver" and "name" in value:
                value = {**value, "name": initials_of(str(value.get("name") or ""), str(value.get("initials") or ""))}
            return {k: self._walk(v, kind, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, kind, key) for v in value]
        if isinstance(value, str):
            if key == "file" and kind in ("loaded", "upgraded"):
                return value.replace("\\", "/").rsplit("/", 1)[-1]
            return self.text(value)
        return value
