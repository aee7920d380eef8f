"""The demo's friends: listeners of the same catalog whose taste overlaps the demo
listener's and whose mood differs as their `mood_shift` says."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from moodify.demo.friends import FRIENDS
from moodify.demo.sample import SampleExport, generate_sample_export

END = datetime(2026, 5, 1, tzinfo=UTC)


def listening(sample: SampleExport) -> tuple[Counter[str], float]:
    """Milliseconds per artist name, and the valence weighted by listening time."""
    features = json.loads(sample.features_path.read_text(encoding="utf-8"))
    valence = {track_id: values["valence"] for track_id, values in features.items()}
    by_artist: Counter[str] = Counter()
    weighted = total = 0.0
    for path in sample.files:
        for record in json.loads(path.read_text(encoding="utf-8")):
            uri = record.get("spotify_track_uri")
            if not uri:
                continue
            by_artist[record["master_metadata_album_artist_name"]] += record["ms_played"]
            track_id = uri.rsplit(":", 1)[1]
            if track_id in valence:
                weighted += valence[track_id] * record["ms_played"]
                total += record["ms_played"]
    return by_artist, weighted / total


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """The score /compare gives: the sum of the smaller of the two shares."""
    total_a, total_b = sum(a.values()), sum(b.values())
    return sum(min(a[name] / total_a, b[name] / total_b) for name in a.keys() & b.keys())


def test_friends_share_the_catalog_and_much_taste_but_not_the_mood(tmp_path: Path) -> None:
    demo = generate_sample_export(tmp_path / "demo", years=0.5, end=END)
    demo_artists, demo_valence = listening(demo)
    for friend in FRIENDS:
        sample = generate_sample_export(
            tmp_path / friend.user_id,
            years=0.5,
            end=END,
            listener_seed=friend.listener_seed,
            mood_shift=friend.mood_shift,
            intensity=friend.intensity,
        )
        assert sample.features_path.read_bytes() == demo.features_path.read_bytes()
        artists, valence = listening(sample)
        assert 0.3 < overlap(demo_artists, artists) < 0.9
        # Brighter or darker as the shift says, by a visible margin.
        assert (valence - demo_valence) * friend.mood_shift > 0
        assert abs(valence - demo_valence) > 0.03
