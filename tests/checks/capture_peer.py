"""Real devices' captured CLI answers served over SSH by FakeNOS on 127.0.0.1, for golive's real checks.

The lab's SSH child (golive.lab._ssh_child) serves each device's `captures` verbatim; everything
else about the session (prompt, paging commands, host key, login) is the lab's own. The yielded
endpoints are what a running lab hands the engine, so the checks run exactly as against a switch.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from golive.checks.endpoints import DeviceEndpoints, LabEndpoints, SshEndpoint
from golive.lab.lab import _new_host_key, _read_line, _write_private
from golive.lab.services import reserve_port
from golive.lab.world import DeviceWorld, World

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "ssh"


def capture(platform: str, name: str) -> str:
    """A capture of the corpus by platform and file name (searched under the platform's folders)."""
    found = sorted((CORPUS / platform).glob(f"*/{name}"))
    assert len(found) == 1, f"{platform}/{name}: {found}"
    return found[0].read_text(encoding="utf-8")


@contextlib.contextmanager
def serve(devices: dict[str, tuple[str, dict[str, str]]], directory: Path) -> Iterator[LabEndpoints]:
    """`devices`: name -> (platform, command -> captured answer). Yields where each one listens."""
    world = World(
        runbook_id="corpus",
        devices={name: DeviceWorld(platform=platform, hostname=name) for name, (platform, _) in devices.items()},
    )
    world_path = directory / "world.json"
    world.write(world_path)
    keys = directory / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    _new_host_key(keys / "changed.pem")
    reserved = {name: reserve_port() for name in devices}
    config: dict[str, object] = {"world": str(world_path), "alt_key_file": str(keys / "changed.pem"), "devices": {}}
    endpoints: dict[str, DeviceEndpoints] = {}
    known: list[str] = []
    for name, (platform, captures) in devices.items():
        port = reserved[name].getsockname()[1]
        endpoint = SshEndpoint(port=port, username="golive", password=secrets.token_urlsafe(18))
        endpoints[name] = DeviceEndpoints(ssh=endpoint)
        _, public = _new_host_key(keys / f"{name}.pem")
        known.append(f"[127.0.0.1]:{port} {public}")
        config["devices"][name] = {  # type: ignore[index]
            "platform": platform, "hostname": name, "port": port, "username": endpoint.username,
            "password": endpoint.password, "key_file": str(keys / f"{name}.pem"), "captures": captures,
        }  # fmt: skip
    known_hosts = directory / "known_hosts"
    _write_private(known_hosts, "\n".join(known) + "\n")
    config_path = directory / "ssh.json"
    _write_private(config_path, json.dumps(config))
    process = subprocess.Popen(
        [sys.executable, "-m", "golive.lab._ssh_child", str(config_path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        line = _read_line(process, 60)
        for sock in reserved.values():
            sock.close()
        assert line.strip() == "READY", line
        yield LabEndpoints(known_hosts=str(known_hosts), devices=endpoints)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
