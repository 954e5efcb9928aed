"""The import graph of the package and the plugins, read from the source: no cycles, no siblings.

Every ``import`` statement counts, wherever it stands — inside a function, under
``if TYPE_CHECKING:`` — because a cycle hidden in a function is still a cycle
(docs/architecture.md: a shared piece moves down instead).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "src", *sorted((ROOT / "plugins").glob("*/src")))
CAPABILITIES = ("coverage", "visits", "hotline", "training")


def modules(roots: tuple[Path, ...] = SOURCES) -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package ``__init__``)."""
    found: dict[str, tuple[Path, bool]] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            package = parts[-1] == "__init__"
            if package:
                parts.pop()
            found[".".join(parts)] = (path, package)
    return found


def imports_of(name: str, path: Path, package: bool, known: Mapping[str, object]) -> set[str]:
    """Modules of ``known`` that ``name`` imports anywhere in its source."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            # ``from pkg import module`` depends on the module, not on pkg's __init__
            submodules = {f"{target}.{a.name}" for a in node.names} & known.keys()
            out.update(submodules)
            if len(submodules) < len(node.names):
                out.add(target)
    return {m for m in out if m in known and m != name}


@functools.cache
def graph(roots: tuple[Path, ...] = SOURCES) -> dict[str, set[str]]:
    """Module → the modules it imports (within ``roots``)."""
    known = modules(roots)
    return {name: imports_of(name, path, package, known)
            for name, (path, package) in known.items()}


def cycles(edges: Mapping[str, set[str]]) -> Iterator[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(v: str) -> Iterator[list[str]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                yield sorted(component)

    for v in sorted(edges):
        if v not in index:
            yield from visit(v)


def test_the_graph_sees_the_imports_that_matter() -> None:
    edges = graph()
    # a top-level import, a relative one, and one of a plugin
    assert "advisors.data.dataset" in edges["advisors.coverage.problem"]
    assert "advisors.hotline.rules" in edges["advisors.hotline.problem"]
    assert "advisors.plugins" in edges["advisors.hotline.api"]
    assert "advisors_xlsx.cells" in edges["advisors_xlsx.reader"]
    # a lazy import (numpy is optional) counts too
    assert "advisors.coverage.vector" in edges["advisors.coverage.problem"]


def test_cycles_are_found(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("def f():\n    from pkg import c\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\n"
                              "if TYPE_CHECKING:\n    from pkg.a import y\n")
    (pkg / "d.py").write_text("from . import a\n")
    assert list(cycles(graph((tmp_path,)))) == [["pkg.a", "pkg.b", "pkg.c"]]


@pytest.mark.parametrize("top", ["advisors", "advisors_ortools", "advisors_xlsx",
                                 "advisors_outbox"])
def test_no_import_cycles(top: str) -> None:
    edges = {m: deps for m, deps in graph().items() if m == top or m.startswith(top + ".")}
    assert edges, f"no modules of {top} found"
    assert list(cycles(edges)) == []


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capabilities_do_not_import_each_other(capability: str) -> None:
    own = f"advisors.{capability}"
    others = tuple(f"advisors.{c}" for c in CAPABILITIES if c != capability)
    found = {(m, d) for m, deps in graph().items() if m == own or m.startswith(own + ".")
             for d in deps if d.startswith(others)}
    assert found == set()


def test_few_modules_at_the_top_of_the_package() -> None:
    top = ROOT / "src" / "advisors"
    loose = sorted(p.name for p in top.glob("*.py"))
    assert len(loose) <= 14, loose  # 14: limits.py, the value rules every reader applies
    for capability in CAPABILITIES:
        shape = {p.stem for p in (top / capability).glob("*.py")}
        assert {"__init__", "problem", "greedy", "api"} <= shape, (capability, sorted(shape))
