"""The fault vocabulary of a running lab, each an edit to the world, validated with clear errors.

`golive lab FILE --fault DEVICE:KIND[:ARG...]` and the tests speak this language. A fault names
a device and a port that exist in the lab, or it is refused with one line saying what exists.
"""

from __future__ import annotations

from golive.lab.jacks import place
from golive.lab.world import DeviceWorld, Errors, World
from golive.problems import GoliveError

# kind -> (arguments, what it does)
KINDS: dict[str, tuple[str, str]] = {
    "port-down": ("PORT", "the port goes notconnect/down"),
    "wrong-vlan": ("PORT VLAN", "the port's access VLAN changes"),
    "poe-off": ("PORT", "the port delivers no power"),
    "neighbor-missing": ("PORT", "no CDP/LLDP neighbor on the port"),
    "mac-absent": ("PORT", "no MAC learned on the port"),
    "errors": ("PORT N", "CRC and input errors increase by N"),
    "unreachable": ("", "neither SSH nor SNMP answers"),
    "bad-credentials": ("", "the device refuses the lab credentials"),
    "slow": ("SECONDS", "every answer is delayed"),
    "host-key-changed": ("", "the SSH device presents another host key"),
    "no-banner": ("", "the SSH port accepts connections and never speaks (no SSH banner)"),
    "dies": ("", "the SSH device drops the connection after answering a session's first show command"),
    "garbage": ("", "every show command answers text that no template parses"),
    "old-ssh": ("", "the SSH device offers only SHA-1 key exchange and ssh-rsa host keys, like an older switch"),
    "service-down": ("HOST:PORT", "a TCP service refuses connections (device: any, e.g. -)"),
}


class FaultError(GoliveError):
    """A fault that cannot apply to this lab (exit 2: a usage mistake)."""

    exit_code = 2


def usage() -> str:
    return "; ".join(f"{kind}{(' ' + args) if args else ''}" for kind, (args, _) in KINDS.items())


def parse_fault(text: str) -> tuple[str, str, list[str]]:
    """`idf2b-new:port-down:Gi1/0/5` -> (device, kind, args). Port names hold no ':' except AOS-CX's
    never; a service key `host:port` is rejoined."""
    parts = text.split(":")
    if len(parts) < 2 or not parts[0] or parts[1] not in KINDS:
        raise FaultError(f"bad fault {text!r}: write DEVICE:KIND[:ARG...], KIND one of {usage()}")
    device, kind, args = parts[0], parts[1], parts[2:]
    if kind == "service-down" and len(args) == 2:
        args = [f"{args[0]}:{args[1]}"]
    return device, kind, args


def apply_fault(world: World, device: str, kind: str, args: list[str]) -> World:
    """A copy of `world` with the fault applied; FaultError when it does not fit the lab."""
    if kind not in KINDS:
        raise FaultError(f"unknown fault {kind!r}: one of {usage()}")
    wanted = [a for a in KINDS[kind][0].split() if a]
    if len(args) != len(wanted):
        raise FaultError(f"fault {kind} takes {' '.join(wanted) or 'no arguments'}, got {len(args)}")
    new = world.model_copy(deep=True)
    if kind == "service-down":
        key = args[0]
        if key not in new.services:
            raise FaultError(f"no service {key} in this lab; services: {', '.join(new.services) or 'none'}")
        new.services[key].up = False
        return new
    dev = _device(new, device)
    if kind == "unreachable":
        dev.down = True
    elif kind == "bad-credentials":
        dev.reject_login = True
    elif kind == "host-key-changed":
        dev.host_key_changed = True
    elif kind == "no-banner":
        dev.no_banner = True
    elif kind == "dies":
        dev.dies = True
    elif kind == "garbage":
        dev.garbage = True
    elif kind == "old-ssh":
        dev.old_ssh = True
    elif kind == "slow":
        dev.slow_s = _number(args[0], "SECONDS", 0.0, 600.0)
    else:
        port = dev.ports.get(args[0])
        if port is None:
            known = ", ".join(list(dev.ports)[:8]) + (" ..." if len(dev.ports) > 8 else "")
            raise FaultError(f"device {device} has no port {args[0]} in this lab; ports: {known}")
        if kind == "port-down":
            port.status = "down"
        elif kind == "wrong-vlan":
            port.access_vlan = int(_number(args[1], "VLAN", 1, 4094))
            for mac in port.macs:
                mac.vlan = port.access_vlan
        elif kind == "poe-off":
            if port.poe is None:
                raise FaultError(f"{device} {args[0]} has no PoE in this lab")
            port.poe.powered = False
        elif kind == "neighbor-missing":
            port.neighbors = []
        elif kind == "mac-absent":
            port.macs = []
        elif kind == "errors":
            n = int(_number(args[1], "N", 0, 2**31))
            e = port.errors
            port.errors = Errors(
                input=e.input + n, crc=e.crc + n, output=e.output, discards=e.discards, out_discards=e.out_discards
            )
    return new


def clear_faults(world: World, pristine: World, device: str | None = None) -> World:
    """`world` with one device (or everything) back as generated in `pristine`. The port map's endpoints
    stay where they are (patched or not): a patch is not a fault; its ports are laid out again."""
    new = world.model_copy(deep=True)
    if device is None:
        new = pristine.model_copy(deep=True, update={"jacks": new.jacks, "generation": world.generation})
    else:
        _device(new, device)
        new.devices[device] = pristine.devices[device].model_copy(deep=True)
    return place(new) if new.jacks else new


def _device(world: World, name: str) -> DeviceWorld:
    if name not in world.devices:
        raise FaultError(f"no device {name!r} in this lab; devices: {', '.join(world.devices)}")
    return world.devices[name]


def _number(text: str, what: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultError(f"{what} must be a number, got {text!r}") from None
    if not low <= value <= high:
        raise FaultError(f"{what} must be between {low:g} and {high:g}, got {text}")
    return value
