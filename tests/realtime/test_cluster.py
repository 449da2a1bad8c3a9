"""Two server processes sharing one database and one Redis, as behind a load balancer."""

from __future__ import annotations

import asyncio

import httpx

from tests.realtime.fixtures import CLUSTER_TTL as TTL
from tests.realtime.fixtures import Cluster


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
