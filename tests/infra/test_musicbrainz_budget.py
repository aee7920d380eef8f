"""The enrich function's MusicBrainz budget fits its timeout at MusicBrainz's one request a
second, with room for the rest of the step."""

from __future__ import annotations

from cdk_app.etl import MUSICBRAINZ_CALL_BUDGET, STEP_ENVIRONMENT, STEP_TIMEOUT
from etl.core.settings import Settings


def test_the_enrich_budget_and_run_time_fit_the_step_timeout() -> None:
    settings = Settings()
    assert STEP_ENVIRONMENT["enrich"]["MOODIFY_MUSICBRAINZ_CALL_BUDGET"] == str(
        MUSICBRAINZ_CALL_BUDGET
    )
    assert settings.musicbrainz_interval_s == 1.0  # the default is MusicBrainz's limit
    assert MUSICBRAINZ_CALL_BUDGET * settings.musicbrainz_interval_s <= settings.musicbrainz_run_s
    assert settings.musicbrainz_run_s <= STEP_TIMEOUT.to_seconds() / 2
