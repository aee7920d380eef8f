"""What the app's requests share, built once by `create_app` and reached through `api.deps`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from api.answer_cache import AnswerCache
from api.db import Database
from etl.core.clock import Clock
from etl.core.lake import Lake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.imports.presign import Presigner
from etl.imports.receipt import LocalReceipt
from etl.spotify.ingest import Spotify
from etl.spotify.sessions import SessionCodec, session_secret

if TYPE_CHECKING:
    from etl.pipeline.steps import ProcessRawKeys  # the steps themselves are not the API's


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock  # the app's only source of "now" (a test passes a simulated one)
    database: Database
    answers: AnswerCache  # answers of the history's endpoints, until their data changes
    lake: Lake
    state_store: StateStore
    spotify: Callable[[Settings], Spotify]  # a client for a request's settings
    # Runs the pipeline on raw objects that sign-in writes; on AWS it does nothing, because
    # the lake's object events start the pipeline.
    process_raw_keys: ProcessRawKeys
    presigner: Presigner  # where the browser sends an import's file
    receipt: LocalReceipt | None  # locally, the API takes that file itself; not on AWS

    @cached_property
    def sessions(self) -> SessionCodec:
        # Built on first use: the API function inside the VPC never needs the secret.
        return SessionCodec(session_secret(self.settings), self.clock)
