"""The SSH side of the checks: Netmiko in threads, show/display commands only, TextFSM parsing."""
