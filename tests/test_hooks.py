"""One test per hook: a tiny plugin implements it on a fresh manager, and the core sees it.

``tests/test_docs.py`` checks that every hookspec has a ``test_hook_<name>`` here.
Hooks whose consumers later issues build are tested up to the point where
the core hands them over: ``collect()`` returns the registration, or
``pm.hook.<name>(...)`` reaches the implementation.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jinja2
import pytest

from advisors import Dataset, Plan, Publication, hookimpl
from advisors.cli import build_cli, run
from advisors.constraints import Constraint
from advisors.data.dispatch import load_dataset
from advisors.plugins import Loader, collect, get_plugin_manager, lookup
from advisors.rules import Violation

from .conftest import TONGREN


def plugin(name: str, **hooks: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


@pytest.fixture
def pm() -> Any:
    """A fresh manager holding the built-ins; tests add their plugin to it."""
    return get_plugin_manager(fresh=True)


def test_hook_register_assigners(pm: Any) -> None:
    def nearest(problem: Any) -> str:
        return f"assigned {problem}"

    pm.register(plugin("t_assign", register_assigners=lambda register:
                       register("test.nearest", nearest, "nearest advisor")))
    found = lookup("assigners", "test.nearest", pm)
    assert found.implementation("P") == "assigned P"
    assert found.plugin == "t_assign" and found.description == "nearest advisor"


def test_hook_register_schedulers(pm: Any) -> None:
    class Scheduler:
        kind = "visits"

    pm.register(plugin("t_sched", register_schedulers=lambda register:
                       register("visits.test", Scheduler(), "test scheduler")))
    found = collect("schedulers", pm)["visits.test"]
    assert found.implementation.kind == "visits"


def test_hook_register_exporters(pm: Any, tmp_path: Path) -> None:
    def export(plan: Any, out: Path) -> list[Path]:
        path = out / "hello.txt"
        path.write_text(str(plan), "utf-8")
        return [path]

    pm.register(plugin("t_export", register_exporters=lambda register:
                       register("test.hello", export)))
    exporter = collect("exporters", pm)["test.hello"].implementation
    assert exporter("plan", tmp_path) == [tmp_path / "hello.txt"]
    assert (tmp_path / "hello.txt").read_text("utf-8") == "plan"


def test_hook_register_loaders(pm: Any, tmp_path: Path, tongren: Dataset) -> None:
    calls: list[Path] = []

    def load(path: Path) -> Dataset:
        calls.append(path)
        return tongren

    pm.register(plugin("t_load", register_loaders=lambda register:
                       register("test.txt", Loader(load, suffixes=(".txt",)), "text")))
    source = tmp_path / "data.txt"
    source.write_text("anything", "utf-8")
    assert load_dataset(source) is tongren  # chosen by suffix, through the process manager
    assert load_dataset(source, format="test.txt") is tongren
    assert calls == [source, source]
    assert load_dataset(TONGREN) == tongren  # the built-in folder reader still wins for folders


def test_hook_register_constraints(pm: Any) -> None:
    # the facades' use of constraints is tested in tests/test_constraints.py
    def no_sundays(problem: Any, plan: Any) -> list[Violation]:
        return [Violation("", True, f"{d} is a Sunday") for d in plan if d == "sun"]

    pm.register(plugin("t_rule", register_constraints=lambda register: register(
        "test.no_sundays", Constraint("no visits on Sundays", "visits", no_sundays),
        "no visits on Sundays")))
    found = collect("constraints", pm)["test.no_sundays"]
    rule = found.implementation
    assert found.plugin == "t_rule" and rule.applies_to == "visits" and rule.hard
    assert [v.message for v in rule.check(None, ["mon", "sun"])] == ["sun is a Sunday"]


def test_hook_prepare_jinja2_environment(pm: Any) -> None:
    def prepare(env: jinja2.Environment) -> None:
        env.filters["shout"] = lambda text: f"{text}!"

    pm.register(plugin("t_jinja", prepare_jinja2_environment=prepare))
    env = jinja2.Environment(autoescape=True)
    pm.hook.prepare_jinja2_environment(env=env)
    assert env.from_string("{{ '法律' | shout }}").render() == "法律!"


@pytest.fixture
def clean_cli() -> Iterator[click.Group]:
    group = build_cli()
    before = set(group.commands)
    yield group
    for name in set(group.commands) - before:
        del group.commands[name]


def test_hook_register_commands(clean_cli: click.Group,
                                capsys: pytest.CaptureFixture[str]) -> None:
    @click.command("hello-test")
    def hello() -> None:
        """Say hello (a plugin's command)."""
        click.echo("你好")

    get_plugin_manager().register(plugin("t_cmd", register_commands=lambda cli:
                                         cli.add_command(hello)))
    assert "hello-test" in build_cli().commands
    assert run(["hello-test"]) == 0
    assert capsys.readouterr().out.strip() == "你好"


def test_hook_plan_published(pm: Any) -> None:
    seen: list[tuple[Any, ...]] = []
    pm.register(plugin("t_pub", plan_published=lambda plan, changes, publication: seen.append(
        (plan, changes, publication))))
    pm.hook.plan_published(plan="plan-2026-12", changes=["v1 moved"], publication="pub")
    assert seen == [("plan-2026-12", ["v1 moved"], "pub")]


def test_plan_published_implementations_may_take_a_subset_of_the_arguments(
        tmp_path: Path) -> None:
    # plugins written for plan_published(plan, changes) keep working after publication was added
    seen: dict[str, tuple[Any, ...]] = {}
    pm = get_plugin_manager()
    pm.register(plugin("t_two", plan_published=lambda plan, changes: seen.update(
        two=(plan, changes))))
    pm.register(plugin("t_one", plan_published=lambda publication: seen.update(
        one=(publication,))))
    pm.register(plugin("t_three", plan_published=lambda plan, changes, publication: seen.update(
        three=(plan, changes, publication))))
    assert run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "o"),
                "-q", "--exporters", "plan-json"]) in (0, 3)
    plan, changes, publication = seen["three"]
    assert seen["two"] == (plan, changes) and seen["one"] == (publication,)
    assert isinstance(publication, Publication) and isinstance(plan, Plan)
    assert (publication.period, publication.version, publication.stamp) \
        == (plan.period, plan.version, plan.stamp)
    assert publication.json_text() == (tmp_path / "o" / "plan.json").read_text("utf-8")
