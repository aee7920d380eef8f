"""What became of every record of one raw object: the load step's report.

Every record read is exactly one of: a new play, a play already stored (a true duplicate:
the same play from the same or an equal source, or listed twice in the file), a play
superseded by a more trusted source (over that source's span, or by its matching play),
not a play (no track or episode: an app load, say), or rejected (with the reason). The
report is kept in the lake beside the raw object (`RawKey.records_key`), as JSON in the
shape the import status endpoint answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Literal, cast

Source = Literal["export", "account", "api"]
By = Literal["span", "match"]
ReportedKind = Literal["audio", "video"]


@dataclass(frozen=True)
class Superseded:
    """Records that gave way to `source`: within the span of `file` (of the `kind` of
    plays it holds, from `from_` to `to`), or because `file` holds the same plays."""

    source: Source
    by: By
    file: str | None
    kind: ReportedKind | None
    from_: datetime | None
    to: datetime | None
    records: int

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "by": self.by,
            "file": self.file,
            "kind": self.kind,
            "from": None if self.from_ is None else self.from_.isoformat(),
            "to": None if self.to is None else self.to.isoformat(),
            "records": self.records,
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Superseded:
        return cls(
            source=document["source"],
            by=document["by"],
            file=document["file"],
            kind=document["kind"],
            from_=_moment(document["from"]),
            to=_moment(document["to"]),
            records=int(document["records"]),
        )


@dataclass(frozen=True)
class Replaced:
    """Stored plays of a lesser `source` that this object's plays replaced."""

    source: Source
    by: By
    plays: int


@dataclass(frozen=True)
class RecordCounts:
    read: int
    new: int
    already_stored: int
    superseded: int
    not_plays: int
    rejected: int
    superseded_by: tuple[Superseded, ...] = ()
    rejected_reasons: tuple[tuple[str, int], ...] = ()  # (reason, records), most first
    # Not this object's records: plays stored earlier that its plays replaced.
    replaced: tuple[Replaced, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "already_stored": self.already_stored,
            "superseded": self.superseded,
            "not_plays": self.not_plays,
            "rejected": self.rejected,
            "superseded_by": [item.as_json() for item in self.superseded_by],
            "rejected_reasons": [
                {"reason": reason, "records": records} for reason, records in self.rejected_reasons
            ],
            "replaced": [
                {"source": item.source, "by": item.by, "plays": item.plays}
                for item in self.replaced
            ],
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> RecordCounts:
        return cls(
            read=int(document["read"]),
            new=int(document["new"]),
            already_stored=int(document["already_stored"]),
            superseded=int(document["superseded"]),
            not_plays=int(document["not_plays"]),
            rejected=int(document["rejected"]),
            superseded_by=tuple(Superseded.from_json(item) for item in document["superseded_by"]),
            rejected_reasons=tuple(
                (str(item["reason"]), int(item["records"])) for item in document["rejected_reasons"]
            ),
            replaced=tuple(
                Replaced(item["source"], item["by"], int(item["plays"]))
                for item in document.get("replaced", [])
            ),
        )


def reported_kind(span_kind: str | None) -> ReportedKind | None:
    """An extended file's kind as reports name it; account data's spans say it by their
    file (`StreamingHistory_music_*` or `StreamingHistory_podcast_*`)."""
    if span_kind in ("audio", "video"):
        return cast(ReportedKind, span_kind)
    return None


def file_name(lake_key: str | None) -> str | None:
    return None if lake_key is None else PurePosixPath(lake_key).name


def most_first(reasons: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(reasons, key=lambda item: (-item[1], item[0])))


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
