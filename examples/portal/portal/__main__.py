"""``python -m portal``: serve, re-plan, list and rotate tokens.

    python -m portal --data out/portal serve --source examples/tongren --period 2026-12
    python -m portal --data out/portal replan          # nightly (cron or a systemd timer)
    python -m portal --data out/portal tokens          # personal feed URLs to hand out
    python -m portal --data out/portal rotate advisor adv-01
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

import advisors

from . import create_app, default_data_dir
from .publish import Portal


@click.group()
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              envvar="ADVISORS_PORTAL_DATA", default=None,
              help="The portal's data folder: database, versions, outbox "
                   "[env ADVISORS_PORTAL_DATA; default ~/.local/share/advisors-portal].")
@click.pass_context
def main(ctx: click.Context, data: Path | None) -> None:
    """A reference portal embedding advisors."""
    folder = (data or default_data_dir()).resolve()
    # Delivery plugins (advisors-outbox) put their database beside the portal's by default.
    os.environ["ADVISORS_PORTAL_DATA"] = str(folder)
    ctx.obj = Portal(folder)


def _publish(portal: Portal, source: Path | None, period: str | None) -> None:
    try:
        done = portal.publish(source, period)
    except advisors.AdvisorsError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(json.dumps(done.summary(), ensure_ascii=False))


@main.command()
@click.option("--source", type=click.Path(exists=True, path_type=Path),
              help="Dataset folder or workbook (remembered for `replan`).")
@click.option("--period", help="Period to publish, e.g. 2026-12 or 2026-Q4 (remembered).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--base-url", help="Public URL of the portal, for links (default: request host).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              multiple=True, help="Folders of templates overriding the bundled ones.")
@click.pass_obj
def serve(portal: Portal, source: Path | None, period: str | None, host: str, port: int,
          base_url: str | None, templates: tuple[Path, ...]) -> None:
    """Publish a first version if there is none, then serve (development server)."""
    portal.configure(source, period)
    if portal.store.current() is None or source is not None or period is not None:
        _publish(portal, None, None)
    app = create_app(portal.data, base_url=base_url, template_dirs=templates)
    click.echo(f"admin token: {portal.store.admin_token()}", err=True)
    app.run(host=host, port=port, threaded=True)


@main.command()
@click.option("--source", type=click.Path(exists=True, path_type=Path),
              help="Dataset (default: the one the portal serves).")
@click.option("--period", help="Period (default: the one the portal serves).")
@click.pass_obj
def replan(portal: Portal, source: Path | None, period: str | None) -> None:
    """Plan again after the current version and publish it (moved events: SEQUENCE + 1)."""
    portal.configure(source, period)
    _publish(portal, None, None)


@main.command()
@click.option("--base-url", default="http://127.0.0.1:8000/", show_default=True)
@click.pass_obj
def tokens(portal: Portal, base_url: str) -> None:
    """Every personal feed URL (hand each to its owner only) and the admin token."""
    portal.store.admin_token()
    root = base_url.rstrip("/")
    for kind, ident, token in portal.store.tokens():
        if not token:
            click.echo(f"{kind}\t{ident}\t(issued before tokens were stored hashed: "
                       f"rotate it to list it)\t")
            continue
        where = "" if kind == "admin" else f"{root}/calendars/me/{token}.ics"
        click.echo(f"{kind}\t{ident}\t{token}\t{where}")


@main.command()
@click.argument("kind", type=click.Choice(["advisor", "trainer", "admin"]))
@click.argument("ident")
@click.pass_obj
def rotate(portal: Portal, kind: str, ident: str) -> None:
    """Replace a token: the old feed URL stops working at once."""
    if not portal.store.has_token(kind, ident):
        click.echo(f"error: no token for {kind} {ident}", err=True)
        raise click.exceptions.Exit(2)
    click.echo(portal.store.rotate(kind, ident))


if __name__ == "__main__":
    sys.exit(main())
