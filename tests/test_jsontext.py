"""The plan files' JSON text, written fast, is exactly what ``json.dumps`` writes."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors.data import jsontext
from advisors.data.jsontext import Fragment, dump, dumps

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    st.text(max_size=20),
                    st.sampled_from(["第3镇", "བཀྲ་ཤིས་", "\"quoted\"\n\t\\", "\u2028", "\x00"]))
KEYS = st.one_of(st.text(max_size=10), st.sampled_from(["a", "b", "第1村", "z"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(inner, max_size=5).map(tuple),
    st.dictionaries(KEYS, inner, max_size=5)), max_leaves=40)


def reference(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@settings(max_examples=400)
@given(VALUES)
def test_the_text_is_json_dumps_sorted_and_indented(value: object) -> None:
    assert dumps(value) == reference(value)


@given(st.dictionaries(st.one_of(st.integers(), st.floats(allow_nan=False)), SCALARS,
                       max_size=5))
def test_number_keys_are_written_as_json_writes_them(value: dict[object, object]) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize("value", [{True: 1}, {None: 1}, {False: [], True: {}}, {2.5: 1, 1: 2}])
def test_scalar_keys(value: dict[object, object]) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize("value", [{1, 2}, {"a": object()}, {(1, 2): 3}, {None: 1, "b": 2}])
def test_what_json_refuses_is_refused(value: object) -> None:
    with pytest.raises(TypeError):
        reference(value)
    with pytest.raises(TypeError):
        dumps(value)


@given(VALUES, st.lists(st.integers(0, 2), max_size=4))
def test_a_fragment_is_placed_as_its_value_would_be(value: object, path: list[int]) -> None:
    # wrap the value in containers of varying depth: the fragment is re-indented to fit
    plain: object = value
    placed: object = Fragment(dumps(value))
    for step in path:
        if step == 0:
            plain, placed = [plain, 1], [placed, 1]
        elif step == 1:
            plain, placed = {"k": plain, "a": None}, {"k": placed, "a": None}
        else:
            plain, placed = (plain,), (placed,)
    assert dumps(placed) == reference(plain)


class Name(str):
    pass


class Count(int):
    pass


def test_subclasses_of_scalars_are_written_as_their_values() -> None:
    value = {Name("b"): [Name("第1村"), Count(3), True], "a": {"x": Count(-1)}}
    assert dumps(value) == reference(value)


class Opaque:
    """A value JSON cannot hold, which ``default`` turns into one."""

    def __init__(self, inner: object) -> None:
        self.inner = inner


def _unwrap(value: object) -> object:
    if isinstance(value, Opaque):
        return _unwrap(value.inner)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unwrap(v) for v in value]
    return value


OPAQUE = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5),
    inner.map(Opaque)), max_leaves=40)


@settings(max_examples=300)
@given(OPAQUE, st.integers(1, 5), st.text(max_size=2))
def test_dump_streams_the_same_text_in_utf8(value: object, pieces: int, end: str) -> None:
    # flushed after every few pieces, with what ``default`` makes of opaque values on the way
    sink = io.BytesIO()
    was = jsontext._PIECES
    jsontext._PIECES = pieces
    try:
        dump(value, sink, end, default=lambda v: v.inner if isinstance(v, Opaque) else v)
    finally:
        jsontext._PIECES = was
    assert sink.getvalue() == (reference(_unwrap(value)) + end).encode("utf-8")


def test_without_default_dump_refuses_as_dumps_does() -> None:
    with pytest.raises(TypeError):
        dump({"a": Opaque(1)}, io.BytesIO())
