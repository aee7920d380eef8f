"""Locally there is no bucket: the API receives an upload's file into the lake itself, then
unpacks it and runs the pipeline in-process, as the unpack function and the lake's events
do on AWS."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from etl.core.clock import Clock
from etl.core.keys import UploadKey
from etl.core.lake import LocalLake
from etl.exports.kinds import ACCOUNT_DATA
from etl.imports.presign import UploadLinkExpired, UploadRefused
from etl.imports.status import ImportStatus, import_status, load_status, mark_failed
from etl.imports.unpack import unpack_upload

if TYPE_CHECKING:
    from etl.pipeline.steps import ProcessRawKeys

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpectedUpload:
    upload: UploadKey
    max_bytes: int  # the size the import was created with


@dataclass(frozen=True)
class LocalReceipt:
    """What the local API needs to take an upload's file and import it."""

    lake: LocalLake
    work_dir: Path  # where an upload is unpacked
    process: ProcessRawKeys
    clock: Clock

    def expect(self, user_id: str, import_id: str) -> ExpectedUpload:
        """The upload an import waits for. Only an import that is still waiting takes a
        file, so a finished one is never replaced."""
        document = load_status(self.lake, user_id, import_id)
        if document.status != "waiting_for_upload" or document.size_bytes is None:
            raise UploadRefused("import_id", f"Import {import_id} already has its file")
        # As S3 refuses a presigned POST past its expiry.
        if document.upload_expires_at is not None and self.clock() > document.upload_expires_at:
            raise UploadLinkExpired(
                f"The upload link of import {import_id} expired; start the import again"
            )
        return ExpectedUpload(UploadKey.parse(document.upload_key), document.size_bytes)

    def import_upload(self, upload: UploadKey) -> ImportStatus:
        """Unpack a received upload, run the pipeline on what it staged, drop the upload.

        The raw objects are the source of truth from here on, so the upload goes (on AWS,
        after seven days).
        """
        try:
            unpacked = unpack_upload(self.lake, upload.key, self.work_dir, self.clock)
            # As `etl.pipeline.transform.in_pipeline_order`, told by what each file holds
            # rather than by its name.
            imported = sorted(unpacked.files, key=lambda f: f.taken_as in ACCOUNT_DATA)
            self.process([f.raw_key for f in imported if f.raw_key])
        except Exception as error:
            _log.exception("Import %s stopped", upload.import_id)
            message = f"The import stopped: {type(error).__name__}: {error}"
            mark_failed(self.lake, upload.user_id, upload.import_id, message, self.clock)
        finally:
            self.lake.delete(upload.key)
        return import_status(self.lake, upload.user_id, upload.import_id, self.clock)
