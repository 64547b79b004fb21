"""Credential references: a runbook says where a secret lives, never what it is.

`env:NAME` reads an environment variable, `keyring:NAME` the OS keyring, `prompt` asks the
technician once per session. Anything else in a credentials field is treated as a pasted secret
and refused, with a message that never repeats the secret back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ENV = re.compile(r"^env:([A-Za-z_][A-Za-z0-9_]*)$", re.ASCII)
_KEYRING = re.compile(r"^keyring:([A-Za-z0-9][A-Za-z0-9._@/+-]*)$", re.ASCII)
HOWTO = "use a reference: env:NAME, keyring:NAME or prompt"

# keys whose values are secrets by their name; found inline they are refused
SECRET_KEYS = frozenset(
    {
        "password", "passwd", "pass", "secret", "enable_secret", "enable_password", "community",
        "auth_key", "authkey", "auth_password", "priv_key", "privkey", "priv_password",
        "passphrase", "token", "api_key", "apikey", "private_key",
    }
)  # fmt: skip


@dataclass(frozen=True)
class CredentialRef:
    """A parsed reference: where to find a secret at run time."""

    source: Literal["env", "keyring", "prompt"]
    name: str = ""

    def __str__(self) -> str:
        return self.source if self.source == "prompt" else f"{self.source}:{self.name}"


def is_reference(value: object) -> bool:
    """True when `value` is a well-formed credential reference."""
    return isinstance(value, str) and (
        value == "prompt" or bool(_ENV.fullmatch(value)) or bool(_KEYRING.fullmatch(value))
    )


def parse_reference(value: object) -> CredentialRef:
    """The reference in `value`, or ValueError whose text never contains `value` itself."""
    if not isinstance(value, str):
        raise ValueError(f"credentials must be a reference, not a {type(value).__name__}: {HOWTO}")
    if value == "prompt":
        return CredentialRef("prompt")
    if m := _ENV.fullmatch(value):
        return CredentialRef("env", m[1])
    if m := _KEYRING.fullmatch(value):
        return CredentialRef("keyring", m[1])
    if value.startswith(("env:", "keyring:")):
        kind = value.split(":", 1)[0]
        raise ValueError(f"malformed {kind}: reference: {HOWTO}")
    raise ValueError(f"this looks like a secret written inline: {HOWTO}")
