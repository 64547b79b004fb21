"""The lab: simulated devices on 127.0.0.1 for every device a runbook names (FakeNOS over SSH,
snmpsim over SNMP, plain listeners for TCP services), so rehearsals, the demo and the tests talk
to real protocol peers. Never imports Textual.
"""
