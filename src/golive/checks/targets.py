"""Where each device is really reached, and with what: the lab's endpoints, or the runbook's.

With a lab running for the runbook, every device and TCP service is redirected to 127.0.0.1 and
the lab's own credentials and known_hosts are used. Without one, the runbook's host, the
credential references (resolved in memory) and the known_hosts files apply. A documentation
address (RFC 5737 / RFC 3849) is never contacted: there is no device there.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from pathlib import Path

from golive.checks.credentials import CredentialError, Credentials
from golive.checks.endpoints import LabEndpoints
from golive.checks.snmp.client import SnmpTarget
from golive.checks.ssh.session import SshTarget
from golive.paths import golive_known_hosts, ssh_user_override, user_known_hosts
from golive.runbook.checks import TcpCheck
from golive.runbook.schema import Runbook

DOCUMENTATION_NETS = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
SNMP_RETRIES = 1  # an SNMP request is sent again once when its first try meets silence


class TargetError(Exception):
    """The device cannot be reached as configured; the message says why, with no secret."""


def documentation_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.endswith((".example", ".example.com", ".example.org", ".example.net", ".test", ".invalid"))
    return any(address in net for net in DOCUMENTATION_NETS)


class Targets:
    def __init__(
        self,
        runbook: Runbook,
        *,
        lab: LabEndpoints | None,
        credentials: Credentials,
        known_hosts: list[Path] | None = None,
        trust_new: bool = False,
        rehearsal: bool = True,
    ) -> None:
        self.runbook = runbook
        self.rehearsal = rehearsal  # what to suggest for a device that is not real: the lab, or the inventory
        self.lab = lab
        self.credentials = credentials
        self.trust_new = trust_new
        self._known_hosts_sources = known_hosts if known_hosts is not None else default_known_hosts()
        self._merged: Path | None = None

    def _no_lab_guard(self, host: str, device: str) -> None:
        if documentation_address(host):
            fix = (
                "start `golive lab RUNBOOK` to check against simulated devices"
                if self.rehearsal
                else "a LIVE run checks the site's own devices, never the lab: correct its address in the inventory"
            )
            raise TargetError(f"{device} is at {host}, a documentation address with no real device behind it: {fix}")

    def known_hosts(self) -> Path:
        """One file holding every trusted key (the lab's, or the user's and the runbook's and golive's own)."""
        if self.lab is not None:
            return Path(self.lab.known_hosts)
        if self._merged is None:
            fd, name = tempfile.mkstemp(prefix="golive-known-hosts-")
            with os.fdopen(fd, "w", encoding="utf-8") as merged:
                for source in [*self._known_hosts_sources, golive_known_hosts()]:
                    if source.is_file():
                        merged.write(source.read_text(encoding="utf-8", errors="replace").rstrip("\n") + "\n")
            self._merged = Path(name)
        return self._merged

    def close(self) -> None:
        if self._merged is not None:
            self._merged.unlink(missing_ok=True)
            self._merged = None

    def ssh(self, name: str, timeout: float) -> SshTarget:
        device = self.runbook.inventory[name]
        read_timeout = max(1.0, timeout - 1.0)
        if self.lab is not None:
            endpoint = self.lab.devices.get(name)
            if endpoint is None or endpoint.ssh is None:
                raise TargetError(f"the lab does not simulate {name} over SSH")
            ssh = endpoint.ssh
            return SshTarget(
                name, device.platform, ssh.host, ssh.port, ssh.username, ssh.password, ssh.secret,
                self.known_hosts(), self.trust_new, min(5.0, max(1.0, timeout - 1.0)), read_timeout,
            )  # fmt: skip
        self._no_lab_guard(device.host, name)
        try:
            password = self.credentials.resolve(device.credentials, f"SSH password for {name}")
            secret = self.credentials.resolve(device.enable, f"enable secret for {name}") if device.enable else ""
        except (CredentialError, ValueError) as exc:
            raise TargetError(str(exc)) from None
        username = device.username or ssh_user_override() or _login_name()
        return SshTarget(
            name, device.platform, device.host, device.port, username, password, secret,
            self.known_hosts(), self.trust_new, min(5.0, max(1.0, timeout - 1.0)), read_timeout,
        )  # fmt: skip

    def snmp(self, name: str, timeout: float) -> SnmpTarget:
        device = self.runbook.inventory[name]
        settings = device.snmp
        if settings is None:
            raise TargetError(f"{name} has no snmp: settings in the inventory")
        # one retry, the two tries sharing the check's timeout (the CLI's --timeout unless the check
        # names its own): an agent that answers slowly is waited for, however slowly it answers
        per_try = timeout / (SNMP_RETRIES + 1)
        if self.lab is not None:
            endpoint = self.lab.devices.get(name)
            if endpoint is None or endpoint.snmp is None:
                raise TargetError(f"the lab does not simulate {name} over SNMP")
            s = endpoint.snmp
            return SnmpTarget(
                name, s.host, s.port, s.version, s.community, s.user, s.auth, s.auth_key, s.priv, s.priv_key,
                s.context, per_try, SNMP_RETRIES,
            )  # fmt: skip
        self._no_lab_guard(device.host, name)
        try:
            if settings.version == "2c":
                community = self.credentials.resolve(str(settings.community), f"SNMP community for {name}")
                return SnmpTarget(
                    name, device.host, settings.port, "2c", community, timeout=per_try, retries=SNMP_RETRIES
                )
            auth_key = self.credentials.resolve(str(settings.credentials), f"SNMPv3 auth key for {name}")
            priv_ref = settings.priv_credentials or settings.credentials
            priv_key = self.credentials.resolve(str(priv_ref), f"SNMPv3 privacy key for {name}")
        except (CredentialError, ValueError) as exc:
            raise TargetError(str(exc)) from None
        return SnmpTarget(
            name, device.host, settings.port, "3", "", settings.user or "", settings.auth, auth_key,
            settings.priv, priv_key, "", per_try, SNMP_RETRIES,
        )  # fmt: skip

    def tcp(self, check: TcpCheck) -> tuple[str, int]:
        host = check.host if check.host is not None else self.runbook.inventory[str(check.device)].host
        if self.lab is not None:
            local = self.lab.services.get(f"{host}:{check.port}")
            if local is None:
                raise TargetError(f"the lab does not simulate the service {host}:{check.port}")
            return "127.0.0.1", local
        self._no_lab_guard(host, f"the service {host}:{check.port}")
        return host, check.port


def default_known_hosts(runbook_file: Path | None = None, runbook: Runbook | None = None) -> list[Path]:
    """The user's ~/.ssh/known_hosts, plus the file the runbook names (relative to the runbook)."""
    sources = [user_known_hosts()]
    if runbook is not None and runbook.ssh.known_hosts:
        named = Path(runbook.ssh.known_hosts).expanduser()
        if not named.is_absolute() and runbook_file is not None:
            named = runbook_file.parent / named
        sources.append(named)
    return sources


def _login_name() -> str:
    import getpass

    return getpass.getuser()
