"""Live checks: the runbook's check specs brought to life over SSH (Netmiko), SNMP (pysnmp) and TCP.

Nothing here imports Textual. The engine yields results as values; the CLI and the TUI paint them.
"""
