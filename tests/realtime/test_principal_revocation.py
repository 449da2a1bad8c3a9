"""A principal reused by one process is dropped there the moment another process changes it.

Each process keeps a login session's principal for a few seconds (`server.auth.principals`);
these calls are made to B right after A answered, within that time, so B answers from its cache
unless A's announcement reached it."""

from __future__ import annotations

import httpx

from tests.realtime.fixtures import Cluster


async def _warm(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
    r = await http.get("/api/auth/me", headers=headers)
    assert r.status_code == 200, r.text


async def test_a_session_logged_out_on_one_process_is_refused_at_once_on_the_other(cluster: Cluster) -> None:
    async with httpx.AsyncClient(base_url=cluster.a.url) as a, httpx.AsyncClient(base_url=cluster.b.url) as b:
        await _warm(b, cluster.alice.headers)
        r = await a.post("/api/auth/logout", json={}, headers=cluster.alice.headers)
        assert r.status_code == 204, r.text
        r = await b.get("/api/auth/me", headers=cluster.alice.headers)
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")


async def test_a_role_revoked_on_one_process_is_gone_at_once_on_the_other(cluster: Cluster) -> None:
    async with httpx.AsyncClient(base_url=cluster.a.url) as a, httpx.AsyncClient(base_url=cluster.b.url) as b:
        r = await b.get("/api/positions", headers=cluster.bob.headers)
        assert r.status_code == 200, r.text
        r = await a.delete(f"/api/users/{cluster.bob.id}/roles/employer", headers=cluster.admin.headers)
        assert r.status_code == 200, r.text
        r = await b.get("/api/positions", headers=cluster.bob.headers)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


async def test_a_user_suspended_on_one_process_is_refused_at_once_on_the_other(cluster: Cluster) -> None:
    async with httpx.AsyncClient(base_url=cluster.a.url) as a, httpx.AsyncClient(base_url=cluster.b.url) as b:
        await _warm(b, cluster.bob.headers)
        r = await a.post(f"/api/users/{cluster.bob.id}/suspend", headers=cluster.admin.headers)
        assert r.status_code == 200, r.text
        r = await b.get("/api/auth/me", headers=cluster.bob.headers)
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")
