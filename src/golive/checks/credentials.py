"""Secrets resolved from their references, held in memory for the session and nowhere else.

`env:NAME` reads the environment, `keyring:NAME` the OS keyring, `prompt` asks once (through a
callback the face provides: a masked prompt on the CLI, a modal in the TUI). Errors name the
reference, never the secret; nothing here writes anything anywhere.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from golive.runbook.references import parse_reference

KEYRING_SERVICE = "golive"


class CredentialError(Exception):
    """A reference could not be resolved; the message names the reference only."""


class Credentials:
    def __init__(self, prompt: Callable[[str], str] | None = None) -> None:
        self._prompt = prompt
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def resolve(self, reference: str, purpose: str) -> str:
        """The secret behind `reference` (e.g. `env:IDF_PASS`); `purpose` says what for, in a prompt."""
        ref = parse_reference(reference)
        key = f"{ref}|{purpose}" if ref.source == "prompt" else str(ref)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            secret = self._lookup(ref.source, ref.name, purpose)
            self._cache[key] = secret
            return secret

    def _lookup(self, source: str, name: str, purpose: str) -> str:
        if source == "env":
            value = os.environ.get(name)
            if not value:
                raise CredentialError(f"environment variable {name} is not set (needed for {purpose})")
            return value
        if source == "keyring":
            try:
                import keyring
                from keyring.errors import KeyringError
            except ImportError:  # pragma: no cover - keyring is a dependency
                raise CredentialError("the keyring library is not installed") from None
            try:
                value = keyring.get_password(KEYRING_SERVICE, name)
            except KeyringError as exc:
                raise CredentialError(f"keyring:{name}: the OS keyring is unavailable ({type(exc).__name__})") from None
            if not value:
                raise CredentialError(f"keyring:{name} has no entry under service {KEYRING_SERVICE!r} ({purpose})")
            return value
        if self._prompt is None:
            raise CredentialError(f"{purpose} needs a password typed in (prompt), and nobody can be asked here")
        value = self._prompt(purpose)
        if not value:
            raise CredentialError(f"no password given for {purpose}")
        return value

    def forget(self) -> None:
        with self._lock:
            self._cache.clear()
