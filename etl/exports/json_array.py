"""An export file's JSON array read one element at a time.

Parsed whole, an array of small records is a list of dicts many times the file's size:
each `{}` (3 bytes) becomes a dict of about 70, so a 20 MiB file of them grew the server by
600 MiB. Each element here is decoded by the standard library's JSON scanner as it is
reached, and dropped by whoever iterates once done with it.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator
from typing import Any, NoReturn

import orjson

# The bytes decoded at a time: the text held is about this many characters.
CHUNK_BYTES = 2**18
_OPENING = re.compile(rb"[ \t\n\r]*\[")
# A number this close to the window's end may go on in the next chunk: `1.` and `1e+`
# read as 1 until a digit follows.
_UNDECIDED = len("e+")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# What follows an element: a comma (then the next one), or the end of the array.
_AFTER_ELEMENT = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|(\]))")


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
    when it is not JSON at all; an element that is not valid JSON, or not UTF-8, raises
    InvalidJson when it is reached.
    """
    opening = _OPENING.match(data)
    if opening is None:
        # Not an array: parsed whole to say what it is (another file of an export, such
        # as Userdata.json, holds one small object).
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise InvalidJson(str(error)) from error
        raise NotAnArray(type(value).__name__)
    window = _Window(data, opening.end())
    return _elements(window, window.extend(0))


class _Window:
    """The text of `data` from where the reader is to a little past it.

    Decoded whole, the text of a file holding a single character above U+FFFF (an emoji in
    a track name) takes 4 bytes a character: four times the file, held for the whole read.
    Here the bytes are decoded a chunk at a time and what was read is dropped.
    """

    def __init__(self, data: bytes, start: int) -> None:
        self.text = ""
        self._data = memoryview(data)
        self._read = start  # the bytes of `data` decoded so far
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        # Where `text` starts in the whole text, for error messages (the opening is ASCII).
        self._chars = start
        self._lines = 1 + data.count(b"\n", 0, start)
        self._column = start - (data.rfind(b"\n", 0, start) + 1)

    @property
    def more(self) -> bool:
        """Whether some of `data` is not yet in the window."""
        return self._read < len(self._data)

    def extend(self, keep: int) -> int:
        """Drops the text before `keep`, adds the next chunk; returns where `keep` now is.

        The chunk is at least as large as what is kept, so an element larger than the
        window is decoded again only as many times as the window doubles.
        """
        self._chars += keep
        newlines = self.text.count("\n", 0, keep)
        self._lines += newlines
        if newlines:
            self._column = keep - self.text.rfind("\n", 0, keep) - 1
        else:
            self._column += keep
        size = max(CHUNK_BYTES, len(self.text) - keep)
        pending = len(self._decoder.getstate()[0])
        chunk = self._data[self._read : self._read + size]
        try:
            decoded = self._decoder.decode(chunk, final=self._read + size >= len(self._data))
        except UnicodeDecodeError as error:
            where = self._read - pending + error.start
            raise InvalidJson(f"not UTF-8: {error.reason} at byte {where}") from error
        self._read += size
        self.text = self.text[keep:] + decoded
        return 0

    def at(self, position: int) -> str:
        """Where `position` is in the whole text, as the standard library says it."""
        lines = self.text.count("\n", 0, position)
        if lines:
            column = position - self.text.rfind("\n", 0, position)
        else:
            column = self._column + position + 1
        return f"line {self._lines + lines} column {column} (char {self._chars + position})"

    def skip_whitespace(self, position: int) -> int:
        while (position := _always(_WHITESPACE, self.text, position).end()) == len(self.text):
            if not self.more:
                break
            position = self.extend(position)
        return position

    def decode(self, position: int) -> tuple[Any, int]:
        """The element at `position` (after whitespace) and where it ends."""
        while True:
            try:
                element, end = _DECODER.raw_decode(self.text, position)
            except json.JSONDecodeError as error:
                if not (self.more and _truncated(error, len(self.text))):
                    raise InvalidJson(f"{error.msg}: {self.at(error.pos)}") from error
            except ValueError as error:  # a number or constant orjson refuses
                raise InvalidJson(str(error)) from error
            except RecursionError as error:  # orjson's limit is a depth of 1024
                raise InvalidJson(f"nested too deeply at {self.at(position)}") from error
            else:
                if len(self.text) - end > _UNDECIDED or not self.more:
                    return element, end
            position = self.skip_whitespace(self.extend(position))

    def expect_end(self, position: int) -> None:
        """Refuses anything but whitespace from `position` to the end of the data."""
        position = self.skip_whitespace(position)
        if position < len(self.text):
            raise InvalidJson(f"text after the array at {self.at(position)}")


def _truncated(error: json.JSONDecodeError, length: int) -> bool:
    """Whether the scanner failed only because the text ends: within a literal's length
    of the end (`-Infinity` fails at its `-`), or in a string that is not closed."""
    return error.pos >= length - len("-Infinity") or error.msg.startswith("Unterminated string")


def _always(pattern: re.Pattern[str], text: str, position: int) -> re.Match[str]:
    match = pattern.match(text, position)
    assert match is not None  # the pattern matches the empty string
    return match


def _elements(window: _Window, position: int) -> Iterator[Any]:
    position = window.skip_whitespace(position)
    if window.text.startswith("]", position):
        window.expect_end(position + 1)
        return
    # Most elements end well inside the window: for them, one raw_decode and one match
    # (a file of millions of `{}` spends its time here); the rest go through `_Window`.
    text = window.text
    while True:
        try:
            element, end = _DECODER.raw_decode(text, position)
        except (ValueError, RecursionError):
            element, end = window.decode(position)
            text = window.text
        else:
            if len(text) - end <= _UNDECIDED and window.more:
                element, end = window.decode(position)
                text = window.text
        yield element
        after = _AFTER_ELEMENT.match(text, end)
        if after is None:  # whitespace to the window's end, or not JSON
            end = window.skip_whitespace(end)
            text = window.text
            after = _AFTER_ELEMENT.match(text, end)
            if after is None:
                raise InvalidJson(f"expected ',' or the array's end at {window.at(end)}")
        if after.lastindex == 2:
            window.expect_end(after.end())
            return
        position = after.end()
