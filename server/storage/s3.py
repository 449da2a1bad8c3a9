"""Objects in an S3-compatible bucket (`S3_BUCKET`, `S3_ENDPOINT_URL` for MinIO, Ceph, R2, ...).

One aiobotocore client per process, opened on first use inside the running event loop and
closed with the app. Small objects go up in one PUT; larger ones as a multipart upload of
8 MiB parts read from the staged file, so an upload never sits whole in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import ClientError

from server.settings import Settings
from server.storage import CHUNK_BYTES, MissingObject, StoredObject, checked_key
from server.storage.local import STAGING

PART_BYTES = 8 * 1024 * 1024
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING_CODES


class S3Storage:
    def __init__(self, settings: Settings) -> None:
        assert settings.s3_bucket, "S3Storage needs S3_BUCKET"
        self.bucket = settings.s3_bucket
        self._settings = settings
        self._staging = settings.storage_dir / STAGING
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._lock = asyncio.Lock()

    @property
    def staging_dir(self) -> Path:
        return self._staging

    async def client(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    settings = self._settings
                    stack = AsyncExitStack()
                    self._client = await stack.enter_async_context(
                        get_session().create_client(
                            "s3",
                            endpoint_url=settings.s3_endpoint_url,
                            region_name=settings.s3_region,
                            aws_access_key_id=settings.s3_access_key_id,
                            aws_secret_access_key=settings.s3_secret_access_key,
                            config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}),
                        )
                    )
                    self._stack = stack
        return self._client

    async def put(self, key: str, staged: Path, size: int) -> None:
        key = checked_key(key)
        client = await self.client()
        async with await anyio.open_file(staged, "rb") as handle:
            if size <= PART_BYTES:
                body = await handle.read()
                await client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentLength=len(body))
            else:
                await self._put_in_parts(client, key, handle)
        await anyio.Path(staged).unlink(missing_ok=True)

    async def _put_in_parts(self, client: Any, key: str, handle: anyio.AsyncFile[bytes]) -> None:
        upload = await client.create_multipart_upload(Bucket=self.bucket, Key=key)
        upload_id = upload["UploadId"]
        parts = []
        try:
            number = 1
            while chunk := await handle.read(PART_BYTES):
                answer = await client.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=chunk
                )
                parts.append({"ETag": answer["ETag"], "PartNumber": number})
                number += 1
            await client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            await client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    async def open(self, key: str) -> StoredObject:
        key = checked_key(key)
        client = await self.client()
        try:
            head = await client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                raise MissingObject(key) from None
            raise
        return StoredObject(size=int(head["ContentLength"]), chunks=self._chunks(key))

    async def open_range(self, key: str, first: int, last: int) -> StoredObject:
        await self.open(key)  # MissingObject when there is none
        return StoredObject(
            size=last - first + 1, chunks=self._chunks(checked_key(key), f"bytes={first}-{last}")
        )

    async def _chunks(self, key: str, byte_range: str | None = None) -> AsyncIterator[bytes]:
        client = await self.client()
        extra = {"Range": byte_range} if byte_range else {}
        answer = await client.get_object(Bucket=self.bucket, Key=key, **extra)
        async with answer["Body"] as body:
            while chunk := await body.read(CHUNK_BYTES):
                yield bytes(chunk)

    async def exists(self, key: str) -> bool:
        try:
            await self.open(key)
        except MissingObject:
            return False
        return True

    async def delete(self, key: str) -> None:
        try:
            key = checked_key(key)
        except MissingObject:
            return
        client = await self.client()
        await client.delete_object(Bucket=self.bucket, Key=key)

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack = None
        self._client = None
