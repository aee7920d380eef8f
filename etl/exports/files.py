"""Finding the export files in what a user hands over: a zip, a folder or single files.

Zips are read in memory, never extracted, and only after their central directory passes
limits on member count, total uncompressed size and compression ratio (zip bombs), and
on member names (no absolute paths, no `..`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3  # a 12-year history is ~250 MB; this leaves room
MAX_MEMBER_UNCOMPRESSED = 512 * 1024**2
MAX_COMPRESSION_RATIO = 100  # JSON compresses ~10-20x; far beyond that is a bomb


class UnsafeArchive(ValueError):
    """The zip is refused whole."""


@dataclass(frozen=True)
class ExportFile:
    name: str  # the file name, without folders
    origin: str  # where it came from, for messages
    data: bytes
    refused: str | None = None  # why a whole archive was refused (then `data` is empty)


def _check_members(archive: zipfile.ZipFile, origin: str) -> list[zipfile.ZipInfo]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchive(f"{origin}: {len(members)} files is more than {MAX_MEMBERS}")
    total = 0
    for info in members:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise UnsafeArchive(f"{origin}: member {info.filename!r} climbs out of the archive")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_UNCOMPRESSED or ratio > MAX_COMPRESSION_RATIO:
            raise UnsafeArchive(
                f"{origin}: member {info.filename!r} expands to {info.file_size} bytes "
                f"(ratio {ratio:.0f}); refusing a possible zip bomb"
            )
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise UnsafeArchive(f"{origin}: expands to {total} bytes, over the limit")
    return members


def _zip_files(path: Path) -> Iterator[ExportFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise UnsafeArchive(f"{path.name}: not a readable zip ({error})") from error
    with archive:
        for info in _check_members(archive, path.name):
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            with archive.open(info) as member:
                # Read one byte past the declared size: a lying header cannot inflate us.
                data = member.read(info.file_size + 1)
            if len(data) > info.file_size:
                raise UnsafeArchive(
                    f"{path.name}: member {info.filename!r} is larger than declared"
                )
            yield ExportFile(name=name, origin=f"{path.name}:{info.filename}", data=data)


def export_files(path: Path) -> Iterator[ExportFile]:
    """Every file inside `path` (a zip, a folder of files and zips, or one file), read one
    at a time so that memory holds one file, not the export. A refused archive is yielded
    as one `ExportFile` whose `refused` says why; the other files still come."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from export_files(child)
    elif path.suffix.lower() == ".zip":
        try:
            yield from _zip_files(path)
        except UnsafeArchive as error:
            yield ExportFile(name=path.name, origin=path.name, data=b"", refused=str(error))
    elif path.is_file():
        yield ExportFile(name=path.name, origin=str(path), data=path.read_bytes())
    else:
        raise FileNotFoundError(f"No such file or folder: {path}")
