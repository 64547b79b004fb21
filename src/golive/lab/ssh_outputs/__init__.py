"""What each simulated platform prints: its prompt, its session commands, and its show outputs.

One module per platform renders, from a DeviceWorld, the output of every command that
golive.checks.ssh.commands.COMMANDS lists for that platform, in the shape ntc-templates parses.
The SSH child process serves these; the output tests parse them with ntc-templates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from golive.lab.world import DeviceWorld

Renderer = Callable[[DeviceWorld], str]


@dataclass(frozen=True)
class PlatformShell:
    """How a platform's CLI looks to Netmiko, and what it answers."""

    prompt: str  # FakeNOS prompt template, e.g. "{base_prompt}#"
    session: dict[str, str] = field(default_factory=dict)  # paging/width commands -> their reply
    outputs: dict[str, Renderer] = field(default_factory=dict)  # show command -> renderer
    base_prompt: Callable[[str], str] = str  # hostname -> what goes into {base_prompt}


SSH_PLATFORMS = ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "hp_comware", "aruba_aoscx")


def shell_for(platform: str) -> PlatformShell | None:
    """The platform's shell, or None when the lab cannot serve it over SSH (SNMP only then)."""
    if platform not in SSH_PLATFORMS:
        return None
    module_name = "cisco_ios" if platform == "cisco_xe" else platform
    module = importlib.import_module(f"golive.lab.ssh_outputs.{module_name}")
    shell: PlatformShell = module.SHELL
    return shell


def render(platform: str, command: str, device: DeviceWorld) -> str:
    """The output of `command` on `device`; KeyError when the platform has no such command."""
    shell = shell_for(platform)
    if shell is None:
        raise KeyError(platform)
    return shell.outputs[command](device)
