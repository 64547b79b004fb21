"""Live checks: the runbook's check specs brought to life over SSH (Netmiko), SNMP (pysnmp) and TCP.

Nothing here imports Textual, nor golive.lab (the lab sits above the checks: it hands them where
its devices listen, golive.checks.endpoints). Where a kind of check lives, by transport:

- ssh/: the session (Netmiko), the read-only commands per platform, TextFSM parsing, known_hosts,
  and device.py, every SSH check of one device in one session.
- snmp/: the pysnmp client and its per-loop engine, the MIB columns each kind reads (observe.py),
  and device.py, every SNMP check of one device with its walks shared.
- tcp/: the reachability check.

Shared by all three, at this level: plan.py (which transport a check takes), targets.py and
credentials.py (where a device is reached, and with what), facts.py, normalize.py, ifnames.py,
evaluate.py and judge.py (what a device said, against what the runbook expects), verdicts.py and
results.py (the result of a check), engine.py (runs a batch, streams results).
"""
