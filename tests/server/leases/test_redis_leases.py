"""Leases in Redis: shared by processes that race to claim, queued on a caller's pipeline, and
claimed together with the data they guard."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from server.leases import RedisLeases
from tests.server.leases.conftest import Clock, required_redis_url


async def test_two_processes_sweeping_at_once_each_claim_a_member_once(
    redis: aioredis.Redis, namespace: str, clock: Clock
) -> None:
    other = aioredis.from_url(required_redis_url())
    try:
        mine, theirs = RedisLeases(redis, namespace, clock=clock), RedisLeases(other, namespace, clock=clock)
        members = [f"m{i:03}" for i in range(300)]
        for member in members:
            await mine.grant(member, 10)
        clock.advance(10)
        sweeps = await asyncio.gather(*(leases.claim_expired() for leases in (mine, theirs, mine, theirs)))
        claimed = [member for sweep in sweeps for member in sweep]
        assert sorted(claimed) == members
        races = await asyncio.gather(mine.claim("late"), theirs.claim("late"))
        assert list(races) == [False, False]
        await mine.grant("late", 1)
        clock.advance(1)
        assert sorted(await asyncio.gather(mine.claim("late"), theirs.claim("late"))) == [False, True]
    finally:
        await other.aclose()


async def test_lease_commands_queue_on_a_callers_transaction_one_reply_each(
    redis: aioredis.Redis, namespace: str, clock: Clock
) -> None:
    leases = RedisLeases(redis, namespace, clock=clock)
    await leases.grant("stale", 1)
    clock.advance(1)
    async with redis.pipeline(transaction=True) as pipe:
        queued = leases.on(pipe)
        queued.count()
        queued.grant("a", 10)
        pipe.set(f"{namespace}:own", "1")
        queued.renew(["a", "b"], 20)
        queued.renew(["a", "c"], 20, recreate=True)
        queued.release("a")
        queued.prune()
        queued.count()
        replies = await pipe.execute()
    assert replies == [0, 1, True, 0, 1, 1, 1, 1]
    assert await leases.live() == ["c"]


def test_a_queued_renew_needs_members(redis: aioredis.Redis, namespace: str) -> None:
    pipe = redis.pipeline()
    with pytest.raises(ValueError, match="renew needs at least one member"):
        RedisLeases(redis, namespace).on(pipe).renew([], 10)


async def test_a_claim_takes_the_data_its_lease_guarded_only_when_it_wins(
    redis: aioredis.Redis, namespace: str, clock: Clock
) -> None:
    leases = RedisLeases(redis, namespace, clock=clock)
    data = f"{namespace}:data"
    take = leases.claiming(
        "local found = redis.call('HGET', KEYS[2], ARGV[3])\n"
        "redis.call('HDEL', KEYS[2], ARGV[3])\n"
        "return found"
    )
    await redis.hset(data, "7", "payload")
    await leases.grant("room|7", 10)
    assert await take("room|7", [data], ["7"]) is None
    assert await redis.hget(data, "7") == b"payload"
    clock.advance(10)
    assert await take("room|7", [data], ["7"]) == b"payload"
    assert await redis.hget(data, "7") is None
    assert await take("room|7", [data], ["7"]) is None


async def test_a_heartbeat_after_redis_lost_its_leases_learns_which_to_grant_again(
    redis: aioredis.Redis, namespace: str, clock: Clock
) -> None:
    leases = RedisLeases(redis, namespace, clock=clock)
    await leases.grant("a", 10)
    await leases.grant("b", 10)
    await redis.delete(namespace)
    assert await leases.renew(["a", "b"], 10) == ["a", "b"]
    assert await leases.live() == []
    assert await leases.renew(["a", "b"], 10, recreate=True) == ["a", "b"]
    assert await leases.live() == ["a", "b"]
