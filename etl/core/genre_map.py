"""Raw genres onto a small set of parent genres, by the rules of `genre_parents.json`.

The rules are data: edit the file (its `about` says how it is read) and the next enrich
run's apply re-maps every stored genre.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAPPING_FILE = Path(__file__).with_name("genre_parents.json")
OTHER = "Other"
_SEPARATORS = re.compile(r"[-_/\s]+")


def normalise_genre(raw: str) -> str:
    """`Hip-Hop` -> `hip hop`: lower case, separators as single spaces."""
    return _SEPARATORS.sub(" ", raw.strip().lower()).strip()


@dataclass(frozen=True)
class GenreMapping:
    parents: tuple[str, ...]
    exact: dict[str, str]
    keywords: tuple[tuple[tuple[str, ...], str], ...]  # (words, parent), first match wins
    not_genres: frozenset[str]
    not_genre_patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_json(cls, document: dict[str, object]) -> GenreMapping:
        parents = tuple(str(name) for name in _list(document["parents"]))
        exact = {
            normalise_genre(str(genre)): str(parent)
            for genre, parent in _dict(document["exact"]).items()
        }
        keywords = tuple(
            (tuple(normalise_genre(str(rule[0])).split()), str(rule[1]))
            for rule in (_list(item) for item in _list(document["keywords"]))
        )
        unknown = {p for p in [*exact.values(), *(p for _, p in keywords)] if p not in parents}
        if OTHER not in parents or unknown:
            raise ValueError(
                f"Genre mapping: parents must include {OTHER!r} and every rule's parent "
                f"must be one of them (unknown: {sorted(unknown)})"
            )
        return cls(
            parents=parents,
            exact=exact,
            keywords=keywords,
            not_genres=frozenset(
                normalise_genre(str(tag)) for tag in _list(document["not_genres"])
            ),
            not_genre_patterns=tuple(
                re.compile(str(pattern)) for pattern in _list(document["not_genre_patterns"])
            ),
        )

    def rule_parent(self, raw: str) -> str | None:
        """The parent a rule gives `raw`, None when no rule knows it."""
        genre = normalise_genre(raw)
        if genre in self.exact:
            return self.exact[genre]
        words = genre.split()
        for keyword, parent in self.keywords:
            if _contains(words, keyword):
                return parent
        return None

    def parent(self, raw: str) -> str:
        """The parent of something a provider calls a genre: 'Other' when no rule knows it."""
        return self.rule_parent(raw) or OTHER

    def tag_parent(self, tag: str) -> str | None:
        """The parent of a free-form tag, None when the tag is not a genre (a rule must know
        it, and it is no country, decade or opinion)."""
        genre = normalise_genre(tag)
        if genre in self.not_genres or any(p.search(genre) for p in self.not_genre_patterns):
            return None
        return self.rule_parent(genre)


def _contains(words: list[str], keyword: tuple[str, ...]) -> bool:
    size = len(keyword)
    return any(tuple(words[i : i + size]) == keyword for i in range(len(words) - size + 1))


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"Genre mapping: expected a list, got {value!r}")
    return value


def _dict(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"Genre mapping: expected an object, got {value!r}")
    return value


@cache
def genre_mapping(path: Path = MAPPING_FILE) -> GenreMapping:
    return GenreMapping.from_json(json.loads(path.read_text(encoding="utf-8")))
