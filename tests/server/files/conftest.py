"""Fixtures of the file tests: the fake `test_owner` entity type and a tiny upload cap."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.domains.files import owners
from server.settings import Settings
from tests.server.files.helpers import OWNER, owner_check
from tests.server.tenants import Client

SMALL_CAP = 1024


@pytest.fixture(autouse=True)
def test_owner(monkeypatch: pytest.MonkeyPatch) -> str:
    """Register `test_owner` for this test only."""
    monkeypatch.setitem(owners._OWNERS, OWNER, owner_check)
    return OWNER


@pytest.fixture
async def small_client(settings: Settings) -> AsyncIterator[Client]:
    """A second app on the same database and storage with uploads capped at 1 KiB."""
    small = dataclasses.replace(settings, max_upload_bytes=SMALL_CAP)
    async with AsyncTestClient(app=create(small)) as test_client:
        yield test_client
