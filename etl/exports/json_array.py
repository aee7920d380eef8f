"""An export file's JSON array read one element at a time.

Parsed whole, an array of small records is a list of dicts many times the file's size:
each `{}` (3 bytes) becomes a dict of about 70, so a 20 MiB file of them grew the server by
600 MiB. Each element here is decoded by the standard library's JSON scanner as it is
reached, and dropped by whoever iterates once done with it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, NoReturn

import orjson

_OPENING = re.compile(r"[ \t\n\r]*\[[ \t\n\r]*")
# What follows an element: more of them, or the end of the array (then nothing else).
_AFTER_ELEMENT = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\][ \t\n\r]*\Z)")


class InvalidJson(ValueError):
    """The text is not JSON, or not UTF-8."""


class NotAnArray(ValueError):
    """Valid JSON, but not an array; `found` names the Python type it parses to."""

    def __init__(self, found: str) -> None:
        super().__init__(f"found {found}")
        self.found = found


# Numbers are read as orjson reads them, so that a file's records written back by orjson
# are the same bytes (a raw key is their digest) as when the file was parsed whole.
_INTEGERS = range(-(2**63), 2**64)


def _number(text: str) -> int | float:
    value = int(text)
    return value if value in _INTEGERS else float(text)


def _fraction(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is infinity when parsed as double")
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(
    parse_int=_number, parse_float=_fraction, parse_constant=_refuse_constant
)


def json_array(data: bytes) -> Iterator[Any]:
    """The elements of the JSON array `data`, each parsed as the iterator reaches it.

    Raises NotAnArray at once when `data` is valid JSON of another type, and InvalidJson
    when it is not JSON at all; an element that is not valid JSON raises InvalidJson when
    it is reached.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidJson(str(error)) from error
    opening = _OPENING.match(text)
    if opening is None:
        # Not an array: parsed whole to say what it is (another file of an export, such
        # as Userdata.json, holds one small object).
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise InvalidJson(str(error)) from error
        raise NotAnArray(type(value).__name__)
    return _elements(text, opening.end())


def _elements(text: str, start: int) -> Iterator[Any]:
    if text.startswith("]", start):
        if text[start + 1 :].strip(" \t\n\r"):
            raise InvalidJson(f"text after the array at char {start + 1}")
        return
    position = start
    while True:
        try:
            element, position = _DECODER.raw_decode(text, position)
        except ValueError as error:
            raise InvalidJson(str(error)) from error
        except RecursionError as error:  # orjson's limit is a depth of 1024
            raise InvalidJson(f"nested too deeply at char {position}") from error
        yield element
        after = _AFTER_ELEMENT.match(text, position)
        if after is None:
            raise InvalidJson(f"expected ',' or the array's end at char {position}")
        if after.group(1) is None:
            return
        position = after.end()
