"""The documentation is part of the contract: hooks, file columns and policy keys.

- every hookspec in :mod:`advisors.hookspecs` appears in ``docs/plugin_hooks.md``
  with its exact signature, and has a ``test_hook_<name>`` somewhere in tests/;
- the column tables of ``docs/data-format.md`` and the policy table of
  ``docs/policy.md`` are generated from the code (``advisors.data.columns.FILES``
  and ``Policy()``); when they drift, regenerate them with::

      python -m tests.test_docs
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisors import hookspecs
from advisors.data.columns import FILES, REQUIRED_FILES, format_cell
from advisors.policy import Policy

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"


def hookspec_names() -> list[str]:
    return sorted(
        name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "advisors_spec")
    )


def signature_text(name: str) -> str:
    """``name(arg: Type) -> None`` as written in the source (annotations unevaluated)."""
    sig = inspect.signature(getattr(hookspecs, name))
    return f"{name}{sig}".replace("'", "")


def test_there_are_hooks() -> None:
    assert {"register_assigners", "register_loaders", "plan_published"} <= set(hookspec_names())


@pytest.mark.parametrize("name", hookspec_names())
def test_hook_documented_with_exact_signature(name: str) -> None:
    doc = (DOCS / "plugin_hooks.md").read_text("utf-8")
    assert f"### `{signature_text(name)}`" in doc, (
        f"docs/plugin_hooks.md needs a section '### `{signature_text(name)}`'"
    )


@pytest.mark.parametrize("name", hookspec_names())
def test_hook_has_a_test(name: str) -> None:
    pattern = re.compile(rf"^def test_hook_{name}\(", re.M)
    assert any(pattern.search(p.read_text("utf-8")) for p in TESTS.glob("test_*.py")), (
        f"no test_hook_{name} in tests/"
    )


def test_documented_hooks_exist() -> None:
    doc = (DOCS / "plugin_hooks.md").read_text("utf-8")
    documented = set(re.findall(r"^### `(\w+)\(", doc, re.M))
    assert documented == set(hookspec_names())


# --- generated tables ---------------------------------------------------------------------


def render_columns(name: str) -> str:
    spec = FILES[name]
    rows = ["| column | required | expected | when empty |", "|---|---|---|---|"]
    for c in spec.columns:
        if c.required:
            empty = "error"
        elif c.default is None or c.default == "" or c.default == ():
            empty = "no value" if c.default is None else "empty"
        else:
            empty = f"`{format_cell(c.default)}`"
        rows.append(f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.expected} | {empty} |")
    return "\n".join(rows)


def attribute_docs() -> dict[tuple[str, str], str]:
    """(class name, attribute) → first sentence of its attribute docstring in policy.py."""
    tree = ast.parse((ROOT / "src" / "advisors" / "policy.py").read_text("utf-8"))
    out: dict[tuple[str, str], str] = {}
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        body = cls.body
        for i, node in enumerate(body):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and i + 1 < len(body) and isinstance(body[i + 1], ast.Expr)):
                value = body[i + 1].value  # type: ignore[attr-defined]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    text = " ".join(value.value.split()).replace("``", "`")
                    out[(cls.name, node.target.id)] = text
    return out


def _toml_value(value: Any) -> str:
    from advisors.data.tomlwrite import _value

    return _value(value, False)


def render_policy() -> str:
    docs = attribute_docs()
    policy = Policy()
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for key, value in policy.as_dict().items():
        section = getattr(policy, key)
        if isinstance(value, dict) and hasattr(type(section), "__attrs_attrs__"):
            for sub, subvalue in value.items():
                doc = docs.get((type(section).__name__, sub), "")
                rows.append(f"| `{key}.{sub}` | `{_toml_value(subvalue)}` | {doc} |")
        else:
            doc = docs.get(("Policy", key), "")
            rows.append(f"| `{key}` | `{_toml_value(value)}` | {doc} |")
    return "\n".join(row.replace(" |  |", " | |") for row in rows)


GENERATED: dict[str, dict[str, Callable[[], str]]] = {
    "data-format.md": {f"columns:{name}": (lambda n=name: render_columns(n)) for name in FILES},
    "policy.md": {"policy": render_policy},
}
BLOCK = re.compile(r"(<!-- generated: (?P<key>[\w:]+) -->\n)(?P<body>.*?)\n?<!-- end -->", re.S)


def regenerate(text: str, blocks: dict[str, Callable[[], str]]) -> str:
    return BLOCK.sub(lambda m: m[1] + blocks[m["key"]]() + "\n<!-- end -->", text)


@pytest.mark.parametrize("filename", sorted(GENERATED))
def test_generated_tables_are_current(filename: str) -> None:
    text = (DOCS / filename).read_text("utf-8")
    keys = {m["key"] for m in BLOCK.finditer(text)}
    assert keys == set(GENERATED[filename]), "a generated block is missing or unknown"
    assert regenerate(text, GENERATED[filename]) == text, (
        f"docs/{filename} is out of date with the code: run `python -m tests.test_docs`"
    )


def test_every_file_and_policy_key_is_documented() -> None:
    fmt = (DOCS / "data-format.md").read_text("utf-8")
    for name in FILES:
        assert f"`{FILES[name].filename}`" in fmt
    for name in REQUIRED_FILES:
        assert f"`{name}.csv`" in fmt
    for name in ("calendar.toml", "policy.toml"):
        assert name in fmt
    policy_doc = (DOCS / "policy.md").read_text("utf-8")
    for key, value in Policy().as_dict().items():
        section = isinstance(value, dict) and hasattr(getattr(Policy(), key), "__attrs_attrs__")
        keys = [f"{key}.{k}" for k in value] if section else [key]
        for k in keys:
            assert f"`{k}`" in policy_doc, k


def test_example_rows_in_data_format_parse(tmp_path: Path) -> None:
    """The example CSV blocks of docs/data-format.md load as a dataset."""
    from advisors import read_folder

    fmt = (DOCS / "data-format.md").read_text("utf-8")
    blocks = re.findall(r"```csv title=(\S+)\n(.*?)```", fmt, re.S)
    assert {name for name, _ in blocks} >= {f"{n}.csv" for n in REQUIRED_FILES}
    for name, body in blocks:
        (tmp_path / name).write_text(body, "utf-8")
    data = read_folder(tmp_path)
    assert data.villages and data.people


if __name__ == "__main__":
    for filename, blocks in GENERATED.items():
        path = DOCS / filename
        path.write_text(regenerate(path.read_text("utf-8"), blocks), "utf-8")
        print(f"regenerated {path.relative_to(ROOT)}", file=sys.stderr)
