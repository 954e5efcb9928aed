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
    return cli


def report_data_error(exc: DataError) -> None:
    """Print every problem of a DataError to stderr, one a line."""
    click.echo(click.style("error: ", fg="red", bold=True) + str(exc), err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``advisors`` console script."""
    code = run(argv)
    sys.exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code instead of exiting."""
    try:
        group = build_cli()
        result = group.main(args=list(argv) if argv is not None else None, prog_name="advisors",
                            standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT if exc.exit_code == 2 else exc.exit_code
    except DataError as exc:
        report_data_error(exc)
        return EXIT_BAD_INPUT
    except PluginError as exc:
        click.echo(click.style("plugin error: ", fg="red", bold=True) + str(exc), err=True)
        return EXIT_ERROR
    except AdvisorsError as exc:
        click.echo(click.style("error: ", fg="red", bold=True) + str(exc), err=True)
        return EXIT_ERROR
    except OSError as exc:
        name = f" {exc.filename}" if exc.filename else ""
        click.echo(click.style("error: ", fg="red", bold=True) + f"{exc.strerror or exc}{name}",
                   err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # the last guard: a bug, said plainly
        if os.environ.get("ADVISORS_DEBUG"):
            traceback.print_exc()
        click.echo(
            click.style("internal error: ", fg="red", bold=True)
            + f"{type(exc).__name__}: {exc}. This is a bug in advisors or a plugin; "
            "run again with ADVISORS_DEBUG=1 for the traceback and report it.",
            err=True,
        )
        return EXIT_ERROR
