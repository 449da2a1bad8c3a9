"""Presence on leases, in memory and in Redis, with the clock moved by the test: the rules the
realtime tests check through live sockets, here without sleeping."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from server.presence import MemoryPresence, Presence, RedisPresence, SocketEntry
from tests.server.leases.conftest import Clock, required_redis_url

TTL = 30
ALICE = 1


def socket(sid: str, user_id: int = ALICE) -> SocketEntry:
    return SocketEntry(sid, user_id, 10, f"session-{sid}")


@pytest.fixture(params=["memory", "redis"])
async def presence(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[Presence]:
    """Redis presence has fixed key names: it empties REDIS_URL's database (the tests' own, as the
    suite's `redis_url` fixture does) before and after."""
    if request.param == "memory":
        yield MemoryPresence(TTL, clock=clock)
        return
    client = aioredis.from_url(required_redis_url())
    await client.flushdb()
    try:
        yield RedisPresence(client, TTL, clock=clock)
    finally:
        await client.flushdb()
        await client.aclose()


async def test_the_first_socket_brings_a_user_online_and_the_last_takes_them_offline(
    presence: Presence, clock: Clock
) -> None:
    assert await presence.add(socket("s1")) is True
    assert await presence.add(socket("s2")) is False
    assert await presence.sockets(ALICE) == [socket("s1"), socket("s2")]
    await presence.set_away(ALICE, True)
    assert (await presence.status([ALICE]))[ALICE].status == "away"
    assert await presence.remove(socket("s1")) is False
    assert await presence.remove(socket("s2")) is True
    assert await presence.remove(socket("s2")) is False
    status = (await presence.status([ALICE]))[ALICE]
    assert (status.status, status.last_seen is not None) == ("offline", True)
    assert await presence.add(socket("s3")) is True
    assert (await presence.status([ALICE]))[ALICE].status == "online"


async def test_a_refreshed_socket_outlives_the_ttl_and_an_unrefreshed_one_is_claimed_once(
    presence: Presence, clock: Clock
) -> None:
    await presence.add(socket("kept"))
    await presence.add(socket("ghost", user_id=2))
    clock.advance(TTL - 1)
    await presence.refresh([socket("kept")])
    clock.advance(1)
    assert await presence.claim_expired() == [socket("ghost", user_id=2)]
    assert await presence.claim_expired() == []
    assert await presence.remove(socket("ghost", user_id=2)) is True
    assert [s.status for s in (await presence.status([ALICE, 2])).values()] == ["online", "offline"]


async def test_refresh_re_creates_the_open_sockets_the_store_lost_and_names_them(
    presence: Presence, clock: Clock
) -> None:
    """The store lost `lost` (Redis restarted empty, or a sweep claimed it while its process
    stalled); the process still holds it open, so its refresh puts it back."""
    await presence.add(socket("kept"))
    await presence.add(socket("lost", user_id=2))
    await presence.remove(socket("lost", user_id=2))
    assert [s.status for s in (await presence.status([ALICE, 2])).values()] == ["online", "offline"]

    assert await presence.refresh([socket("kept"), socket("lost", user_id=2)]) == [socket("lost", user_id=2)]

    assert await presence.sockets(2) == [socket("lost", user_id=2)]
    assert [s.status for s in (await presence.status([ALICE, 2])).values()] == ["online", "online"]
    assert await presence.refresh([socket("kept"), socket("lost", user_id=2)]) == []
    clock.advance(TTL - 1)
    assert await presence.claim_expired() == []


async def test_last_seen_is_the_last_refresh_never_the_sweep(presence: Presence, clock: Clock) -> None:
    await presence.add(socket("ghost"))
    clock.advance(10)
    await presence.refresh([socket("ghost")])
    refreshed = clock.now
    clock.advance(TTL + 50)  # its process died right after that refresh; the sweep comes late

    assert await presence.claim_expired() == [socket("ghost")]
    assert await presence.remove(socket("ghost"), swept=True) is True

    status = (await presence.status([ALICE]))[ALICE]
    assert status.status == "offline"
    assert status.last_seen is not None and status.last_seen.timestamp() == refreshed


async def test_last_seen_of_a_closed_socket_is_when_it_closed(presence: Presence, clock: Clock) -> None:
    await presence.add(socket("s1"))
    clock.advance(12)
    await presence.remove(socket("s1"))
    closed = clock.now
    clock.advance(100)

    last_seen = (await presence.status([ALICE]))[ALICE].last_seen
    assert last_seen is not None and last_seen.timestamp() == closed


async def test_a_user_goes_offline_once_when_a_ghost_expired_beside_their_last_socket(
    presence: Presence, clock: Clock
) -> None:
    await presence.add(socket("ghost"))
    clock.advance(TTL - 1)
    await presence.add(socket("live"))
    clock.advance(1)
    assert await presence.sockets(ALICE) == [socket("live")]
    assert await presence.remove(socket("live")) is True
    assert await presence.claim_expired() == [socket("ghost")]
    assert await presence.remove(socket("ghost")) is False
