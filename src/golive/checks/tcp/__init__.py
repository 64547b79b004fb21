"""The TCP side of the checks: is a service reachable (a TCP connect), nothing more."""
