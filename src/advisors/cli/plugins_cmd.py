"""``advisors plugins``: what is installed and what it provides."""

from __future__ import annotations

import json

import click

from ..plugins import plugin_info


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def plugins(as_json: bool) -> None:
    """List plugins, their versions, hooks and what they register.

    \b
    Examples:
      advisors plugins
      ADVISORS_LOAD_PLUGINS= advisors plugins --json   # built-ins only
    """
    rows = plugin_info()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        tag = " (built-in)" if row["builtin"] else ""
        click.echo(f"{row['name']} {row['version']}{tag}")
        click.echo(f"  hooks: {', '.join(row['hooks'])}")
        for kind, names in row["registers"].items():
            click.echo(f"  {kind}: {', '.join(names)}")


COMMANDS = [plugins]
