"""Jobs only the tests declare; `worker_main` runs them beside every domain's."""

from __future__ import annotations

import asyncio
import os

from server.context import AppContext
from server.jobs import Job
from server.manifest import Domain

SLOW = "tests.slow"


async def slow(ctx: AppContext, *, name: str, seconds: float) -> None:
    """Note in Redis which process started the run, take `seconds`, then note who finished it."""
    assert ctx.redis is not None
    await ctx.redis.rpush(f"{name}:started", os.getpid())
    await asyncio.sleep(seconds)
    await ctx.redis.rpush(f"{name}:done", os.getpid())


DOMAIN = Domain(
    name="tests",
    jobs=[Job(SLOW, slow, retries=3, timeout_seconds=30, retry_delay_seconds=0.2, max_retry_delay_seconds=1)],
)
