"""Fixtures of the lease tests: a clock the test moves, and leases in memory and in Redis.

Redis tests use REDIS_URL or the local Redis (skipped when unreachable, failed under CI=true) and a key of their own,
deleted afterwards, so they never flush a database other tests may be using.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from server.leases import Leases, MemoryLeases, RedisLeases
from tests.backends import REDIS_URL, require
from tests.realtime.fixtures import LOCAL_REDIS


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def required_redis_url() -> str:
    """REDIS_URL, or (on the embedded run) this worker's database of the local Redis, as the
    cluster tests use; unreachable: skipped, or failed under CI=true."""
    url = REDIS_URL or LOCAL_REDIS
    require(url, "Redis")
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def namespace() -> str:
    return f"test:leases:{uuid.uuid4().hex}"


async def _delete_namespace(client: aioredis.Redis, namespace: str) -> None:
    keys = [key async for key in client.scan_iter(match=f"{namespace}*")]
    if keys:
        await client.delete(*keys)


@pytest.fixture
async def redis(namespace: str) -> AsyncIterator[aioredis.Redis]:
    """A client answering bytes (the tests' default); its namespace's keys are deleted after."""
    client = aioredis.from_url(required_redis_url())
    try:
        yield client
    finally:
        await _delete_namespace(client, namespace)
        await client.aclose()


@pytest.fixture(params=["memory", "redis", "redis-decoded"])
async def leases(request: pytest.FixtureRequest, clock: Clock, namespace: str) -> AsyncIterator[Leases]:
    """Each behaviour in memory, in Redis, and in Redis through a client that decodes replies
    (as the app's does)."""
    if request.param == "memory":
        yield MemoryLeases(clock=clock)
        return
    client = aioredis.from_url(required_redis_url(), decode_responses=request.param == "redis-decoded")
    try:
        yield RedisLeases(client, namespace, clock=clock)
    finally:
        await _delete_namespace(client, namespace)
        await client.aclose()
