"""The journal's event schema: one frozen payload type per event kind, and the one registry of them.

A journal row keeps its payload as JSON text, and the hash chain covers that text, so what golive
writes must stay byte for byte what it has always written: `to_json` writes the keys a payload
holds, sorted, compact, non-ASCII as it is (a merge's `merged_from` reference spliced in last, as
merge has always written it). `from_json` reads every payload golive has ever written and never
fails on what it did not write:

- a key this golive does not know (a newer golive's, a future merge's) is kept as read and written
  back in its place, so the payload re-serialises to the same bytes; a key absent stays absent;
- a value of the wrong type, or text that is not a JSON object (a row edited behind golive's back:
  its chain says so), reads as the field's default.

Unknown keys are kept in the value rather than the raw text beside it: readers need the fields,
the store keeps each row's text anyway (what the chain hashes and the jsonl export copies), and a
payload golive builds is written the same way as one it read. The types are pydantic models (the
library golive's runbook already rests on): frozen, strict (a string is never an int), extra keys
allowed. Pure: no SQL, no UI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import Any, ClassVar, Final, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from golive.progress.events import Kind

MERGED_FROM: Final = "merged_from"
_REF_KEY: Final = f'"{MERGED_FROM}":'
# what the journal has always written: sorted keys, no spaces, non-ASCII as is, str() for anything else
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
_IN_ORDER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


def encode(value: Mapping[str, Any]) -> str:
    """A payload's JSON as the journal stores it."""
    return _ENCODER.encode(value)


class Value(BaseModel):
    """A payload or a part of one: frozen, strict, keeping every key it does not know."""

    model_config = ConfigDict(frozen=True, strict=True, extra="allow")

    def to_dict(self) -> dict[str, Any]:
        """The keys this value holds (given when made, or present when read; unknown ones too), as JSON values."""
        return self.model_dump(by_alias=True, exclude_unset=True)

    @classmethod
    def read(cls, data: object) -> Self:
        """`data` (parsed JSON) as this type: never fails (see the module doc)."""
        if not isinstance(data, dict):
            return cls()
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
        try:
            return cls.model_validate({k: v for k, v in data.items() if k not in bad})
        except ValidationError:
            return cls()


class MergedFrom(Value):
    """Where a merged run's event came from: the source run's UUID, its sequence number, previous hash
    and hash there, and the sources (numbered from 1) that held it. `payload` is the original text when
    that was not one JSON object (then the reference is all the merged payload holds)."""

    run: str = ""
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""
    holders: list[int] = Field(default_factory=list, alias="in")
    payload: str | None = None

    def to_json(self) -> str:
        """The reference as merge writes it: its keys in this order when spliced into a payload, sorted
        when the payload is wrapped whole (so the merged payload is one canonical object)."""
        if self.payload is not None:
            return encode(self.to_dict())
        if self.model_extra or self.model_fields_set != _SPLICED:
            return _IN_ORDER.encode(self.to_dict())
        holders = ",".join(str(int(n)) for n in self.holders)
        return (
            f'{{"run":{encode_basestring(self.run)},"seq":{int(self.seq)},"prev_hash":{encode_basestring(self.prev_hash)},'
            f'"hash":{encode_basestring(self.hash)},"in":[{holders}]}}'
        )

    def spliced(self, text: str) -> str:
        """A payload's JSON object text with this reference added as its last key (the text is not re-encoded)."""
        body = text[1:-1]
        return "{" + body + ("," if body.strip() else "") + _REF_KEY + self.to_json() + "}"

    @classmethod
    def find(cls, text: str) -> tuple[MergedFrom, int] | None:
        """The reference spliced into a merged payload's text, and where its key starts; None when the
        text holds no complete one."""
        cut = text.rfind(_REF_KEY)
        if cut < 0:
            return None
        try:
            data = json.loads(text[cut + len(_REF_KEY) : -1])
        except ValueError:
            return None
        if not isinstance(data, dict) or not {"run", "seq", "prev_hash", "hash"} <= data.keys():
            return None
        try:
            return cls.model_validate(data), cut
        except ValidationError:
            return None


_SPLICED = frozenset({"run", "seq", "prev_hash", "hash", "holders"})


class Payload(Value):
    """The fields of one kind of journal event (`KIND`)."""

    KIND: ClassVar[Kind]
    merged_from: MergedFrom | None = None  # set on an event a merge copied from a laptop's journal

    def to_json(self) -> str:
        """The JSON the journal stores (see the module doc)."""
        body = self.to_dict()
        if self.merged_from is None:
            return encode(body)
        del body[MERGED_FROM]
        return self.merged_from.spliced(encode(body))

    @classmethod
    def from_json(cls, text: object) -> Self:
        """A stored payload's text as this kind's payload: never fails (see the module doc)."""
        if not isinstance(text, str | bytes | bytearray):
            return cls()
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        return cls.read(data)


# -- the parts ----------------------------------------------------------------------------------


class Approver(Value):
    """The second person an override names."""

    name: str = ""
    initials: str = ""
    role: str = ""


class PortResult(Value):
    """One port (or one row of a walk) within a check result."""

    status: str = "error"
    observed: dict[str, Any] = Field(default_factory=dict)
    reason: str = ""


class HostKey(Value):
    """An SSH host key trusted on first use (`golive check --trust-new-hosts`), journaled with the result."""

    type: str = ""
    fingerprint: str = ""


class MergeSource(Value):
    """One laptop's run as a merge read it."""

    n: int = 0
    file: str = ""
    run: str = ""
    name: str = ""
    events: int = 0
    head: str = ""


class MergeConflict(Value):
    """Something the laptops disagreed on (see golive.store.merge.Conflict)."""

    kind: str = ""
    task: str | None = None
    event: str | None = None
    message: str = ""


class MergeRecord(Value):
    """What a merge read and found, carried by the merged run's `loaded` event."""

    sources: list[MergeSource] = Field(default_factory=list)
    events_read: int = 0
    events: int = 0
    clock_tolerance_s: int | float = 0
    conflicts: list[MergeConflict] = Field(default_factory=list)


# -- one payload per kind ---------------------------------------------------------------------


class Loaded(Payload):
    """A run created from a runbook text (or, with `merge`, a merged run)."""

    KIND: ClassVar[Kind] = Kind.LOADED
    runbook: str = ""
    version: str = ""
    sha256: str = ""
    file: str = ""
    mode: str = ""
    run: str = ""
    merge: MergeRecord | None = None


class Upgraded(Payload):
    """The run moved to another runbook text."""

    KIND: ClassVar[Kind] = Kind.UPGRADED
    sha256: str = ""
    from_sha256: str = ""
    version: str = ""
    file: str = ""


class Session(Payload):
    """The TUI opened or closed on the run."""

    KIND: ClassVar[Kind] = Kind.SESSION
    what: str = ""  # opened, closed, or handover (the operator changed: `previous` handed over to the actor)
    previous: Approver | None = None


class Started(Payload):
    """A task started; the first start of a live run outside its window says how far outside (minutes,
    negative before it opens) the operator confirmed it."""

    KIND: ClassVar[Kind] = Kind.STARTED
    outside_window_min: int | None = None


class Checked(Payload):
    """A check's result, as golive.checks.results.CheckResult.to_payload writes it."""

    KIND: ClassVar[Kind] = Kind.CHECK_RESULT
    check: str = ""  # "<task>#<n>": the same key for every run of the same check
    index: int = 0
    check_id: str | None = None
    kind: str = ""
    device: str | None = None
    transport: str = "none"
    target: str = ""
    status: str = "error"  # pass, fail, error or simulated (golive.checks.results.Status)
    expected: str = ""
    observed: dict[str, Any] = Field(default_factory=dict)
    reason: str = ""
    evidence: str = ""
    duration_ms: int = 0
    ports: dict[str, PortResult] = Field(default_factory=dict)
    lab: bool = False
    host_key_trusted: HostKey | None = None


class SignedOff(Payload):
    KIND: ClassVar[Kind] = Kind.SIGNED_OFF
    comment: str = ""


class SignoffRevoked(Payload):
    KIND: ClassVar[Kind] = Kind.SIGNOFF_REVOKED
    signoff: str = ""  # the UUID of the sign-off event revoked
    reason: str = ""


class Overridden(Payload):
    KIND: ClassVar[Kind] = Kind.OVERRIDDEN
    reason: str = ""
    approver: Approver = Field(default_factory=Approver)


class Skipped(Payload):
    KIND: ClassVar[Kind] = Kind.SKIPPED
    reason: str = ""


class Blocked(Payload):
    KIND: ClassVar[Kind] = Kind.BLOCKED
    reason: str = ""


class Unblocked(Payload):
    KIND: ClassVar[Kind] = Kind.UNBLOCKED
    reason: str = ""


class Failed(Payload):
    KIND: ClassVar[Kind] = Kind.FAILED
    reason: str = ""


class RollbackStarted(Payload):
    KIND: ClassVar[Kind] = Kind.ROLLBACK_STARTED
    plan: str = ""
    reason: str = ""


class Note(Payload):
    """A note (and what an event of a kind this golive does not know is read as)."""

    KIND: ClassVar[Kind] = Kind.NOTE
    text: str = ""


class RunClosed(Payload):
    KIND: ClassVar[Kind] = Kind.RUN_CLOSED
    reason: str = ""


class JackConfirmed(Payload):
    """A person confirmed by hand a jack the switches could not prove (a silent endpoint), and why."""

    KIND: ClassVar[Kind] = Kind.JACK_CONFIRMED
    check: str = ""  # the jacks check's key "<task>#<n>"
    jack: str = ""  # the jack's label
    state: str = ""  # the state the latest result left it in (golive.progress.jacks.JackState)
    reason: str = ""


# the registry: every kind's payload type
PAYLOADS: Final[Mapping[Kind, type[Payload]]] = MappingProxyType(
    {
        t.KIND: t
        for t in (
            Loaded, Upgraded, Session, Started, Checked, SignedOff, SignoffRevoked, Overridden, Skipped,
            Blocked, Unblocked, Failed, RollbackStarted, Note, RunClosed, JackConfirmed,
        )
    }
)  # fmt: skip
assert set(PAYLOADS) == set(Kind), "every kind needs its payload type"


def read_payload(kind: Kind, text: object) -> Payload:
    """A stored payload's text as its kind's type (never fails: see the module doc)."""
    return PAYLOADS[kind].from_json(text)
