"""`golive platforms`: which check golive can answer on which platform, over SSH and over SNMP.

It prints golive.runbook.platforms, the table `golive validate` refuses by, so an author can see
before writing a check whether it can be answered. `--markdown` is the README's copy (a test keeps
them equal); `--json` is for scripts, with stable keys.
"""

from __future__ import annotations

from typing import Any

import click

from golive.cli.common import friendly

NOTE = (
    "SNMP cells hold on every platform whose device has `snmp:` settings (a vendor MIB's field only where"
    " named); tcp and snmp checks run on any."
)


def _cell(fields: frozenset[str] | None, kind: str) -> str:
    from golive.runbook.platforms import FIELDS

    if fields is None:
        return "-"
    if fields == frozenset(FIELDS[kind]):
        return "all"
    return ", ".join(f for f in FIELDS[kind] if f in fields)


def _snmp_cell(kind: str) -> str:
    """SNMP's fields on any platform, then each vendor-MIB field with the platforms that have it."""
    from golive.runbook.platforms import SNMP, SNMP_NOT_ON, SNMP_VENDOR

    vendor = SNMP_VENDOR.get(kind, {})
    fields = SNMP.get(kind)
    text = _cell(None if fields is None else fields - set(vendor), kind)
    for field, (mib, where) in vendor.items():
        text += f"; {field} on {', '.join(sorted(where))} ({mib})"
    if kind in SNMP_NOT_ON:
        why, where = SNMP_NOT_ON[kind]
        text += f"; not on {', '.join(sorted(where))} ({why})"
    return text


def rows(fields: bool = True) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the matrix as text: a row per check kind (with its fields), a column
    per SSH platform, and one for SNMP on any platform."""
    from golive.runbook.platforms import FIELDS, KINDS, SSH_PLATFORMS, label, ssh_fields

    header = ["kind (fields)" if fields else "kind", *(f"{p} ssh" for p in SSH_PLATFORMS), "any platform snmp"]
    body = [
        [f"{label(kind)} ({', '.join(FIELDS[kind])})" if fields else label(kind)]
        + [_cell(ssh_fields(p, kind), kind) for p in SSH_PLATFORMS]
        + [_snmp_cell(kind)]
        for kind in KINDS
    ]
    return header, body


def markdown() -> str:
    """The matrix as a Markdown table, as the README holds it."""
    header, body = rows()
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines) + "\n\n" + NOTE + "\n"


def as_json() -> dict[str, Any]:
    from golive.runbook.platforms import FIELDS, KINDS, SNMP, SNMP_NOT_ON, SNMP_VENDOR, SSH, SSH_PLATFORMS
    from golive.runbook.schema import NETMIKO_PLATFORMS

    return {
        "kinds": {kind: list(FIELDS[kind]) for kind in KINDS},
        "ssh": {p: {k: sorted(SSH[p][k]) for k in KINDS if k in SSH[p]} for p in SSH_PLATFORMS},
        "snmp": {k: sorted(SNMP[k]) for k in KINDS if k in SNMP},
        "snmp_vendor": {
            k: {f: {"mib": mib, "platforms": sorted(where)} for f, (mib, where) in fields.items()}
            for k, fields in SNMP_VENDOR.items()
        },
        "snmp_only_platforms": [p for p in NETMIKO_PLATFORMS if p not in SSH_PLATFORMS],
        "snmp_not_on": {k: {"why": why, "platforms": sorted(where)} for k, (why, where) in SNMP_NOT_ON.items()},
    }


@click.command()
@click.option("--json", "as_json_", is_flag=True, help="Print JSON for scripts (stable keys).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print a Markdown table (the README's).")
@friendly
def platforms(as_json_: bool, as_markdown: bool) -> None:
    """Show which checks golive answers on which platform, over SSH and over SNMP.

    A cell lists the expectation fields that transport can answer ("all", or the ones named);
    "-" means not at all: `golive validate` refuses such a check, with a hint.
    """
    if as_json_ and as_markdown:
        raise click.UsageError("--json and --markdown exclude each other")
    if as_json_:
        import json

        click.echo(json.dumps(as_json(), indent=2, sort_keys=True))
        return
    if as_markdown:
        click.echo(markdown(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from golive.runbook.platforms import FIELDS, KINDS, label

    header, body = rows(fields=False)
    table = Table(title="fields each check kind can answer", show_lines=True)
    for heading in header:
        table.add_column(heading.replace(" ", "\n"), overflow="fold")
    for row in body:
        table.add_row(*(Text(cell, style="dim" if cell == "-" else "") for cell in row))
    console = Console(highlight=False)
    console.print(table)
    for kind in KINDS:
        console.print(Text(f"{label(kind)}: {', '.join(FIELDS[kind])}"))
    console.print(Text(NOTE.replace("`", "")))
