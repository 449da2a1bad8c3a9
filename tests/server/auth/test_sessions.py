"""Refresh-token rotation, access tokens, logout and password change."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from sqlalchemy import update

from models import User
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import PASSWORD, make_company, make_user
from tests.server.auth.helpers import Client, app_ctx, bearer, login

EMAIL = "session@example.jp"
NEW_PASSWORD = "a brand new passphrase"


async def _user(ctx: AppContext) -> User:
    async with ctx.transaction() as db:
        company = await make_company(db)
        return await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN, email=EMAIL)


async def _refresh(client: Client, token: str) -> Any:
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def _me(client: Client, access_token: str) -> Any:
    return await client.get("/api/auth/me", headers=bearer(access_token))


# --- refresh ---------------------------------------------------------------------------


async def test_refresh_answers_a_new_token_pair(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    first = await login(client, EMAIL)

    r = await _refresh(client, first["refresh_token"])

    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["token_type"] == "bearer"
    assert second["expires_in"] == 900
    assert (await _me(client, second["access_token"])).status_code == 200


async def test_replaying_a_rotated_refresh_token_revokes_the_chain(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    first = await login(client, EMAIL)
    r = await _refresh(client, first["refresh_token"])
    assert r.status_code == 200, r.text
    newest = r.json()

    r = await _refresh(client, first["refresh_token"])

    assert r.status_code == 401
    assert r.json()["code"] == "token_reused"
    r = await _refresh(client, newest["refresh_token"])
    assert r.status_code == 401
    assert (await _me(client, newest["access_token"])).status_code == 401


async def test_replay_revokes_only_its_own_chain(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    other = await login(client, EMAIL)
    first = await login(client, EMAIL)
    assert (await _refresh(client, first["refresh_token"])).status_code == 200

    assert (await _refresh(client, first["refresh_token"])).status_code == 401

    assert (await _me(client, other["access_token"])).status_code == 200
    assert (await _refresh(client, other["refresh_token"])).status_code == 200


async def test_two_concurrent_refreshes_with_one_token_let_exactly_one_win(
    client: Client, ctx: AppContext
) -> None:
    await _user(ctx)
    tokens = await login(client, EMAIL)

    answers = await asyncio.gather(
        _refresh(client, tokens["refresh_token"]), _refresh(client, tokens["refresh_token"])
    )

    assert sorted(r.status_code for r in answers) == [200, 401], [r.text for r in answers]


async def test_garbage_refresh_token_is_an_invalid_token(client: Client) -> None:
    r = await _refresh(client, "garbage")

    assert r.status_code == 401
    assert r.json() == {
        "status": 401,
        "code": "invalid_token",
        "detail": "The token is invalid or has expired.",
        "errors": [],
    }


async def test_well_formed_but_unknown_refresh_token_is_an_invalid_token(client: Client) -> None:
    r = await _refresh(client, "0" * 24 + ".not-a-stored-secret")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


# --- access tokens ---------------------------------------------------------------------


async def test_me_answers_the_user_company_and_roles(client: Client, ctx: AppContext) -> None:
    user = await _user(ctx)
    tokens = await login(client, EMAIL)

    r = await _me(client, tokens["access_token"])

    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"user", "company", "roles"}
    assert body["user"]["id"] == user.id
    assert body["user"]["email"] == EMAIL
    assert body["company"]["id"] == user.company_id
    assert body["roles"] == ["company_admin"]


async def test_me_without_a_token_is_refused(client: Client) -> None:
    r = await client.get("/api/auth/me")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


async def test_me_with_a_garbage_token_is_refused(client: Client) -> None:
    r = await _me(client, "not.a.jwt")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


async def test_suspension_stops_an_unexpired_access_token_at_once(client: Client, ctx: AppContext) -> None:
    user = await _user(ctx)
    tokens = await login(client, EMAIL)
    assert (await _me(client, tokens["access_token"])).status_code == 200

    async with ctx.transaction() as db:
        await db.execute(update(User).where(User.id == user.id).values(is_suspended=True))

    r = await _me(client, tokens["access_token"])
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


async def test_a_refused_token_leaves_no_connection_checked_out(client: Client, ctx: AppContext) -> None:
    user = await _user(ctx)
    tokens = await login(client, EMAIL)
    async with ctx.transaction() as db:
        await db.execute(update(User).where(User.id == user.id).values(is_suspended=True))
    gc.collect()
    pool = app_ctx(client).engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]

    r = await _me(client, tokens["access_token"])

    assert r.status_code == 401
    assert pool.checkedout() == before  # type: ignore[attr-defined]


# --- logout ----------------------------------------------------------------------------


async def test_logout_ends_the_session(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    tokens = await login(client, EMAIL)

    r = await client.post("/api/auth/logout", headers=bearer(tokens["access_token"]))

    assert r.status_code == 204, r.text
    assert (await _me(client, tokens["access_token"])).status_code == 401
    assert (await _refresh(client, tokens["refresh_token"])).status_code == 401


async def test_logout_leaves_other_sessions_alone(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    one = await login(client, EMAIL)
    two = await login(client, EMAIL)

    r = await client.post("/api/auth/logout", headers=bearer(one["access_token"]))

    assert r.status_code == 204, r.text
    assert (await _me(client, two["access_token"])).status_code == 200


async def test_logout_of_all_sessions_ends_the_other_session_too(client: Client, ctx: AppContext) -> None:
    await _user(ctx)
    one = await login(client, EMAIL)
    two = await login(client, EMAIL)

    r = await client.post(
        "/api/auth/logout", headers=bearer(one["access_token"]), json={"all_sessions": True}
    )

    assert r.status_code == 204, r.text
    for session in (one, two):
        assert (await _me(client, session["access_token"])).status_code == 401
        r = await _refresh(client, session["refresh_token"])
        assert r.status_code == 401


async def test_logout_without_a_token_is_refused(client: Client) -> None:
    r = await client.post("/api/auth/logout")

    assert r.status_code == 401


# --- password change -------------------------------------------------------------------


async def _change(client: Client, access_token: str, current: str, new: str) -> Any:
    return await client.post(
        "/api/auth/password",
        headers=bearer(access_token),
        json={"current_password": current, "new_password": new},
    )


async def test_password_change_ends_other_sessions_but_keeps_this_one(
    client: Client, ctx: AppContext
) -> None:
    await _user(ctx)
    other = await login(client, EMAIL)
    this = await login(client, EMAIL)

    r = await _change(client, this["access_token"], PASSWORD, NEW_PASSWORD)

    assert r.status_code == 204, r.text
    r = await client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"
    assert (await _refresh(client, other["refresh_token"])).status_code == 401
    assert (await _me(client, other["access_token"])).status_code == 401
    assert (await _me(client, this["access_token"])).status_code == 200
    assert (await _refresh(client, this["refresh_token"])).status_code == 200
    await login(client, EMAIL, NEW_PASSWORD)


async def test_password_change_with_a_wrong_current_password_is_refused(
    client: Client, ctx: AppContext
) -> None:
    await _user(ctx)
    tokens = await login(client, EMAIL)

    r = await _change(client, tokens["access_token"], "not the password", NEW_PASSWORD)

    assert r.status_code == 401
    assert r.json() == {
        "status": 401,
        "code": "invalid_credentials",
        "detail": "The current password is wrong.",
        "errors": [],
    }
    await login(client, EMAIL)


async def test_password_change_to_a_too_short_password_is_a_validation_error(
    client: Client, ctx: AppContext
) -> None:
    await _user(ctx)
    tokens = await login(client, EMAIL)

    r = await _change(client, tokens["access_token"], PASSWORD, "short")

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
