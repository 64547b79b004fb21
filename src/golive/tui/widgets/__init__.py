"""Widgets: one per file, each told what to show by its screen (attributes down, messages up)."""
