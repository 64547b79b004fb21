"""Network namespaces and veth pairs: a real link this test owns, whose far end it can unplug.

The near end of each pair stays in the default namespace, where a real snmpd (tests/peers/snmpd.py)
reports it in IF-MIB; the far end lives in a namespace of its own. Setting the far end down is a
cable pulled: the near end loses carrier and the agent reports ifOperStatus down(2) once its
interface cache expires (~2 s for net-snmp). Needs root and iproute2; skips cleanly otherwise.
Namespaces are named per process and per use, and always deleted.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

_counter = itertools.count(1)


@dataclass(frozen=True)
class VethLink:
    namespace: str
    near: str  # in the default namespace, seen by snmpd
    far: str  # inside `namespace`

    def set_far(self, state: str) -> None:
        """`state` is "up" or "down": plug or unplug the far end."""
        _ip("-n", self.namespace, "link", "set", self.far, state)


def _ip(*args: str) -> None:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")


@contextmanager
def veth_links(count: int = 1) -> Iterator[list[VethLink]]:
    """`count` veth pairs, near ends up in the default namespace, far ends up in a new namespace."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    if shutil.which("ip") is None:
        pytest.skip("iproute2 (`ip`) is not installed")
    tag = f"{os.getpid() % 100000}n{next(_counter)}"
    namespace = f"golive-{tag}"
    try:
        _ip("netns", "add", namespace)
    except RuntimeError as exc:
        pytest.skip(f"cannot create a network namespace here: {exc}")
    links: list[VethLink] = []
    try:
        for number in range(count):
            link = VethLink(namespace, near=f"gs{tag}p{number}", far=f"gh{tag}p{number}")
            _ip("link", "add", link.near, "type", "veth", "peer", "name", link.far, "netns", namespace)
            links.append(link)
            _ip("link", "set", link.near, "up")
            link.set_far("up")
        yield links
    finally:
        for link in links:
            subprocess.run(["ip", "link", "del", link.near], capture_output=True, check=False, timeout=10)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True, check=False, timeout=10)
