"""How much a 20 MiB upload grows the local server, against parsing the file whole.

Each upload goes over HTTP to the app `moodify serve` builds, under uvicorn in its own
process, on a fresh embedded PostgreSQL, and through the whole pipeline; the server's
growth is its peak RSS (VmHWM) once the import is over, less its peak before the upload
(`tests/integration/test_bounded_upload_server.py`, which this reuses). Side by side, the
baseline is a fresh interpreter that only reads the same JSON and parses it whole with
orjson, as staging and the transform did before.

- `{}` JSON: a 20 MiB `Streaming_History_Audio_*.json` of empty objects (7 million
  malformed records), uploaded as it is;
- `{}` zip: the same file zipped (about 1,000 to 1: the unzip limits refuse it);
- history zip: a zip of 20 MiB of varied Extended streaming history;
- emoji zip: the same history with an emoji in every track name, as real exports are
  written (UTF-8, not `\\u`-escaped): text with a character above U+FFFF is stored at 4
  bytes a character once decoded.

    python bench/upload_memory.py

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from moodify.database import embedded_server_url
from tests.integration.test_bounded_upload_server import (
    NAME,
    empty_objects,
    import_upload,
    listening_history,
    zipped,
)

_PARSED_WHOLE = """
import sys
import orjson

def peak():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM"))

data = open(sys.argv[1], "rb").read()
before = peak()
records = orjson.loads(data)
print(peak() - before)
"""
_MIB = 2**20


def parsed_whole(path: Path) -> int:
    """The peak growth of parsing the JSON file at `path` whole, in a fresh interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", _PARSED_WHOLE, str(path)], capture_output=True, text=True, check=True
    )
    return int(run.stdout)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="upload-memory-"))
    server = embedded_server_url(root / "pgdata")
    empty = root / NAME
    empty.write_bytes(empty_objects())
    history = root / "history" / NAME
    history.parent.mkdir()
    history.write_bytes(listening_history())
    emoji = root / "emoji" / NAME
    emoji.parent.mkdir()
    emoji.write_bytes(history.read_bytes().replace(b'"Track ', '"Track \U0001f3b5 '.encode()))
    cases = {
        "empty_json": (empty, empty),
        "empty_zip": (zipped(empty.read_bytes(), root / "empty.zip"), empty),
        "history_zip": (zipped(history.read_bytes(), root / "history.zip"), history),
        "emoji_zip": (zipped(emoji.read_bytes(), root / "emoji.zip"), emoji),
    }
    figures = []
    print(
        f"{'upload':<12} {'sent MiB':>9} {'JSON MiB':>9} {'server grew':>12} {'parsed whole':>13}"
    )
    for name, (upload, json_file) in cases.items():
        imported = import_upload(server, root / name, upload, pipeline=True)
        whole = parsed_whole(json_file)
        size = json_file.stat().st_size
        print(
            f"{name:<12} {upload.stat().st_size / _MIB:>9.2f} {size / _MIB:>9.1f} "
            f"{imported.grew / _MIB:>8.1f} MiB {whole / _MIB:>9.1f} MiB   "
            f"{imported.status['status']}: {imported.status['message']}"
        )
        figures += [
            f"{name}_grew_mib={imported.grew / _MIB:.1f}",
            f"{name}_vs_file={imported.grew / size:.2f}",
            f"{name}_vs_parsed_whole={imported.grew / whole:.2f}",
        ]
    print(" ".join(figures))


if __name__ == "__main__":
    main()
