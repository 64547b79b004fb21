"""golive's terminal UI (Textual): a thin face over golive.store.Cutover.

A key press becomes one call on the core; its result (or the one-line reason the runbook's rules
refuse it) becomes a repaint. Nothing in the core imports this package.
"""
