"""What the app's requests share, built once by `api.signin_app.new_app` and reached through
`api.deps`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from api.answer_cache import AnswerCache
from api.db import Database
from etl.core.clock import Clock
from etl.core.lake import Lake, LocalLake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.spotify.sessions import SessionCodec, session_secret

if TYPE_CHECKING:
    from starlette.datastructures import URLPath

    from etl.imports.presign import Presigner
    from etl.imports.receipt import LocalReceipt
    from etl.pipeline.steps import ProcessRawKeys  # the steps themselves are not the API's
    from etl.spotify.ingest import Spotify
    from etl.warehouse.export import S3ExportLinks


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
    url_path_for: Callable[..., URLPath]  # the app's, for a route's path by its name

    @cached_property
    def sessions(self) -> SessionCodec:
        # Built on first use: the API function inside the VPC never needs the secret.
        return SessionCodec(session_secret(self.settings), self.clock)

    # The imports' modules are loaded by the imports router; imported here on first use, the
    # sign-in function, which serves no import, never loads them.

    @cached_property
    def presigner(self) -> Presigner:
        """Where the browser sends an import's file: a presigned POST to the lake bucket, or
        locally a PUT to this app."""
        from etl.imports.presign import LocalPut, S3PresignedPost

        if self.settings.lake_bucket:
            return S3PresignedPost.for_bucket(self.settings.lake_bucket, self.settings.aws_region)
        return LocalPut(
            lambda import_id: str(self.url_path_for("upload_import_file", import_id=import_id))
        )

    @cached_property
    def receipt(self) -> LocalReceipt | None:
        """Locally, the app takes an import's file itself; on AWS the lake's events do."""
        from etl.imports.receipt import LocalReceipt

        if not isinstance(self.lake, LocalLake):
            return None
        return LocalReceipt(
            self.lake, self.settings.home / "tmp", self.process_raw_keys, self.clock
        )

    @cached_property
    def export_links(self) -> S3ExportLinks:
        """On AWS, where exported files go and the links that fetch them: the lake bucket,
        through the client that signs the imports' upload links."""
        from etl.imports.presign import S3PresignedPost
        from etl.warehouse.export import S3ExportLinks

        presigner = self.presigner
        if not isinstance(presigner, S3PresignedPost):
            raise RuntimeError("Exports are links to the lake only on AWS")
        return S3ExportLinks(presigner.bucket, presigner.client)
