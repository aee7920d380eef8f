"""The raw genre -> parent genre mapping (etl/core/genre_parents.json), the choice of
MusicBrainz's genres or tags, name matching, and the pacer that keeps one request a second."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.core.genre_map import MAPPING_FILE, OTHER, GenreMapping, genre_mapping
from etl.enrich.genres import best_match, chosen_genres, normalise_name
from etl.enrich.musicbrainz import Candidate, Pacer, lucene_phrase


@pytest.fixture(scope="module")
def mapping() -> GenreMapping:
    return genre_mapping()


@pytest.mark.parametrize(
    ("raw", "parent"),
    [
        ("folk", "Folk"),
        ("indie folk", "Folk"),
        ("Indie-Folk", "Folk"),
        ("singer-songwriter", "Folk"),
        ("folk rock", "Rock"),
        ("k-pop", "Pop"),
        ("K-Pop", "Pop"),
        ("indie pop", "Pop"),
        ("dream pop", "Pop"),
        ("hip hop", "Hip hop"),
        ("Hip-Hop", "Hip hop"),
        ("rap", "Hip hop"),
        ("trap", "Hip hop"),
        ("alternative hip hop", "Hip hop"),
        ("trip hop", "Electronic"),
        ("synth-pop", "Electronic"),
        ("house", "Electronic"),
        ("drum and bass", "Electronic"),
        ("post-punk", "Rock"),
        ("shoegaze", "Rock"),
        ("indie rock", "Rock"),
        ("doom metal", "Metal"),
        ("progressive metal", "Metal"),
        ("jazz fusion", "Jazz"),
        ("soul", "R&B"),
        ("contemporary r&b", "R&B"),
        ("modern classical", "Classical"),
        ("neo-classical", "Classical"),
        ("bluegrass", "Country"),
        ("reggaeton", "Latin"),
        ("bossa nova", "Latin"),
        ("dancehall", "Reggae"),
        ("delta blues", "Blues"),
        ("afrobeat", "World"),
        ("video game music", "Soundtrack"),
        ("zydeco", OTHER),
    ],
)
def test_a_genre_gets_its_parent(mapping: GenreMapping, raw: str, parent: str) -> None:
    assert mapping.parent(raw) == parent


@pytest.mark.parametrize("tag", ["seen live", "british", "80s", "1994", "female vocalists"])
def test_tags_that_are_no_genre_are_dropped(mapping: GenreMapping, tag: str) -> None:
    assert mapping.tag_parent(tag) is None


def test_a_tag_no_rule_knows_is_dropped_but_a_genre_is_other(mapping: GenreMapping) -> None:
    assert mapping.tag_parent("zydeco") is None
    assert mapping.parent("zydeco") == OTHER
    assert mapping.tag_parent("uk garage") == "Electronic"


def test_the_mapping_file_names_only_its_parents(mapping: GenreMapping) -> None:
    document = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    assert set(document["exact"].values()) | {p for _, p in document["keywords"]} <= set(
        mapping.parents
    )
    assert mapping.parents == (
        "Rock", "Pop", "Hip hop", "Electronic", "Folk", "Jazz", "Classical", "R&B", "Country",
        "Metal", "Latin", "Reggae", "Blues", "World", "Soundtrack", "Other",
    )  # fmt: skip


def test_an_edited_mapping_is_read_as_data(tmp_path: Path) -> None:
    document = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    document["exact"]["zydeco"] = "Country"
    edited = tmp_path / "genre_parents.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    assert genre_mapping(edited).parent("zydeco") == "Country"
    document["exact"]["zydeco"] = "Polka"
    edited.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="Polka"):
        GenreMapping.from_json(document)


def test_genres_win_over_tags_and_tags_are_weighed(mapping: GenreMapping) -> None:
    genres = [("folk", 2), ("indie folk", 5)]
    assert chosen_genres(genres, [("rock", 50)], mapping) == ["indie folk", "folk"]
    tags = [("seen live", 40), ("rock", 9), ("post-punk", 4), ("indie", 2), ("zydeco", 30)]
    # Not genres: "seen live", and "zydeco" (no rule knows it); "indie" has < 1/3 of 9 votes.
    assert chosen_genres([], tags, mapping) == ["rock", "post-punk"]
    assert chosen_genres([], [("seen live", 3)], mapping) == []


def test_names_match_across_spellings_and_scores_are_checked() -> None:
    assert normalise_name("Beyoncé & The Band!") == normalise_name("beyonce and the band")
    hits = [
        Candidate("a", "Sigur Rós", 100),
        Candidate("b", "Sigur Ros Tribute", 95),
    ]
    assert best_match("SIGUR RÓS", hits) == "a"
    assert best_match("Sigur Ros Tribute Band", hits) is None  # no hit has the name
    assert best_match("Sigur Rós", [Candidate("a", "Sigur Rós", 60)]) is None  # score too low
    groups = [
        Candidate("x", "Blue", 100, ("Other Artist",)),
        Candidate("y", "Blue", 98, ("Joni Mitchell",)),
    ]
    assert best_match("Blue", groups, "Joni Mitchell") == "y"


def test_lucene_special_characters_are_escaped() -> None:
    assert lucene_phrase('AC/DC: "Live"') == r'"AC\/DC\: \"Live\""'
    assert lucene_phrase("a+b (c)") == r'"a\+b \(c\)"'


def test_the_pacer_keeps_its_interval_and_holds_after_a_busy_answer() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(1.0, monotonic=lambda: now[0], sleep=sleep)
    with pacer.turn():  # the first goes at once
        now[0] += 0.5  # an exchange of half a second
    now[0] += 0.25
    with pacer.turn():  # a second after the first exchange ended
        pass
    assert slept == [pytest.approx(0.75)]
    now[0] += 3
    with pacer.turn():  # a second had passed: no wait
        pass
    pacer.hold(5)
    with pacer.turn():
        pass
    assert slept == [pytest.approx(0.75), pytest.approx(5)]
