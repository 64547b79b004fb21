"""golive: carry a technician through an onsite network cutover, offline, with a signed journal.

The package is layered so that the core (runbook, store, progress, checks, export, lab) never
imports the user interface; the CLI and the TUI are thin faces over it.
"""

__version__ = "0.1.0"
