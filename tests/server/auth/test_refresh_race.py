"""Two refreshes with one token at the same time (two tabs): one wins, the other gets 401
`token_superseded`, and the winner's new tokens keep working. A replay of a token rotated
before the request read it is still reuse: it ends the session.

The refreshes go to a live server, and the first one is held between its rotation and its
commit, so the second really runs while the first holds the token."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.auth.services import AuthService
from tests.factories import make_company, make_user
from tests.realtime.harness import LiveServer
from tests.server.auth.helpers import bearer, login

EMAIL = "race@example.jp"


@pytest.fixture
async def tokens(ctx: AppContext, live: LiveServer, http: httpx.AsyncClient) -> dict[str, Any]:
    async with ctx.transaction() as db:
        company = await make_company(db)
        await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN, email=EMAIL)
    return await login(http, EMAIL)  # type: ignore[arg-type]


async def refresh(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.post("/api/auth/refresh", json={"refresh_token": token})


async def test_of_two_concurrent_refreshes_one_wins_and_its_tokens_keep_working(
    http: httpx.AsyncClient, tokens: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in = AuthService._sign_in
    rotated = asyncio.Event()

    async def slow_sign_in(self: AuthService, *args: Any, **kwargs: Any) -> Any:
        if not rotated.is_set():
            rotated.set()
            await asyncio.sleep(0.5)  # the winner holds the rotated token, uncommitted
        return await sign_in(self, *args, **kwargs)

    monkeypatch.setattr(AuthService, "_sign_in", slow_sign_in)

    async def second() -> httpx.Response:
        await rotated.wait()
        return await refresh(http, tokens["refresh_token"])

    first, late = await asyncio.gather(refresh(http, tokens["refresh_token"]), second())

    assert (first.status_code, late.status_code) == (200, 401), (first.text, late.text)
    assert late.json()["code"] == "token_superseded"
    winner = first.json()
    assert (await http.get("/api/auth/me", headers=bearer(winner["access_token"]))).status_code == 200
    again = await refresh(http, winner["refresh_token"])
    assert again.status_code == 200, again.text
    assert (await http.get("/api/auth/me", headers=bearer(again.json()["access_token"]))).status_code == 200


async def test_a_replay_after_the_rotation_committed_still_ends_the_session(
    http: httpx.AsyncClient, tokens: dict[str, Any]
) -> None:
    winner = (await refresh(http, tokens["refresh_token"])).json()

    replay = await refresh(http, tokens["refresh_token"])

    assert (replay.status_code, replay.json()["code"]) == (401, "token_reused")
    assert (await refresh(http, winner["refresh_token"])).status_code == 401
    assert (await http.get("/api/auth/me", headers=bearer(winner["access_token"]))).status_code == 401
