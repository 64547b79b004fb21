"""Two changes to FakeNOS inside the lab's SSH child, so the simulator is not what a benchmark measures.

FakeNOS (1.2.1) spends CPU where a real switch would not, and on a 2-core laptop the lab shares the
CPUs with golive itself, so those costs showed up as golive's:

- its shell writes a command's output one line per SSH packet (a 575-line `show interfaces
  switchport` became 575 packets, each encrypted, MAC'd and parsed by paramiko on both ends); a
  switch sends its output in full segments. Here an output is one write, split by paramiko into
  packets of the channel's maximum size.
- its in-memory pipes between the channel and the shell poll every 10 ms (two per session, so 50
  idle sessions meant 10,000 wake-ups a second in one process); here they block on a condition.

What stays as FakeNOS made it: the character-by-character echo of what the client types, 10 ms a
character, which stands for a device's latency and is the same for every client of the lab.
Measured on 50 devices x 3 commands (BENCHMARKS.md, SSH section).
"""

from __future__ import annotations

import threading
from typing import Any

WAIT_S = 0.2  # how soon a blocked reader notices that its session ended


def apply() -> None:
    """Patch the FakeNOS classes of this process (the SSH child only; never imported by golive's core)."""
    from fakenos.plugins.servers import ssh_server_paramiko
    from fakenos.plugins.shell import cmd_shell

    class BlockingTapIO(ssh_server_paramiko.TapIO):  # type: ignore[misc]
        """TapIO whose readline sleeps until a line is written, instead of polling every 10 ms."""

        def __init__(self, run_srv: threading.Event, initial_value: str = "", newline: str = "\n") -> None:
            super().__init__(run_srv, initial_value, newline)
            self._ready = threading.Condition()

        def readline(self) -> str | None:
            with self._ready:
                while self.run_srv.is_set():
                    if self.lines:
                        line: str = self.lines.pop(-1)
                        return line
                    self._ready.wait(WAIT_S)
            return None

        def write(self, value: str) -> None:
            with self._ready:
                self.lines.insert(0, value)
                self._ready.notify_all()

    def writeline(self: Any, value: Any) -> None:
        lines = str(value).splitlines()
        if lines:
            self.stdout.write(self.newline.join(lines) + self.newline)

    ssh_server_paramiko.TapIO = BlockingTapIO
    cmd_shell.CMDShell.writeline = writeline
