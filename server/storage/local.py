"""Objects as files under one local directory (`STORAGE_DIR`), the embedded default."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from stat import S_ISREG

import anyio

from server.storage import CHUNK_BYTES, MissingObject, StoredObject, checked_key

STAGING = ".staging"
"""Uploads in flight, inside the root so that `put` is an atomic rename; no key can name it."""


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def staging_dir(self) -> Path:
        return self.root / STAGING

    def path(self, key: str) -> Path:
        path = (self.root / checked_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise MissingObject(key)
        return path

    async def put(self, key: str, staged: Path, size: int) -> None:
        target = self.path(key)
        await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
        # Same file system: the object appears whole or not at all, even to a concurrent reader.
        await anyio.to_thread.run_sync(os.replace, staged, target)

    async def open(self, key: str) -> StoredObject:
        path = self.path(key)
        try:
            stat = await anyio.Path(path).stat()
        except (FileNotFoundError, NotADirectoryError):
            raise MissingObject(key) from None
        if not S_ISREG(stat.st_mode):
            raise MissingObject(key)
        return StoredObject(size=stat.st_size, chunks=_chunks(path))

    async def open_range(self, key: str, first: int, last: int) -> StoredObject:
        path = self.path(key)
        if not await anyio.Path(path).is_file():
            raise MissingObject(key)
        return StoredObject(size=last - first + 1, chunks=_chunks(path, first, last - first + 1))

    async def exists(self, key: str) -> bool:
        try:
            return await anyio.Path(self.path(key)).is_file()
        except MissingObject:
            return False

    async def delete(self, key: str) -> None:
        try:
            await anyio.Path(self.path(key)).unlink(missing_ok=True)
        except MissingObject:
            return

    async def close(self) -> None:
        return None


async def _chunks(path: Path, start: int = 0, length: int | None = None) -> AsyncIterator[bytes]:
    """Opened on the first read, so a response that is never sent holds no file open."""
    async with await anyio.open_file(path, "rb") as handle:
        if start:
            await handle.seek(start)
        left = length
        while left is None or left > 0:
            chunk = await handle.read(CHUNK_BYTES if left is None else min(CHUNK_BYTES, left))
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            yield chunk
