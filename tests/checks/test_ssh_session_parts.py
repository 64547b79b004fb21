"""The pure parts of the SSH session: known_hosts read once per file, the prompt that ends an answer,
and the echo cut off an answer. (The session itself is tested against the lab.)"""

from __future__ import annotations

import os
import re
from pathlib import Path

import paramiko
import pytest

from golive.checks.ssh import known_hosts
from golive.checks.ssh.session import _after_echo, prompt_pattern


def _key_line(name: str) -> tuple[str, paramiko.PKey]:
    key = paramiko.RSAKey.generate(1024)
    return f"{name} {key.get_name()} {key.get_base64()}\n", key


def test_a_client_gets_only_its_hosts_keys_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    first, key_a = _key_line("[127.0.0.1]:2201")
    second, _key_b = _key_line("[127.0.0.1]:2202")
    path.write_text(first + second)
    policy = paramiko.RejectPolicy()
    client = known_hosts.client_for("127.0.0.1", 2201, path, policy)
    assert client.get_host_keys().lookup("[127.0.0.1]:2201")["ssh-rsa"] == key_a
    assert client.get_host_keys().lookup("[127.0.0.1]:2202") is None
    assert known_hosts.host_keys(path) is known_hosts.host_keys(path)  # parsed once
    replaced, key_c = _key_line("[127.0.0.1]:2201")
    path.write_text(replaced)
    os.utime(path, ns=(1, 1))  # a different stamp even within one clock tick
    assert (
        known_hosts.client_for("127.0.0.1", 2201, path, policy).get_host_keys().lookup("[127.0.0.1]:2201")["ssh-rsa"]
        == key_c
    )
    assert known_hosts.client_for("127.0.0.1", 2203, path, policy).get_host_keys().lookup("[127.0.0.1]:2203") is None


def test_port_22_is_looked_up_by_the_bare_host_name(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    line, key = _key_line("127.0.0.1")
    path.write_text(line)
    client = known_hosts.client_for("127.0.0.1", 22, path, paramiko.RejectPolicy())
    assert client.get_host_keys().lookup("127.0.0.1")["ssh-rsa"] == key


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("Port Name\nGi1/0/1 x\nIDF2B-NEW#", True),
        ("Port Name\nGi1/0/1 x\nIDF2B-NEW# ", True),
        ("Device ID: IDF2B-NEW#\n  Platform: x\n", False),  # the hostname quoted mid-output
        ("IDF2B-NEW#show cdp neighbors detail\nDevice ID: CORE", False),  # a prompt before the echo
        ("x\nIDF2B-NEW-2#", False),  # another device's prompt
    ],
)
def test_an_answer_ends_on_the_prompt_at_the_end_of_what_arrived(text: str, ends: bool) -> None:
    assert (re.search(prompt_pattern("IDF2B-NEW#"), text) is not None) is ends


def test_a_prompt_left_before_the_echo_is_not_part_of_the_answer() -> None:
    raw = "\n<SW1>\n<SW1>display interface brief\nBrief information on interfaces\nGE1/0/5 UP\n"
    assert _after_echo(raw, "display interface brief") == "Brief information on interfaces\nGE1/0/5 UP\n"
    assert _after_echo("no echo here\n", "display x") == "no echo here\n"
