"""``advisors init`` and ``advisors check``: start a dataset, and see what it holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click

from ..data.atomic import atomic_directory
from ..data.columns import FILES, REQUIRED_FILES
from ..data.csvfolder import read_folder
from ..data.dataset import Dataset
from ..data.dispatch import load_dataset
from ..data.examples import example_files, example_names, example_path
from ..data.tomlwrite import dumps_toml
from ..plugins import collect
from ..policy import Policy
from ..policy.presets import PRESETS
from ._table import render_table
from .speak import say

STARTER_README = """\
本文件夹是 advisors 的数据文件夹。请用 Excel 或 WPS 填写各 CSV 文件（保存为"CSV UTF-8"），
每行一条记录；类别、语言等可直接填中文（如 律师、藏语;汉语、是/否）。填好后运行：
  advisors check {folder}
必填：townships.csv、villages.csv、advisors.csv、trainers.csv、people.csv。
policy.toml 是工作规则，所列均为默认值，去掉行首的 # 即可修改。

This folder is an advisors dataset. Fill in the CSV files (UTF-8; Excel and
WPS: "CSV UTF-8"), one row per record, then run:  advisors check {folder}

Required: townships.csv, villages.csv, advisors.csv, trainers.csv, people.csv.
Optional: assignments.csv, unavailability.csv, venues.csv, attendance.csv,
travel.csv, calendar.toml. policy.toml holds the operating rules; every
value shown is the default — uncomment a line to change it.
The format of every column: docs/data-format.md in the advisors repository.
"""


def _starter(tmp: Path, folder: Path, preset: str | None) -> None:
    """The empty files of a new dataset in ``tmp``, which becomes ``folder`` when all is written."""
    for name in (*REQUIRED_FILES, "assignments", "unavailability", "venues", "requests"):
        spec = FILES[name]
        (tmp / spec.filename).write_text(",".join(c.name for c in spec.columns) + "\n", "utf-8")
    policy = Policy.from_dict({"preset": preset}) if preset else Policy()
    plain = policy.as_dict()
    plain.pop("preset")
    sources = PRESETS[preset].sources if preset else {}
    lines, section = [], ""
    for line in dumps_toml(plain).splitlines():
        if line.startswith("["):
            section = line.strip("[]")
            lines.append(line)
        elif line:
            key = line.split("=", 1)[0].strip()
            source = sources.get(f"{section}.{key}")
            if source:
                lines.append(f"# {section}.{key} — {source}")
            lines.append("# " + line)
        else:
            lines.append(line)
    head = ("# Operating rules; every value is the default. Uncomment to change.\n" if not preset
            else f"# Operating rules: the {preset} preset ({PRESETS[preset].title}), each of its\n"
                 "# values with its source; every other value is the library's default.\n"
                 "# Uncomment to change.\n"
                 f'preset = "{preset}"\n')
    (tmp / "policy.toml").write_text(head + "\n".join(lines) + "\n", "utf-8")
    (tmp / "README.txt").write_text(STARTER_README.format(folder=_shown_path(folder)), "utf-8")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", type=click.Choice(example_names() or ["tongren"]),
              help="Copy a bundled example dataset instead of empty files.")
@click.option("--preset", type=click.Choice(sorted(PRESETS)),
              help="Start policy.toml from a named region's rules (with their sources).")
@click.option("--force", is_flag=True, help="Replace FOLDER if it exists.")
@click.option("--format", "fmt", default="folder", show_default=True,
              help="folder (CSV files), or a format a plugin writes: xlsx (advisors-xlsx).")
def init(folder: Path, example: str | None, preset: str | None, force: bool, fmt: str) -> None:
    """Write a starter dataset into FOLDER: empty files with headers, or an example.

    \b
    Examples:
      advisors init mydata                    # headers only, policy defaults
      advisors init mydata --preset qinghai-tibetan-area   # Qinghai's Tibetan-area rules
      advisors init tongren --example tongren # the Tongren City example
      advisors init mydata --format xlsx      # one workbook with drop-downs
    """
    if folder.exists() and any(folder.iterdir()) and not force:
        raise click.UsageError(say("{path} exists and is not empty; use --force to replace it",
                                   path=folder))
    writer = None if fmt == "folder" else _format_writer(fmt)
    with atomic_directory(folder) as tmp:
        if writer is not None:
            target = tmp / writer.filename
            writer.write(target, read_folder(example_path(example)) if example else None)
            folder = folder / writer.filename
        elif example:
            for path in example_files(example):
                shutil.copy2(path, tmp / path.name)
        else:
            _starter(tmp, folder, preset)
    what = say("the {example} example", example=example) if example else say("a starter dataset")
    click.echo(say("wrote {what} to {folder}; next: advisors check {folder}", what=what,
                   folder=folder))


def _shown_path(folder: Path) -> str:
    """The folder as the user will type it in ``advisors check``: quoted if it has spaces."""
    text = str(folder)
    return f'"{text}"' if any(c.isspace() for c in text) else text


def _format_writer(fmt: str) -> Any:
    """The registered format ``fmt`` if it can write a dataset (a loader with ``write``)."""
    found = collect("loaders").get(fmt)
    if found is None and fmt == "xlsx":
        raise click.UsageError("--format xlsx needs the advisors-xlsx plugin: "
                               "install advisors-xlsx (pip install advisors-xlsx)")
    if found is None or not callable(getattr(found.implementation, "write", None)):
        writable = sorted(n for n, r in collect("loaders").items()
                          if callable(getattr(r.implementation, "write", None)))
        raise click.UsageError(f"no format {fmt!r} that writes a dataset; available: "
                               + ", ".join(["folder", *writable]))
    return found.implementation


def check_report(dataset: Dataset) -> dict[str, object]:
    """The facts ``advisors check`` shows, as plain data."""
    rows = dataset.summary()
    totals = {k: sum(int(r[k]) for r in rows) for k in rows[0] if isinstance(rows[0][k], int)} \
        if rows else {}
    return {
        "townships": rows,
        "totals": totals,
        "advisors": len(dataset.advisors),
        "active_advisors": sum(1 for a in dataset.advisors if a.active),
        "hotline_lawyers": sum(1 for a in dataset.advisors if a.hotline and a.active),
        "trainers": len(dataset.trainers),
        "people": len(dataset.people),
        "capacity": sum(dataset.capacity(a) for a in dataset.advisors if a.active),
    }


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--format", "fmt", help="Reader to use (folder, json, or a plugin's); "
              "default: chosen by the path.")
def check(source: Path, as_json: bool, fmt: str | None) -> None:
    """Validate the dataset at SOURCE and summarise it per township.

    Every problem in the data is listed with its file, line and field; the
    exit code is 2 if there is any.

    \b
    Examples:
      advisors check examples/tongren
      advisors check mydata --json
    """
    dataset = load_dataset(source, fmt)
    report = check_report(dataset)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    headers = [say(h) for h in ("township", "name", "villages", "communities",
                                "advisors of record", "without advisor", "legal-savvy",
                                "target", "below target")]
    keys = ["township", "name", "villages", "communities", "advisors_of_record",
            "villages_without_advisor", "legal_savvy_active", "legal_savvy_target",
            "villages_below_target"]
    table_rows = [[r[k] for k in keys] for r in report["townships"]]  # type: ignore[attr-defined]
    totals = report["totals"]
    table_rows.append([say("total"), "", *(totals.get(k, "") for k in keys[2:])])  # type: ignore[attr-defined]
    click.echo(render_table(headers, table_rows))
    click.echo("\n" + say(
        "{active} active advisors (capacity {capacity} villages), {hotline} on the 12348 "
        "hotline, {trainers} trainers, {people} people. Data OK.",
        active=report["active_advisors"], capacity=report["capacity"],
        hotline=report["hotline_lawyers"], trainers=report["trainers"], people=report["people"]))


COMMANDS = [init, check]
