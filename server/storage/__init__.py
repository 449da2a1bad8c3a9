"""Where file bytes live: a local directory by default, an S3-compatible store when configured.

Objects are addressed by a key the server chose (`companies/12/ab/ab12…`), never by a name
a client sent. An upload is first staged as a file under `staging_dir` (so its size, hash
and type are known before anything is stored), then `put` moves it under its key. Reads
stream: `open` answers the size and an iterator of chunks, or raises `MissingObject`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from server.settings import Settings

CHUNK_BYTES = 64 * 1024


_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*"
_KEY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
"""Segments of letters, digits, `_` and `-`, with single dots inside: no `..`, no hidden names."""


class MissingObject(LookupError):
    """No object is stored under this key."""


def checked_key(key: str) -> str:
    """The key itself when it can only name an object under the storage root, else `MissingObject`.

    Keys come from the database (`file_path`), so a row written by hand or by older code
    cannot make a read or delete leave the root.
    """
    if len(key) > 500 or not _KEY.fullmatch(key):
        raise MissingObject(key)
    return key


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    chunks: AsyncIterator[bytes]


class Storage(Protocol):
    @property
    def staging_dir(self) -> Path:
        """A local directory for uploads in flight (created on demand, emptied by the uploads)."""
        ...

    async def put(self, key: str, staged: Path, size: int) -> None:
        """Store the staged file under `key`, replacing any object there, and remove the staged file."""
        ...

    async def open(self, key: str) -> StoredObject:
        """The object's size and its bytes in chunks; `MissingObject` when there is none."""
        ...

    async def open_range(self, key: str, first: int, last: int) -> StoredObject:
        """Bytes `first` to `last` (inclusive) of the object, for range requests (a seek in a
        recording); `MissingObject` when there is none."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""
        ...

    async def close(self) -> None: ...


def create_storage(settings: Settings) -> Storage:
    if settings.s3_bucket:
        from server.storage.s3 import S3Storage

        return S3Storage(settings)
    from server.storage.local import LocalStorage

    return LocalStorage(settings.storage_dir)
