"""Four changes to FakeNOS inside the lab's SSH child, so the simulator is not what a benchmark measures.

FakeNOS (1.2.1) spends CPU where a real switch would not, and on a 2-core laptop the lab shares the
CPUs with golive itself, so those costs showed up as golive's:

- its shell writes a command's output one line per SSH packet (a 575-line `show interfaces
  switchport` became 575 packets, each encrypted, MAC'd and parsed by paramiko on both ends); a
  switch sends its output in full segments. Here an output is one write, split by paramiko into
  packets of the channel's maximum size.
- its in-memory pipes between the channel and the shell poll every 10 ms (two per session, so 50
  idle sessions meant 10,000 wake-ups a second in one process); here they block on a condition.
- it echoes what the client types one character per SSH packet: a client that sends
  `show interfaces status\\n` in one write got 23 packets back, ~140 a session, each one encrypted
  here and decrypted, MAC-checked and parsed by golive's paramiko. A switch's vty echoes the segment
  it received in one segment. Here the echo of what one read returned (up to and including a line
  end) is one write.
- paramiko compares each packet's MAC in a Python loop; here, in this child only, with
  `hmac.compare_digest`: the same answer, also in constant time, in C. paramiko looks the function
  up on paramiko.util at each packet, so it is replaced there. golive's own process keeps
  paramiko as shipped.

The latency model stays FakeNOS's, to the millisecond: 10 ms a character typed. FakeNOS echoes a
character, sleeps 10 ms, then reads the next, so a line of n characters reaches the shell
(n - 1) x 10 ms after its first character, with the last echoed character, and the next read comes
10 ms later. Here a segment of n characters is held (n - 1) x 10 ms, echoed in one write, passed
to the shell when it ends a line, then 10 ms more: the same instants for the whole echo, the
shell's input and the next read; only the packet count changes. What else FakeNOS did stays too:
\\r and \\n each end a line and echo as \\r\\n, NUL is echoed but not passed on, a segment after a
line end waits (up to 10 s) for the shell to have answered that line, and the tap ends when the
channel closes or a write fails. A device alone takes the same time as before (BENCHMARKS.md, SSH
section, measures it beside 50 devices at once).

Apart from those, `offer_old_ssh_only` lets a lab device behave like an older switch (the
`old-ssh` lab fault): its SSH server offers only SHA-1 key exchange (diffie-hellman-group14-sha1,
diffie-hellman-group1-sha1) and ssh-rsa host keys, which paramiko 5 no longer speaks as a client.
"""

from __future__ import annotations

import hmac
import io
import logging
import re
import threading
import time
from typing import Any

WAIT_S = 0.2  # how soon a blocked reader notices that its session ended
CHAR_S = 0.01  # FakeNOS's latency: 10 ms a character typed
READ_BYTES = 4096  # one read from the channel: whatever has arrived, up to this much

# a line (up to and including its \r or \n), or the rest of a read that ends mid-line
_SEGMENT = re.compile(rb"[^\r\n]*[\r\n]|[^\r\n]+")

log = logging.getLogger(__name__)

# what an older switch offers, and only that (the `old-ssh` fault)
OLD_KEX = ("diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1")
OLD_HOST_KEYS = ("ssh-rsa",)
# the listening ports of the devices under that fault: kept current by the SSH child's fault watcher
old_ssh_ports: set[int] = set()


def segments(data: bytes) -> list[bytes]:
    """What one read returned, cut after each line end: b"a\\r\\nb" -> [b"a\\r", b"\\n", b"b"]."""
    return _SEGMENT.findall(data)


def channel_to_shell_tap(channel_stdio: Any, shell_stdin: Any, shell_replied_event: Any, run_srv: Any) -> None:
    """FakeNOS's channel -> shell tap, echoing a segment per write instead of a character per packet."""
    channel = channel_stdio.channel
    line = io.BytesIO()
    while run_srv.is_set():
        data: bytes = channel.recv(READ_BYTES)
        if not data:  # the client closed its side: nothing more will be typed
            break
        for segment in segments(data):
            shell_replied_event.wait(10)  # the shell has answered the last line passed to it
            if not channel.active:
                log.error("SSH channel is not active. Exiting.")
                return
            time.sleep(CHAR_S * (len(segment) - 1))
            end = segment[-1:] in (b"\r", b"\n")
            body = segment[:-1] if end else segment
            try:
                channel_stdio.write(body + b"\r\n" if end else body)
            except (OSError, EOFError) as exc:
                log.error("channel_to_shell_tap channel write error: %s", exc)
                return
            line.write(body.replace(b"\x00", b""))
            if end:
                line.write(segment[-1:])
                shell_stdin.write(line.getvalue().decode(encoding="utf-8"))
                line = io.BytesIO()
                shell_replied_event.clear()
            time.sleep(CHAR_S)


def apply() -> None:
    """Patch the FakeNOS classes of this process (the SSH child only; never imported by golive's core)."""
    import paramiko.util
    from fakenos.plugins.servers import ssh_server_paramiko
    from fakenos.plugins.shell import cmd_shell

    paramiko.util.constant_time_bytes_eq = hmac.compare_digest

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
    ssh_server_paramiko.channel_to_shell_tap = channel_to_shell_tap
    cmd_shell.CMDShell.writeline = writeline


def offer_old_ssh_only() -> None:
    """Make every SSH server of this process (the lab's SSH child) offer only OLD_KEX and OLD_HOST_KEYS
    on a connection to a port in `old_ssh_ports`; other ports keep paramiko's defaults."""
    import paramiko
    from fakenos.plugins.servers import ssh_server_paramiko

    base = paramiko.Transport

    class LabTransport(base):  # type: ignore[misc,valid-type]
        def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            try:
                port = sock.getsockname()[1]
            except (OSError, AttributeError, IndexError):
                return
            if port in old_ssh_ports:
                options = self.get_security_options()
                options.kex = OLD_KEX
                options.key_types = OLD_HOST_KEYS

    ssh_server_paramiko.paramiko = _Paramiko(paramiko, LabTransport)


class _Paramiko:
    """The paramiko module as FakeNOS's server sees it, with Transport replaced (this child's only)."""

    def __init__(self, module: Any, transport: Any) -> None:
        self._module = module
        self.Transport = transport

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)
