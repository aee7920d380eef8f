from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from etl.core.audio_features import AudioFeatures
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.enrich.features import ProviderUnavailable, fetch_features
from etl.enrich.providers import build_providers
from etl.pipeline.order import STEP_NAMES, STEPS
from etl.pipeline.steps import STEP_FUNCTIONS, run_step


def test_every_step_in_the_list_has_a_function_in_order() -> None:
    assert tuple(STEP_FUNCTIONS) == STEP_NAMES
    assert STEP_NAMES == ("transform", "load", "enrich", "apply")


def test_steps_that_call_the_internet_do_not_need_the_database() -> None:
    # A function in the VPC's isolated subnets has no route to the internet.
    for step in STEPS:
        assert not (step.needs_database and step.needs_internet), step.name


def test_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown pipeline step 'extract'"):
        run_step("extract", {}, None)  # type: ignore[arg-type]


def fixed_clock() -> datetime:
    """A clock standing at any fixed moment."""
    return datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class FakeProvider:
    def __init__(self, name: str, known: dict[str, float]) -> None:
        self.name = name
        self.known = known
        self.asked: list[list[str]] = []

    def fetch(self, track_ids: Any) -> list[AudioFeatures]:
        self.asked.append(list(track_ids))
        now = fixed_clock()
        return [
            AudioFeatures.from_values(t, self.name, now, {"valence": self.known[t]})
            for t in track_ids
            if t in self.known
        ]


def test_provider_chain_asks_each_provider_only_about_what_is_still_unknown() -> None:
    first = FakeProvider("first", {"a": 0.1})
    second = FakeProvider("second", {"a": 0.9, "b": 0.2})
    result = fetch_features([first, second], ["a", "b", "c", "a"])
    assert {(f.track_id, f.provider) for f in result.found} == {("a", "first"), ("b", "second")}
    assert result.unknown == ["c"]
    assert first.asked == [["a", "b", "c"]]
    assert second.asked == [["b", "c"]]


def test_a_provider_that_cannot_answer_leaves_its_tracks_for_later() -> None:
    class Refusing(FakeProvider):
        def fetch(self, track_ids: Any) -> list[AudioFeatures]:
            raise ProviderUnavailable("cooling down")

    second = FakeProvider("second", {"b": 0.2})
    result = fetch_features([Refusing("first", {}), second], ["a", "b"])
    assert [f.track_id for f in result.found] == ["b"]
    assert result.unknown == []  # "a" was not asked of every provider: not a miss


def test_unknown_provider_names_are_refused(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="Unknown audio-features provider 'magic'"):
        build_providers(
            ["sample", "magic"], Settings(home=tmp_path), LocalLake(tmp_path), fixed_clock
        )


def test_spotify_providers_need_a_spotify_app(tmp_path: Any) -> None:
    lake = LocalLake(tmp_path)
    without_app = build_providers(
        ["spotify", "reccobeats"], Settings(home=tmp_path), lake, fixed_clock
    )
    assert [p.name for p in without_app] == ["reccobeats"]
    with_app = Settings(home=tmp_path, spotify_client_id="app")
    with_app_providers = build_providers(["spotify", "reccobeats"], with_app, lake, fixed_clock)
    assert [p.name for p in with_app_providers] == ["spotify", "reccobeats"]
