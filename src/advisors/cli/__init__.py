"""The ``advisors`` command line: a thin shell over the library's functions.

Exit codes: 0 success; 1 a plugin or internal error; 2 bad input (the data,
a file, the options); 3 a plan whose hard rules cannot all be met (what was
found is still written, and explained). Errors are printed as sentences,
never as tracebacks; set ``ADVISORS_DEBUG=1`` to see the traceback too.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Sequence

import click

from ..errors import AdvisorsError, DataError, PluginError
from .speak import (
    choose_language,
    click_message,
    data_error_text,
    say,
    speak_click,
    translate_commands,
    using,
)

__all__ = ["COMMAND_MODULES", "EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "build_cli", "main"]

EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

COMMAND_MODULES: tuple[str, ...] = (
    "advisors.cli.dataset_cmds",
    "advisors.cli.plugins_cmd",
    "advisors.cli.assign_cmd",
    "advisors.cli.train_cmd",
    "advisors.cli.schedule_cmd",
    "advisors.cli.plan_cmd",
    "advisors.cli.ledger_cmd",
    "advisors.cli.translations_cmd",
)
"""Modules whose ``COMMANDS`` list is added to the root group, in order."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="advisors")
@click.option("--lang", type=click.Choice(["zh", "en"]), expose_value=False, is_eager=True,
              help="Language of messages: zh or en (default: from LANG/LC_ALL).")
def cli() -> None:
    """Plan rural legal services: village legal advisors, the 12348 hotline rota,
    training of legal-savvy persons (法律明白人) by bilingual trainers.

    \b
    Start from the bundled example:
      advisors init mydata --example tongren
      advisors check mydata
    """


def build_cli() -> click.Group:
    """The root group with the built-in commands and those plugins add."""
    for dotted in COMMAND_MODULES:
        for command in importlib.import_module(dotted).COMMANDS:
            cli.add_command(command)
    from ..plugins import get_plugin_manager

    get_plugin_manager().hook.register_commands(cli=cli)
    translate_commands(cli)
    return cli


def report_data_error(exc: DataError) -> None:
    """Print every problem of a DataError to stderr, one a line, in the user's language."""
    click.echo(click.style(say("error: "), fg="red", bold=True) + data_error_text(exc.problems),
               err=True)


def _show_usage_error(exc: click.ClickException) -> None:
    """Click's error in the user's language, with the hint to ask for help."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        option = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        click.echo(say("Try '{command} {option}' for help.", command=ctx.command_path,
                       option=option), err=True)
    click.echo(say("Error: {message}", message=click_message(exc.format_message())), err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``advisors`` console script."""
    code = run(argv)
    sys.exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code instead of exiting.

    It speaks Chinese under a Chinese locale (``LANG=zh_CN.UTF-8``) or with
    ``--lang zh``, English otherwise (:mod:`.speak`)."""
    with using(choose_language(list(argv) if argv is not None else sys.argv[1:])):
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        group = build_cli()
        result = group.main(args=list(argv) if argv is not None else None, prog_name="advisors",
                            standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo(say("aborted"), err=True)
        return 130
    except click.ClickException as exc:
        _show_usage_error(exc)
        return EXIT_BAD_INPUT if exc.exit_code == 2 else exc.exit_code
    except DataError as exc:
        report_data_error(exc)
        return EXIT_BAD_INPUT
    except PluginError as exc:
        click.echo(click.style(say("plugin error: "), fg="red", bold=True) + str(exc), err=True)
        return EXIT_ERROR
    except AdvisorsError as exc:
        click.echo(click.style(say("error: "), fg="red", bold=True) + str(exc), err=True)
        return EXIT_ERROR
    except OSError as exc:
        name = f" {exc.filename}" if exc.filename else ""
        click.echo(click.style(say("error: "), fg="red", bold=True)
                   + f"{exc.strerror or exc}{name}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        click.echo(say("interrupted"), err=True)
        return 130
    except Exception as exc:  # the last guard: a bug, said plainly
        if os.environ.get("ADVISORS_DEBUG"):
            traceback.print_exc()
        click.echo(
            click.style(say("internal error: "), fg="red", bold=True)
            + f"{type(exc).__name__}: {exc}. This is a bug in advisors or a plugin; "
            "run again with ADVISORS_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        return EXIT_ERROR


speak_click()
