"""`moodify demo`'s friends: imported once under their own users with their names, sharing
with the demo user, and never taken for the history `moodify serve` shows."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from moodify import local
from moodify.demo import friends
from moodify.demo.sample import generate_sample_export

GENERATED_AT = datetime(2031, 5, 17, 16, 20, tzinfo=UTC)


def test_the_demo_friends_share_and_stay_in_the_background(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A few months each, not the demo's years: the wiring is what is tested here.
    short = partial(generate_sample_export, years=0.25)
    monkeypatch.setattr(local, "generate_sample_export", short)
    monkeypatch.setattr(friends, "generate_sample_export", short)
    settings = local.demo_settings(local.local_settings())
    local.prepare_demo(settings, lambda: GENERATED_AT)
    assert friends.prepare_friends(settings, lambda: GENERATED_AT) == ["Robin", "Sasha"]

    whose = local.whose_data(local.local_settings())
    assert (whose.user_id, whose.histories) == ("demo", ("demo",))
    with TestClient(create_app(settings, clock=lambda: GENERATED_AT)) as client:
        listed = client.get("/api/v1/compare").json()
        assert listed == {
            "shared": True,
            "friends": [
                {"user_id": "demo-friend-robin", "display_name": "Robin"},
                {"user_id": "demo-friend-sasha", "display_name": "Sasha"},
            ],
        }
        robin = client.get("/api/v1/compare/demo-friend-robin").json()
        assert robin["score"] > 30
        assert robin["mood"]["difference"]["valence"] < 0  # Robin's music is brighter

        # Run again, after the demo user stopped sharing: nothing new, the choice stands.
        assert client.put("/api/v1/sharing", json={"shared": False}).status_code == 200
        assert friends.prepare_friends(settings, lambda: GENERATED_AT) == []
        assert client.get("/api/v1/sharing").json()["shared"] is False
