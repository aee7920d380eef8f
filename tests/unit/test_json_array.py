"""A JSON array read element by element reads what orjson reads whole, refuses what it
refuses, and staging writes the same raw bytes (so the same raw key) as before."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(_VALUES, max_size=8), st.sampled_from([0, orjson.OPT_INDENT_2]))
def test_elements_are_what_orjson_reads(values: list[Any], indent: int) -> None:
    text = orjson.dumps(values, option=indent)
    assert list(json_array(text)) == orjson.loads(text)


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
        b'["\xff"]',
        b"[" * 5000,
        b"{not json",
    ],
)
def test_what_orjson_refuses_is_invalid(text: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(text)
    with pytest.raises(InvalidJson):
        list(json_array(text))


def test_another_value_is_not_an_array_and_says_what_it_is() -> None:
    with pytest.raises(NotAnArray, match="found dict"):
        json_array(b'{"username": "alice"}')
