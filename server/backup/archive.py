"""The archive: members written to a staging directory, checksummed, then tarred with the manifest.

Restoring checks every member against the manifest's sha256 before anything is written, so a
truncated or altered archive is refused whole instead of restoring part of a database.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import msgspec

FORMAT = "miraiworks-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class TableEntry(msgspec.Struct, kw_only=True):
    member: str
    columns: list[str]
    rows: int
    sha256: str


class FileEntry(msgspec.Struct, kw_only=True):
    member: str
    size: int
    sha256: str


class Manifest(msgspec.Struct, kw_only=True):
    format: str = FORMAT
    created_at: str
    dialect: str
    revision: str | None
    binlog: dict[str, str] | None = None
    """Where the server's binary log stood at the snapshot: replay from here for point-in-time recovery."""
    tables: dict[str, TableEntry] = {}
    files: dict[str, FileEntry] = {}
    missing_files: list[str] = []
    """Keys rows name whose object was already gone from the store when the backup ran."""


class ArchiveError(ValueError):
    """The archive is not one this program wrote, or it was altered."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write(destination: Path, staging: Path, manifest: Manifest) -> None:
    """Tar the staged members (named as in the manifest) with the manifest first."""
    (staging / MANIFEST).write_bytes(msgspec.json.format(msgspec.json.encode(manifest)))
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(staging / MANIFEST, arcname=MANIFEST)
        members = [entry.member for entry in manifest.tables.values()]
        members += [entry.member for entry in manifest.files.values()]
        for member in members:
            tar.add(staging / member, arcname=member)
    partial.replace(destination)  # a crash mid-write never leaves a file that looks complete


class Archive:
    """An archive opened for restoring, its members checked against the manifest."""

    def __init__(self, path: Path) -> None:
        self.tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by `close`
        try:
            self.manifest = msgspec.json.decode(self._read(MANIFEST), type=Manifest)
        except (KeyError, msgspec.DecodeError) as exc:
            raise ArchiveError(f"{path} has no readable {MANIFEST}") from exc
        if self.manifest.format != FORMAT:
            raise ArchiveError(f"unknown archive format {self.manifest.format!r}")

    def _read(self, member: str) -> bytes:
        source = self.tar.extractfile(member)
        if source is None:
            raise KeyError(member)
        return source.read()

    def open(self, member: str) -> IO[bytes]:
        source = self.tar.extractfile(member)
        if source is None:
            raise ArchiveError(f"{member} is missing from the archive")
        return source

    def verify(self) -> None:
        expected = {e.member: e.sha256 for e in self.manifest.tables.values()}
        expected |= {e.member: e.sha256 for e in self.manifest.files.values()}
        for member, sha in expected.items():
            digest = hashlib.sha256()
            source = self.open(member)
            while chunk := source.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != sha:
                raise ArchiveError(f"{member} does not match its checksum")

    def lines(self, member: str) -> Iterator[bytes]:
        yield from self.open(member)

    def close(self) -> None:
        self.tar.close()
