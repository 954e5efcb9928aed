"""The plugin manager: built-ins, entry points, restriction, name clashes, typos, laziness."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import types
from collections.abc import Callable
from typing import Any

import pluggy
import pytest

import advisors.plugins as plugins
from advisors import PluginError, hookimpl
from advisors.plugins import (
    DEFAULT_PLUGINS,
    KINDS,
    collect,
    get_plugin_manager,
    lookup,
    plugin_info,
    reset_plugin_manager,
)


def plugin_module(name: str, **hooks: Callable[..., Any]) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


def register_assigner(name: str) -> Callable[..., None]:
    def register_assigners(register: Any) -> None:
        register(name, object(), f"assigner {name}")

    return register_assigners


@pytest.fixture
def fake_entry_points(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Install modules as if they were distributions with ``advisors`` entry points."""

    def install(**modules: types.ModuleType) -> None:
        eps = []
        for ep_name, module in modules.items():
            monkeypatch.setitem(sys.modules, module.__name__, module)
            eps.append(importlib.metadata.EntryPoint(ep_name, module.__name__, "advisors"))

        def entry_points(**kw: Any) -> list[importlib.metadata.EntryPoint]:
            return eps if kw.get("group") == "advisors" else []

        monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
        reset_plugin_manager()

    return install


def test_builtins_are_registered_first() -> None:
    pm = get_plugin_manager(fresh=True)
    names = [name for name, _ in pm.list_name_plugin()]
    assert names[: len(DEFAULT_PLUGINS)] == list(DEFAULT_PLUGINS)
    loaders = collect("loaders", pm)
    assert {"folder", "json"} <= set(loaders)
    assert loaders["folder"].plugin == "advisors.data.loaders"


def test_manager_is_built_once_and_fresh_on_request() -> None:
    a = get_plugin_manager()
    assert get_plugin_manager() is a
    assert get_plugin_manager(fresh=True) is not a


def test_entry_point_plugins_are_loaded(fake_entry_points: Callable[..., None]) -> None:
    fake_entry_points(alpha=plugin_module("fake_alpha", register_assigners=register_assigner("a")))
    found = collect("assigners")
    assert found["a"].plugin == "alpha"
    assert found["a"].description == "assigner a"


def test_load_plugins_env_restricts(monkeypatch: pytest.MonkeyPatch,
                                    fake_entry_points: Callable[..., None]) -> None:
    fake_entry_points(
        alpha=plugin_module("fake_alpha", register_assigners=register_assigner("a")),
        beta=plugin_module("fake_beta", register_assigners=register_assigner("b")),
    )
    monkeypatch.setenv("ADVISORS_LOAD_PLUGINS", "beta")
    assert set(collect("assigners", get_plugin_manager(fresh=True))) >= {"b"}
    assert "a" not in collect("assigners", get_plugin_manager(fresh=True))
    monkeypatch.setenv("ADVISORS_LOAD_PLUGINS", "")
    pm = get_plugin_manager(fresh=True)
    assert not {"a", "b"} & set(collect("assigners", pm))
    assert [n for n, _ in pm.list_name_plugin()] == list(DEFAULT_PLUGINS)  # built-ins stay
    monkeypatch.delenv("ADVISORS_LOAD_PLUGINS")
    assert {"a", "b"} <= set(collect("assigners", get_plugin_manager(fresh=True)))


def test_two_plugins_registering_one_name_is_an_error_naming_both(
    fake_entry_points: Callable[..., None],
) -> None:
    fake_entry_points(
        alpha=plugin_module("fake_alpha", register_assigners=register_assigner("same")),
        beta=plugin_module("fake_beta", register_assigners=register_assigner("same")),
    )
    with pytest.raises(PluginError) as info:
        collect("assigners")
    message = str(info.value)
    assert "'same'" in message and "'alpha'" in message and "'beta'" in message
    assert "ADVISORS_LOAD_PLUGINS" in message


def test_misspelt_hookimpl_is_caught(fake_entry_points: Callable[..., None]) -> None:
    typo = plugin_module("fake_typo", register_asigners=register_assigner("x"))
    fake_entry_points(typo=typo)
    with pytest.raises(PluginError) as info:
        get_plugin_manager()
    assert "typo" in str(info.value) and "register_asigners" in str(info.value)


def test_misspelt_hookimpl_caught_by_check_pending_directly() -> None:
    pm = get_plugin_manager(fresh=True)
    pm.register(plugin_module("fake_typo2", plan_publish=lambda plan, changes: None))
    with pytest.raises(pluggy.PluginValidationError):
        pm.check_pending()


def test_plugin_failing_to_import_is_a_plugin_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ep = importlib.metadata.EntryPoint("broken", "no_such_module_anywhere", "advisors")
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [ep] if kw.get("group") == "advisors" else [])
    with pytest.raises(PluginError) as info:
        get_plugin_manager(fresh=True)
    assert "broken" in str(info.value)


def test_lookup_lists_what_exists() -> None:
    assert lookup("loaders", "json").name == "json"
    with pytest.raises(PluginError) as info:
        lookup("loaders", "xlsx-nope")
    assert "folder" in str(info.value) and "json" in str(info.value)
    with pytest.raises(PluginError):
        collect("widgets")
    assert set(KINDS) == {"assigners", "schedulers", "exporters", "loaders", "constraints"}


def test_registering_without_a_name_is_an_error() -> None:
    pm = get_plugin_manager(fresh=True)
    pm.register(plugin_module("fake_noname", register_exporters=lambda register:
                              register("", object())))
    with pytest.raises(PluginError):
        collect("exporters", pm)


def test_plugin_info_lists_builtins_with_hooks() -> None:
    rows = plugin_info(get_plugin_manager(fresh=True))
    by_name = {r["name"]: r for r in rows}
    loaders = by_name["advisors.data.loaders"]
    assert loaders["builtin"] and "register_loaders" in loaders["hooks"]
    assert loaders["registers"]["loaders"] == ["folder", "json"]


def test_trace_env_prints_hook_calls(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ADVISORS_TRACE_HOOKS", "1")
    collect("loaders", get_plugin_manager(fresh=True))
    get_plugin_manager().hook.plan_published(plan=None, changes=None, publication=None)
    assert "plan_published" in capsys.readouterr().err


def test_no_plugin_loading_at_import_time() -> None:
    code = """
import pluggy
built = []
original = pluggy.PluginManager.__init__
def spy(self, *args, **kwargs):
    built.append(args)
    original(self, *args, **kwargs)
pluggy.PluginManager.__init__ = spy
import sys
import advisors, advisors.plugins, advisors.cli, advisors.data
assert advisors.plugins._manager is None, "manager built at import"
assert built == [], built
assert "advisors_ortools" not in sys.modules, "a plugin was imported"
assert "advisors.data.loaders" not in sys.modules, "a built-in plugin was imported"
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_module_state_is_reset_between_tests() -> None:
    assert plugins._manager is None  # the autouse fixture in conftest resets it
