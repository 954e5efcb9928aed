"""The plugin manager: built-ins first, then installed plugins, then a check.

Built-in strategies, loaders and exporters are ordinary plugins inside the
package, registered by dotted path. Third-party plugins are distributions
with an entry point in the ``advisors`` group. Nothing is loaded at import
time: :func:`get_plugin_manager` builds a manager on first use.

Environment variables:

``ADVISORS_LOAD_PLUGINS``
    Comma-separated entry-point names to load; unset loads all, empty loads none.
``ADVISORS_TRACE_HOOKS``
    Set to ``1`` to print every hook call and result to stderr.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .constraints import Bound
from .errors import PluginError

__all__ = [
    "DEFAULT_PLUGINS",
    "KINDS",
    "Loader",
    "Registered",
    "collect",
    "get_plugin_manager",
    "lookup",
    "plugin_info",
    "reset_plugin_manager",
]

DEFAULT_PLUGINS: tuple[str, ...] = (
    "advisors.data.loaders",
    "advisors.coverage.greedy",
    "advisors.training.greedy",
    "advisors.visits.greedy",
    "advisors.hotline.greedy",
    "advisors.output.exporters",
    "advisors.output.ledger_exporters",
)
"""In-package plugins, registered before any installed one."""

KINDS: tuple[str, ...] = ("assigners", "schedulers", "exporters", "loaders", "constraints")
"""What ``register_<kind>`` hooks collect."""

_manager: pluggy.PluginManager | None = None


@attrs.frozen
class Registered:
    """One thing a plugin registered."""

    name: str
    implementation: Any
    description: str
    plugin: str
    """Name of the plugin that registered it."""


@attrs.frozen
class Loader:
    """A dataset reader: what it reads and how."""

    load: Callable[[Path], Any]
    """Path → :class:`~advisors.data.dataset.Dataset`."""
    suffixes: tuple[str, ...] = ()
    """File endings it reads (``.json``); empty for folder readers."""
    folders: bool = False
    """Whether it reads a folder."""

    def accepts(self, path: Path) -> bool:
        """Whether this loader reads ``path``."""
        if path.is_dir():
            return self.folders
        return path.suffix.lower() in self.suffixes


def get_plugin_manager(*, fresh: bool = False) -> pluggy.PluginManager:
    """The process's plugin manager, built on first call (or anew with ``fresh``)."""
    global _manager
    if _manager is not None and not fresh:
        return _manager
    pm = pluggy.PluginManager("advisors")
    pm.add_hookspecs(hookspecs)
    for dotted in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(dotted), name=dotted)
    _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        # A hook implementation whose name is not a hook: almost always a typo.
        raise PluginError(
            f"plugin {pm.get_name(exc.plugin)!r} implements an unknown hook: {exc}; "
            "see docs/plugin_hooks.md for the hook names"
        ) from exc
    if os.environ.get("ADVISORS_TRACE_HOOKS", "") not in ("", "0"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    _manager = pm
    return pm


def reset_plugin_manager() -> None:
    """Forget the process's manager (tests use this after changing the environment)."""
    global _manager
    _manager = None


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    wanted_env = os.environ.get("ADVISORS_LOAD_PLUGINS")
    wanted = None if wanted_env is None else {w.strip() for w in wanted_env.split(",") if w.strip()}
    for ep in sorted(importlib.metadata.entry_points(group="advisors"), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
        try:
            pm.register(plugin, name=ep.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) cannot be registered: {exc}") \
                from exc
        if ep.dist is not None:
            pm._plugin_distinfo.append((plugin, ep.dist))


def collect(kind: str, pm: pluggy.PluginManager | None = None) -> dict[str, Registered]:
    """Everything registered through ``register_<kind>``, by name, in registration order.

    Raises :class:`PluginError` when two plugins register one name.
    """
    if kind not in KINDS:
        raise PluginError(f"unknown plugin kind {kind!r}; expected one of {', '.join(KINDS)}")
    pm = pm or get_plugin_manager()
    found: dict[str, Registered] = {}
    caller = getattr(pm.hook, f"register_{kind}")
    # in registration order: built-ins first, so a listing starts with them
    for impl in caller.get_hookimpls():
        plugin_name = pm.get_name(impl.plugin) or repr(impl.plugin)

        def register(name: str, implementation: Any, description: str = "",
                     _plugin: str = plugin_name) -> None:
            if not isinstance(name, str) or not name:
                raise PluginError(f"plugin {_plugin!r} registered one of its {kind} without a name")
            if name in found:
                raise PluginError(
                    f"two plugins register the {kind[:-1]} {name!r}: "
                    f"{found[name].plugin!r} and {_plugin!r}; uninstall one, or restrict "
                    "plugins with ADVISORS_LOAD_PLUGINS"
                )
            found[name] = Registered(name, implementation, description, _plugin)

        impl.function(register=register)
    return found


def lookup(kind: str, name: str, pm: pluggy.PluginManager | None = None) -> Registered:
    """The implementation registered as ``name``; a PluginError lists what exists."""
    found = collect(kind, pm)
    if name not in found:
        available = ", ".join(sorted(found)) or "none installed"
        raise PluginError(f"no {kind[:-1]} named {name!r}; available: {available}")
    return found[name]


def plugin_info(pm: pluggy.PluginManager | None = None) -> list[dict[str, Any]]:
    """Every plugin with its version and the hooks it implements, for ``advisors plugins``."""
    pm = pm or get_plugin_manager()
    versions: Mapping[Any, Any] = {
        plugin: dist for plugin, dist in pm.list_plugin_distinfo()
    }
    rows = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        dist = versions.get(plugin)
        hooks = sorted(impl.name for impl in pm.get_hookcallers(plugin) or ())
        registered = {
            kind: sorted(r.name for r in collect(kind, pm).values() if r.plugin == name)
            for kind in KINDS if f"register_{kind}" in hooks
        }
        rows.append({
            "name": name,
            "version": dist.version if dist is not None else _own_version(),
            "builtin": name in DEFAULT_PLUGINS,
            "hooks": hooks,
            "registers": registered,
        })
    return rows


def _own_version() -> str:
    try:
        return importlib.metadata.version("advisors")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from source
        return "0+unknown"


def installed_constraints() -> tuple[Bound, ...]:
    """Every constraint plugins register (``register_constraints``), in registration order."""
    return tuple(Bound(reg.plugin, reg.implementation, name)
                 for name, reg in collect("constraints").items())


def scheduler_strategies(kind: str) -> list[str]:
    """Installed strategies for ``kind`` (``visits``, ``hotline``), e.g. ``["cpsat", "greedy"]``."""
    return sorted(name.split(".", 1)[1] for name, reg in collect("schedulers").items()
                  if getattr(reg.implementation, "kind", None) == kind
                  and name.startswith(kind + "."))


def scheduler(kind: str, strategy: str) -> object:
    """The scheduler ``<kind>.<strategy>``; ``auto``: cpsat if installed, else greedy."""
    installed = scheduler_strategies(kind)
    if strategy == "auto":
        strategy = "cpsat" if "cpsat" in installed else "greedy"
    if strategy not in installed:
        raise PluginError(f"no {kind} scheduler named {strategy!r}; available: "
                          + (", ".join(installed) or "none installed"))
    return collect("schedulers")[f"{kind}.{strategy}"].implementation
