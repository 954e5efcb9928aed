"""``python -m portal``: serve, re-plan, list and rotate tokens.

    python -m portal --data out/portal serve --source examples/tongren --period 2026-12
    python -m portal --data out/portal replan          # nightly (cron or a systemd timer)
    python -m portal --data out/portal tokens          # sign-in links and feeds to hand out
    python -m portal --data out/portal rotate advisor adv-01
    python -m portal --data out/portal worker          # (the server's publisher: one per line)
    python -m portal --data out/portal --db postgresql+psycopg://portal@/advisors serve …
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
from .republish import WORKER_MARK
from .tokens import KINDS, PERSONAL_KINDS


@click.group()
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              envvar="ADVISORS_PORTAL_DATA", default=None,
              help="The portal's data folder: database, versions, outbox "
                   "[env ADVISORS_PORTAL_DATA; default ~/.local/share/advisors-portal].")
@click.option("--db", "database", envvar="ADVISORS_PORTAL_DB", default=None,
              help="SQLAlchemy URL of the database, e.g. postgresql+psycopg://portal@/advisors "
                   "[env ADVISORS_PORTAL_DB; default portal.sqlite3 in the data folder].")
@click.pass_context
def main(ctx: click.Context, data: Path | None, database: str | None) -> None:
    """A reference portal embedding advisors."""
    folder = (data or default_data_dir()).resolve()
    # Delivery plugins (advisors-outbox) put their database beside the portal's by default.
    os.environ["ADVISORS_PORTAL_DATA"] = str(folder)
    ctx.obj = Portal(folder, database=database)


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
    app = create_app(portal.data, base_url=base_url, template_dirs=templates,
                     database=portal.database)
    root = (base_url or f"http://{host}:{port}/").rstrip("/")
    for _, _, token in portal.store.issue_missing([("admin", "admin")]):
        click.echo(f"administrator's sign-in link (shown once): {root}/signin/{token}", err=True)
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


@main.command(hidden=True)
@click.pass_obj
def worker(portal: Portal) -> None:
    """Publish once per line read on stdin and answer each with one line (the web
    process's republisher keeps one worker, so the library is imported once)."""
    for _ in sys.stdin:
        try:
            answer = {"ok": True, **portal.publish().summary()}
        except Exception as exc:  # reported to the web process, the worker goes on
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        click.echo(WORKER_MARK + json.dumps(answer, ensure_ascii=False))


@main.command()
@click.option("--base-url", default="http://127.0.0.1:8000/", show_default=True)
@click.pass_obj
def tokens(portal: Portal, base_url: str) -> None:
    """Issue a token to everyone without one and print it (shown this once: only its
    digest is kept), with its sign-in link and, for advisors and trainers, the feed."""
    root = base_url.rstrip("/")
    made = portal.store.issue_missing(owners(portal))
    for kind, ident, token in made:
        feed = f"{root}/calendars/me/{token}.ics" if kind in PERSONAL_KINDS else ""
        signin = f"{root}/signin/{token}" if kind != "trainer" else ""
        click.echo(f"{kind}\t{ident}\t{token}\t{feed}\t{signin}")
    issued = {(k, i) for k, i, _ in made}
    for kind, ident, when in portal.store.owners():
        if (kind, ident) not in issued:
            click.echo(f"# {kind} {ident}: token issued {when.isoformat()}; "
                       f"`rotate {kind} {ident}` gives a new one", err=True)


def owners(portal: Portal) -> list[tuple[str, str]]:
    """Everyone who gets a token: advisors, trainers, each township's office and liaison
    officer (from the current publication), the hotline and the administrator."""
    version = portal.store.current()
    people: list[tuple[str, str]] = [("admin", "admin"), ("hotline", "hotline")]
    if version is not None:
        info = json.loads((version.folder / "public" / "directory.json").read_text("utf-8"))
        people += [("advisor", a["id"]) for a in info["advisors"]]
        people += [("trainer", t["id"]) for t in info["trainers"]]
        people += [(kind, t["id"]) for t in info["townships"] for kind in ("office", "liaison")]
    return people


@main.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("ident")
@click.pass_obj
def rotate(portal: Portal, kind: str, ident: str) -> None:
    """Replace a token: the old feed URL and sign-in link stop working at once."""
    if (kind, ident) not in owners(portal) and not portal.store.has_token(kind, ident):
        click.echo(f"error: no {kind} {ident} in the published data", err=True)
        raise click.exceptions.Exit(2)
    click.echo(portal.store.rotate(kind, ident))


if __name__ == "__main__":
    sys.exit(main())
