"""paramiko checks each packet's MAC with a byte-by-byte loop in Python; the standard library's
`hmac.compare_digest` gives the same answer, also in constant time, in C.

Measured in golive's SSH sessions against the lab: the loop was ~40% of paramiko's transport-thread
CPU (every echoed character is a packet), in a process where 50 sessions share one interpreter lock.
"""

from __future__ import annotations

import hmac

import paramiko.util


def install() -> None:
    """paramiko.packet looks the function up on paramiko.util at each packet: replace it there."""
    paramiko.util.constant_time_bytes_eq = hmac.compare_digest
