"""Exports of a run for the morning after: csv, xlsx, jsonl, html and md, and offline checks of jsonl.

`model.gather` reads one database snapshot into plain values; one module per format writes them;
`exporter.export_run` plans the output paths, refuses what it must (an existing file without
`force`, a chain that does not verify without `allow_broken`) and writes every file through a
temporary file renamed at the end, so a refused or failed export leaves nothing behind.

Nothing here imports Textual; modules are imported by the CLI only when a command needs them.
"""
