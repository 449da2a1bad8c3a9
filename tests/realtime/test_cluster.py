"""Two server processes sharing one database and one Redis, as behind a load balancer."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.backends import REDIS_URL, require
from tests.factories import make_company, make_user
from tests.realtime.fixtures import Person, sign_in
from tests.realtime.harness import Client, ServerProcess

TTL = 2
# Without REDIS_URL (the embedded run) the cluster still needs a Redis: this database of the local one.
LOCAL_REDIS = "redis://127.0.0.1:6379/9"


@dataclass
class Cluster:
    a: ServerProcess
    b: ServerProcess
    admin: Person
    alice: Person
    bob: Person
    clients: list[Client]

    async def socket(self, node: ServerProcess, person: Person) -> Client:
        client = Client()
        self.clients.append(client)
        await client.connect(node.url, person.token)
        return client


@pytest.fixture
async def cluster(settings: Settings, session: AsyncSession, ctx: AppContext) -> AsyncIterator[Cluster]:
    redis_url = REDIS_URL or LOCAL_REDIS
    require(redis_url, "Redis")
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    shared = dataclasses.replace(settings, redis_url=redis_url, presence_ttl_seconds=TTL)
    company = await make_company(session, CompanyType.EMPLOYER)
    admin = await make_user(session, ctx.passwords, company, RoleName.COMPANY_ADMIN)
    alice = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    bob = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    a, b = ServerProcess(shared), ServerProcess(shared)
    await asyncio.gather(a.start(), b.start())
    try:
        async with httpx.AsyncClient(base_url=a.url) as http:
            people = [await sign_in(http, user) for user in (admin, alice, bob)]
        found = Cluster(a, b, *people, clients=[])
        yield found
        for client in found.clients:
            await client.close()
    finally:
        a.stop()
        b.stop()


async def test_messages_cross_between_processes_both_ways(cluster: Cluster) -> None:
    alice = await cluster.socket(cluster.a, cluster.alice)
    bob = await cluster.socket(cluster.b, cluster.bob)
    to_bob = await alice.call("message:send", {"to": cluster.bob.id, "content": "A to B"})
    assert await bob.wait_for("message:new") == [to_bob["message"]]
    to_alice = await bob.call("message:send", {"to": cluster.alice.id, "content": "B to A"})
    assert await alice.wait_for("message:new") == [to_alice["message"]]
    async with httpx.AsyncClient(base_url=cluster.b.url) as http:
        r = await http.post(
            "/api/messages",
            json={"to": cluster.alice.id, "content": "REST on B"},
            headers=cluster.bob.headers,
        )
    assert r.status_code == 201
    assert (await alice.wait_for("message:new", 2))[1] == r.json()


async def test_a_client_whose_process_restarted_fetches_what_it_missed_since_its_last_id(
    cluster: Cluster,
) -> None:
    alice = await cluster.socket(cluster.a, cluster.alice)
    bob = await cluster.socket(cluster.b, cluster.bob)
    first = await bob.call("message:send", {"to": cluster.alice.id, "content": "before the crash"})
    [seen] = await alice.wait_for("message:new")
    cluster.a.kill()
    await asyncio.wait_for(alice.disconnected.wait(), 10)
    missed = [
        await bob.call("message:send", {"to": cluster.alice.id, "content": f"missed {i}"}) for i in range(3)
    ]
    await cluster.a.start()
    await cluster.socket(cluster.a, cluster.alice)
    async with httpx.AsyncClient(base_url=cluster.a.url) as http:
        r = await http.get(
            "/api/messages/since", params={"cursor": seen["id"]}, headers=cluster.alice.headers
        )
    assert r.status_code == 200
    assert seen == first["message"]
    assert r.json() == {"items": [m["message"] for m in missed], "next_cursor": None}


async def test_a_user_on_a_killed_process_is_shown_offline_within_the_ttl(cluster: Cluster) -> None:
    bob = await cluster.socket(cluster.b, cluster.bob)
    await cluster.socket(cluster.a, cluster.alice)
    await bob.wait_until("presence", lambda p: p["user_id"] == cluster.alice.id and p["status"] == "online")
    cluster.a.kill()
    # Offline within the TTL plus one sweep of the surviving process (a third of the TTL), with slack.
    offline = await bob.wait_until(
        "presence", lambda p: p["user_id"] == cluster.alice.id and p["status"] == "offline", timeout=TTL * 2
    )
    assert offline["last_seen"] is not None
    async with httpx.AsyncClient(base_url=cluster.b.url) as http:
        r = await http.get("/api/presence", params={"user_id": cluster.alice.id}, headers=cluster.bob.headers)
    assert [p["status"] for p in r.json()] == ["offline"]


async def test_suspending_through_one_process_closes_the_socket_on_the_other(cluster: Cluster) -> None:
    alice = await cluster.socket(cluster.a, cluster.alice)
    async with httpx.AsyncClient(base_url=cluster.b.url) as http:
        r = await http.post(f"/api/users/{cluster.alice.id}/suspend", headers=cluster.admin.headers)
    assert r.status_code == 200
    await asyncio.wait_for(alice.disconnected.wait(), 5)
    assert not alice.sio.connected
