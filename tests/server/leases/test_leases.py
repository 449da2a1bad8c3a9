"""Leases in memory and in Redis alike: granted, renewed, released, expired and claimed once."""

from __future__ import annotations

import asyncio

from server.leases import Leases
from tests.server.leases.conftest import Clock


async def test_a_lease_is_alive_until_its_ttl_has_passed(leases: Leases, clock: Clock) -> None:
    assert await leases.grant("a", 10) is True
    clock.advance(9.5)
    assert await leases.alive("a") is True
    clock.advance(0.5)
    assert await leases.alive("a") is False
    assert await leases.expired() == ["a"]


async def test_granting_a_held_lease_again_replaces_its_expiry(leases: Leases, clock: Clock) -> None:
    await leases.grant("a", 10)
    assert await leases.grant("a", 2) is False
    clock.advance(2)
    assert await leases.alive("a") is False


async def test_renew_extends_existing_leases_and_names_the_members_without_one(
    leases: Leases, clock: Clock
) -> None:
    await leases.grant("a", 10)
    await leases.grant("b", 10)
    clock.advance(8)
    assert await leases.renew(["a", "c"], 10) == ["c"]
    clock.advance(8)
    assert await leases.live() == ["a"]
    assert await leases.expired() == ["b"]
    assert await leases.alive("c") is False


async def test_renew_does_not_resurrect_a_released_lease(leases: Leases) -> None:
    await leases.grant("a", 10)
    assert await leases.release("a") is True
    assert await leases.release("a") is False
    assert await leases.renew(["a"], 10) == ["a"]
    assert await leases.alive("a") is False
    assert (await leases.live(), await leases.count()) == ([], 0)


async def test_renew_does_not_resurrect_a_claimed_lease(leases: Leases, clock: Clock) -> None:
    await leases.grant("a", 10)
    clock.advance(10)
    assert await leases.claim_expired() == ["a"]
    assert await leases.renew(["a"], 10) == ["a"]
    assert await leases.alive("a") is False
    assert await leases.expired() == []


async def test_renew_with_recreate_re_creates_the_missing_leases_and_names_them(
    leases: Leases, clock: Clock
) -> None:
    await leases.grant("a", 10)
    clock.advance(5)
    assert await leases.renew(["a", "b"], 10, recreate=True) == ["b"]
    clock.advance(9)
    assert await leases.live() == ["a", "b"]


async def test_an_expired_lease_can_still_be_renewed_until_someone_claims_it(
    leases: Leases, clock: Clock
) -> None:
    await leases.grant("a", 10)
    clock.advance(15)
    assert await leases.renew(["a"], 10) == []
    assert await leases.alive("a") is True
    assert await leases.claim_expired() == []


async def test_live_and_expired_members_come_soonest_expiry_first(leases: Leases, clock: Clock) -> None:
    await leases.grant("c", 30)
    await leases.grant("a", 10)
    await leases.grant("b", 20)
    assert (await leases.live(), await leases.count()) == (["a", "b", "c"], 3)
    clock.advance(25)
    assert await leases.expired() == ["a", "b"]
    assert await leases.expired(limit=1) == ["a"]
    assert (await leases.live(), await leases.count()) == (["c"], 1)


async def test_each_expired_member_is_claimed_once(leases: Leases, clock: Clock) -> None:
    await leases.grant("a", 10)
    await leases.grant("b", 10)
    await leases.grant("c", 30)
    clock.advance(10)
    assert await leases.claim_expired() == ["a", "b"]
    assert await leases.claim_expired() == []
    assert await leases.live() == ["c"]


async def test_one_sweep_claims_at_most_its_limit(leases: Leases, clock: Clock) -> None:
    for ttl, member in enumerate(["a", "b", "c"], start=1):
        await leases.grant(member, ttl)
    clock.advance(3)
    assert await leases.claim_expired(limit=2) == ["a", "b"]
    assert await leases.claim_expired(limit=2) == ["c"]


async def test_a_member_renewed_between_read_and_claim_is_not_claimed(leases: Leases, clock: Clock) -> None:
    await leases.grant("a", 10)
    clock.advance(10)
    due = await leases.expired()
    assert due == ["a"]
    assert await leases.renew(due, 10) == []
    assert await leases.claim("a") is False
    assert await leases.alive("a") is True


async def test_only_a_present_expired_lease_can_be_claimed(leases: Leases, clock: Clock) -> None:
    await leases.grant("a", 10)
    assert await leases.claim("a") is False
    assert await leases.claim("never-granted") is False
    clock.advance(10)
    assert await leases.claim("a") is True
    assert await leases.claim("a") is False


async def test_prune_deletes_expired_leases_without_anyone_claiming_them(
    leases: Leases, clock: Clock
) -> None:
    await leases.grant("a", 10)
    await leases.grant("b", 20)
    clock.advance(10)
    assert await leases.prune() == 1
    assert await leases.expired() == []
    assert await leases.claim_expired() == []
    assert await leases.live() == ["b"]


async def test_concurrent_sweeps_share_the_expired_members_without_overlap(
    leases: Leases, clock: Clock
) -> None:
    members = [f"m{i:03}" for i in range(50)]
    for member in members:
        await leases.grant(member, 10)
    clock.advance(10)
    first, second = await asyncio.gather(leases.claim_expired(), leases.claim_expired())
    assert set(first).isdisjoint(second)
    assert sorted(first + second) == members


async def test_empty_calls_answer_empty(leases: Leases) -> None:
    assert await leases.renew([], 10) == []
    assert await leases.claim_expired() == []
    assert (await leases.live(), await leases.count(), await leases.prune()) == ([], 0, 0)
