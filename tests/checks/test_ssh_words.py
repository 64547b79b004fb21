"""Device words and port names no capture in the corpus shows, read the same way as the ones it does.

The corpus (test_ssh_corpus.py) proves most spellings on real output; these are the ones seen on
other switches of the same families (NX-OS port-channels with no operational member, Huawei 10G
ports) and the long forms a technician copies from a configuration.
"""

from __future__ import annotations

import pytest

from golive.checks.evaluate import holds
from golive.checks.ifnames import canonical
from golive.checks.normalize import duplex, status
from golive.runbook.expectations import Expectation


@pytest.mark.parametrize(
    ("seen", "written"),
    [
        ("noOperMem", "down"), ("noOperMem", "noOperMembers"), ("notconnec", "notconnect"), ("xcvrAbsen", "down"),
        ("sfpAbsent", "notconnect"), ("inactive", "down"), ("errdisabled", "err-disabled"),
        ("err-disabled", "errdisabled"), ("connected", "up"), ("notconnect:", "down"), ("connected: TDR", "up"),
    ],
)  # fmt: skip
def test_a_status_word_means_its_state(seen: str, written: str) -> None:
    assert holds(Expectation(equals=written), seen, "status")
    assert not holds(Expectation(equals="monitoring"), seen, "status")


@pytest.mark.parametrize(
    ("seen", "word"), [("A", "auto"), ("F(a)", "full"), ("H", "half"), ("a-full", "full"), ("Full-duplex", "full")]
)
def test_duplex_words(seen: str, word: str) -> None:
    assert duplex(seen) == word


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Wlan-GigabitEthernet0/1/4", "Wl0/1/4"), ("M-GigabitEthernet0/0/0", "M-GE0/0/0"),
        ("XGigabitEthernet0/0/1", "XGE0/0/1"), ("Ten-GigabitEthernet1/0/50", "XGE1/0/50"),
        ("Route-Aggregation1", "RAGG1"),
    ],
)  # fmt: skip
def test_long_and_short_port_names_are_one_port(one: str, other: str) -> None:
    assert canonical(one) == canonical(other)
    assert canonical(one) != canonical("GigabitEthernet0/1/4")


def test_monitoring_and_suspended_are_their_own_states() -> None:
    assert status("monitoring") == "monitoring" and status("suspended") == "suspended"
