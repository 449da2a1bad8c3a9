"""The S3 backend against a real S3 API: moto's server on a loopback port (no AWS account).

The same checks as the local backend: objects round-trip, multipart uploads for large files,
missing objects and hostile keys are `MissingObject`, and the API works end to end with
`S3_BUCKET` set, leaving nothing on the local disk but an empty staging directory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiobotocore.session import get_session
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.settings import Settings
from server.storage import MissingObject, create_storage
from server.storage.s3 import PART_BYTES, S3Storage
from tests.server.files import helpers
from tests.server.files.helpers import disposition_filename, stored_files, upload
from tests.server.tenants import Callers, Client, Tenants

moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
async def s3_settings(settings: Settings, s3_endpoint: str) -> Settings:
    """The test's settings with a fresh bucket of its own."""
    configured = dataclasses.replace(
        settings,
        s3_bucket=f"files-{secrets.token_hex(6)}",
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )
    async with get_session().create_client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ) as client:
        await client.create_bucket(Bucket=configured.s3_bucket)
    return configured


@pytest.fixture
async def storage(s3_settings: Settings) -> AsyncIterator[S3Storage]:
    store = create_storage(s3_settings)
    assert isinstance(store, S3Storage)
    try:
        yield store
    finally:
        await store.close()


async def _read(store: S3Storage, key: str) -> bytes:
    stored = await store.open(key)
    data = b"".join([chunk async for chunk in stored.chunks])
    assert len(data) == stored.size
    return data


def _staged(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / f"{secrets.token_hex(4)}.part"
    path.write_bytes(content)
    return path


async def test_objects_round_trip_and_go_away(storage: S3Storage, tmp_path: Path) -> None:
    key = "companies/1/ab/abc"
    staged = _staged(tmp_path, helpers.PDF)
    assert not await storage.exists(key)
    await storage.put(key, staged, len(helpers.PDF))
    assert not staged.exists()
    assert await storage.exists(key)
    assert await _read(storage, key) == helpers.PDF
    await storage.delete(key)
    await storage.delete(key)
    assert not await storage.exists(key)
    with pytest.raises(MissingObject):
        await storage.open(key)
    for hostile in ("../escape", "companies/../x", ".staging/x", "/abs", "a//b", ""):
        with pytest.raises(MissingObject):
            await storage.open(hostile)


async def test_large_objects_go_up_in_parts(storage: S3Storage, tmp_path: Path) -> None:
    content = secrets.token_bytes(PART_BYTES + 1024)
    await storage.put("companies/1/big", _staged(tmp_path, content), len(content))
    assert (
        hashlib.sha256(await _read(storage, "companies/1/big")).digest() == hashlib.sha256(content).digest()
    )


async def test_the_api_stores_and_serves_files_from_the_bucket(
    s3_settings: Settings, callers: Callers, tenants: Tenants
) -> None:
    headers = await callers.headers("recruiter")
    async with AsyncTestClient(app=create(s3_settings)) as s3_client:
        client: Client = s3_client
        fields = {"entity_type": helpers.OWNER, "entity_id": tenants.home.id}
        first = await upload(client, headers, name="面接評価.pdf", **fields)
        second = await upload(client, headers, name="copy.pdf", **fields)
        refused = await upload(client, headers, name="setup.pdf", content=helpers.MZ, **fields)
        assert first.status_code == second.status_code == 201, first.text
        assert refused.status_code == 415
        download = await client.get(first.json()["download_url"], headers=headers)
        assert download.status_code == 200 and download.content == helpers.PDF
        assert disposition_filename(download.headers["content-disposition"]) == "面接評価.pdf"
    assert stored_files(s3_settings.storage_dir) == []
    assert helpers.staging_leftovers(s3_settings.storage_dir) == []
    store = create_storage(s3_settings)
    try:
        sha = first.json()["file_hash"]
        assert await store.exists(f"companies/{tenants.home.id}/{sha[:2]}/{sha}")
    finally:
        await store.close()
