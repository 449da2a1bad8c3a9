"""Fixtures of the job tests: a Redis for SAQ, also on the embedded run (like the cluster tests)."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from tests.backends import for_this_worker, require

LOCAL_REDIS = for_this_worker("redis://127.0.0.1:6379/14")
"""Without REDIS_URL (the embedded run) the SAQ tests still need a Redis: this database of the local one."""


@pytest.fixture
async def saq_redis_url(redis_url: str | None) -> str:
    """REDIS_URL (emptied for this test by `redis_url`), else an emptied local database."""
    if redis_url:
        return redis_url
    require(LOCAL_REDIS, "Redis")
    client = aioredis.from_url(LOCAL_REDIS)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
    return LOCAL_REDIS
