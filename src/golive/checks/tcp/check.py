"""A tcp check: connect to host:port within the check's timeout, and judge reachable against the runbook.

A connection that opens is closed at once: nothing is sent. A refusal and a silence are both
"not reachable", each with its own words in the evidence, so a technician can tell a closed port
from a dropped packet.
"""

from __future__ import annotations

import asyncio
import time

from golive.checks.plan import CheckItem, target_text
from golive.checks.results import CheckResult, Status
from golive.checks.verdicts import Verdicts
from golive.runbook.checks import TcpCheck

DEFAULT_TIMEOUT = 5.0  # a tcp check that names no timeout of its own (not --timeout: a connect is one round trip)


async def tcp_check(item: CheckItem, host: str, port: int, verdicts: Verdicts) -> CheckResult:
    check: TcpCheck = item.check
    started = time.monotonic()
    timeout = float(check.timeout) if check.timeout else DEFAULT_TIMEOUT
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        writer.close()
        reachable, detail = True, "connected"
    except TimeoutError:
        reachable, detail = False, f"no answer within {timeout:g} s"
    except OSError as exc:
        reachable, detail = False, f"connection refused ({exc.strerror or type(exc).__name__})"
    seconds = time.monotonic() - started
    wanted = check.expect.reachable
    status = Status.PASS if reachable == wanted else Status.FAIL
    reason = (
        "" if status is Status.PASS else f"{target_text(check)}: {detail}, expected reachable == {str(wanted).lower()}"
    )
    return verdicts.result(item, "tcp", status, reason, seconds, {"reachable": reachable, "detail": detail}, detail)
