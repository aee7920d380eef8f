"""A JSON array read element by element reads what orjson reads whole, refuses what it
refuses, and staging writes the same raw bytes (so the same raw key) as before.

The text is decoded a chunk of bytes at a time; with chunks of a few bytes, elements,
numbers, whitespace and multi-byte characters straddle their boundaries."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.exports import json_array as json_array_module
from etl.exports.extended import sanitize
from etl.exports.json_array import InvalidJson, NotAnArray, json_array
from etl.imports.importer import _sanitized_body

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@contextmanager
def chunks_of(size: int) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_array_module, "CHUNK_BYTES", size)
        yield


@given(
    st.lists(_VALUES, max_size=8),
    st.sampled_from([0, orjson.OPT_INDENT_2]),
    st.sampled_from([1, 2, 7, 16, json_array_module.CHUNK_BYTES]),
)
def test_elements_are_what_orjson_reads(values: list[Any], indent: int, chunk: int) -> None:
    text = orjson.dumps(values, option=indent)
    with chunks_of(chunk):
        assert list(json_array(text)) == orjson.loads(text)


@pytest.mark.parametrize("chunk", range(1, 24))
def test_every_split_of_numbers_whitespace_and_characters_reads_the_same(chunk: int) -> None:
    text = (
        '[1.5, 1e+5, -2E-3 ,\n 10, 18446744073709551615, "\u00e9\U0001f3b5\u4e2d", '
        '"\\ud83c\\udfb5 \\" x", true , false,null,-0.0 ,  {"k": [ ]} ,[]]  \n'
    ).encode()
    with chunks_of(chunk):
        assert list(json_array(text)) == orjson.loads(text)


def test_an_element_larger_than_a_chunk_is_read_whole() -> None:
    element = {"name": "\U0001f3b5" * 5000, "plays": list(range(500))}
    with chunks_of(7):
        assert list(json_array(orjson.dumps([element, element]))) == [element, element]


@given(st.lists(st.dictionaries(st.text(), _VALUES, max_size=4), max_size=2500))
def test_the_staged_body_is_what_orjson_writes_for_the_whole_list(records: list[Any]) -> None:
    expected = orjson.dumps(sanitize(copy.deepcopy(records)))
    assert _sanitized_body(iter(records)) == expected


@pytest.mark.parametrize(
    "text",
    [
        b" [ ] ",
        b'\n[\n  {},\n  {"a": [1, {"b": null}]}\n]\n',
        b"[123456789012345678901234567890, 18446744073709551615, -9223372036854775809]",
    ],
)
def test_whitespace_and_numbers_read_as_orjson_reads_them(text: bytes) -> None:
    assert list(json_array(text)) == orjson.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        b"[1E400]",
        b"[NaN]",
        b"[{}, ]",
        b"[{}] ]",
        b"[1",
        b"[ ] x",
        b"[1] " + b" " * 40 + b"x",
        b"[1] \xc3",
        b'["\xff"]',
        b"[" * 5000,
        b"{not json",
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, json_array_module.CHUNK_BYTES])
def test_what_orjson_refuses_is_invalid(text: bytes, chunk: int) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(text)
    with chunks_of(chunk), pytest.raises(InvalidJson):
        list(json_array(text))


def test_a_byte_that_is_not_utf8_in_a_later_chunk_is_refused_where_it_is() -> None:
    text = b"[" + b'"\xc3\xa9\xf0\x9f\x8e\xb5",' * 20 + b'"\xff"]'
    bad = text.index(b"\xff")
    with chunks_of(16), pytest.raises(InvalidJson, match=f"at byte {bad}$"):
        list(json_array(text))


@pytest.mark.parametrize(
    "text",
    [
        '[\n  {"a": 1},\n  {"b": tru}\n]',
        '[\n  "\U0001f3b5\U0001f3b5",\n  {"b" 2}\n]',
        "[1,\n\n  2\n  3]",
        '[\n  "\u00e9", "unterminated\n]',
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, json_array_module.CHUNK_BYTES])
def test_an_error_says_where_it_is_as_the_standard_library_does(text: str, chunk: int) -> None:
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    with chunks_of(chunk), pytest.raises(InvalidJson) as chunked:
        list(json_array(text.encode()))
    where = str(whole.value).rpartition(": ")[2]
    assert str(chunked.value).endswith(where), (str(chunked.value), str(whole.value))


def test_another_value_is_not_an_array_and_says_what_it_is() -> None:
    with pytest.raises(NotAnArray, match="found dict"):
        json_array(b'{"username": "alice"}')
