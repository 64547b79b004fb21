"""Screens and modals: one per file. Modals collect what an action needs and call the core."""
