"""A 20 MiB upload of empty objects is parsed in bounded memory, and its records counted.

Each `{}` is a malformed record (~7 million of them). The transform kept a message for
every one, and both staging and the transform parsed the file whole into a list of dicts
~25 times its size: the process grew by over 600 MiB. The peak is measured in a fresh
interpreter (its VmHWM), so nothing else in the test session counts. The same upload over
HTTP to the local server: `tests/integration/test_bounded_upload_server.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from etl.exports.extended import REPORTED_ERRORS, parse_records
from etl.pipeline.transform import quarantine_report

SIZE = 20 * 2**20
NAME = "Streaming_History_Audio_2024.json"

_MEASURE = f"""
import json
from etl.core.lake import LocalLake
from etl.core.keys import RawKey
from etl.exports.files import ExportFile
from etl.imports.importer import StagedExport, stage_file
from etl.pipeline.transform import transform_raw

def peak():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM"))

# Not b",".join(...): joining 7 million items allocates ~80 bytes for each, and that peak
# would hide the import's under the baseline.
body = b"[" + b"{{}}," * ({SIZE} // 3 - 1) + b"{{}}]"
lake = LocalLake(__import__("pathlib").Path({{lake!r}}))
before = peak()
outcome = stage_file(ExportFile({NAME!r}, {NAME!r}, body), lake, "alice", StagedExport())
raw = RawKey.parse(outcome.raw_key)
done = transform_raw(raw, lake.get(raw.key))
print(json.dumps({{
    "size": len(body), "grew": peak() - before, "read": done.read,
    "rejected": done.rejected_count, "listed": len(done.rejected),
}}))
"""


def test_a_20_mib_file_of_empty_objects_grows_the_process_by_a_small_multiple(
    tmp_path: Path,
) -> None:
    script = _MEASURE.replace("{lake!r}", repr(str(tmp_path)))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    measured = json.loads(run.stdout)
    records = (measured["size"] - 1) // 3
    assert (measured["read"], measured["rejected"]) == (records, records)
    assert measured["listed"] == REPORTED_ERRORS
    assert measured["grew"] < 5 * measured["size"], measured


def test_every_rejection_is_counted_and_the_first_ones_listed() -> None:
    records: list[dict[str, str]] = [{}] * (REPORTED_ERRORS * 3) + [{"ts": "2024-01-01T00:00:00Z"}]
    parsed = parse_records(records)
    assert parsed.rejected_count == len(records)
    assert sum(parsed.rejected_reasons.values()) == len(records)
    assert [index for index, _ in parsed.rejected] == list(range(REPORTED_ERRORS))
    report = json.loads(quarantine_report("raw/x", "why", parsed.rejected, parsed.rejected_count))
    assert report["rejected_records"] == len(records)
    assert len(report["first_errors"]) == REPORTED_ERRORS


def test_a_file_with_few_rejections_lists_them_all() -> None:
    parsed = parse_records([{}, {}])
    assert parsed.rejected_count == 2
    assert [index for index, _ in parsed.rejected] == [0, 1]
