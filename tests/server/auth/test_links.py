"""Mailed single-use links: account activation and password reset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import User
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.factories import PASSWORD, make_company, make_user
from tests.server.auth.helpers import Client, bearer, drained_mails, link_token, login

NEW_PASSWORD = "a brand new passphrase"
ACCEPTED = {"detail": "If an account exists for this email, a reset link is on its way."}


async def _activate(client: Client, token: str, password: str = NEW_PASSWORD) -> Any:
    return await client.post("/api/auth/activate", json={"token": token, "password": password})


async def _confirm_reset(client: Client, token: str, password: str = NEW_PASSWORD) -> Any:
    return await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": password})


# --- activation ------------------------------------------------------------------------


async def _created_user(client: Client, ctx: AppContext, settings: Settings) -> tuple[dict[str, Any], str]:
    """A company_admin creates an employer; answer the created user and the mailed link's token."""
    async with ctx.transaction() as db:
        company = await make_company(db)
        await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN, email="admin@example.jp")
    admin = await login(client, "admin@example.jp")
    r = await client.post(
        "/api/users/",
        headers=bearer(admin["access_token"]),
        json={"email": "new@example.jp", "first_name": "Hanako", "last_name": "Sato", "roles": ["employer"]},
    )
    assert r.status_code == 201, r.text
    mails = await drained_mails(client, settings)
    assert len(mails) == 1
    assert mails[0]["To"] == "new@example.jp"
    return r.json(), link_token(mails[0])


async def test_created_user_is_inactive_until_activated(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    created, _token = await _created_user(client, ctx, settings)

    assert created["is_active"] is False
    assert created["email"] == "new@example.jp"
    assert created["roles"] == ["employer"]
    r = await client.post("/api/auth/login", json={"email": "new@example.jp", "password": NEW_PASSWORD})
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"


async def test_activation_link_sets_the_password_and_activates(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    created, token = await _created_user(client, ctx, settings)

    r = await _activate(client, token)

    assert r.status_code == 204, r.text
    tokens = await login(client, "new@example.jp", NEW_PASSWORD)
    assert tokens["user"]["id"] == created["id"]
    assert tokens["user"]["is_active"] is True


async def test_activation_link_works_only_once(client: Client, ctx: AppContext, settings: Settings) -> None:
    _created, token = await _created_user(client, ctx, settings)
    assert (await _activate(client, token)).status_code == 204

    r = await _activate(client, token, "another new passphrase")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"
    await login(client, "new@example.jp", NEW_PASSWORD)


async def test_activation_with_a_too_short_password_is_a_validation_error(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    _created, token = await _created_user(client, ctx, settings)

    r = await _activate(client, token, "short")

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"


async def test_activation_with_a_garbage_token_is_refused(client: Client) -> None:
    r = await _activate(client, "garbage")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


# --- password reset --------------------------------------------------------------------


async def _known_user(ctx: AppContext) -> User:
    async with ctx.transaction() as db:
        return await make_user(db, ctx.passwords, await make_company(db), email="reset@example.jp")


async def _request_reset(client: Client, email: str) -> Any:
    return await client.post("/api/auth/password-reset", json={"email": email})


async def test_reset_request_answers_alike_for_known_and_unknown_emails(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    await _known_user(ctx)

    known = await _request_reset(client, "reset@example.jp")
    unknown = await _request_reset(client, "nobody@example.jp")

    assert (known.status_code, known.json()) == (202, ACCEPTED)
    assert (unknown.status_code, unknown.json()) == (202, ACCEPTED)
    mails = await drained_mails(client, settings)
    assert [m["To"] for m in mails] == ["reset@example.jp"]


async def test_reset_link_sets_a_new_password(client: Client, ctx: AppContext, settings: Settings) -> None:
    await _known_user(ctx)
    session = await login(client, "reset@example.jp")
    assert (await _request_reset(client, "reset@example.jp")).status_code == 202
    (mail,) = await drained_mails(client, settings)

    r = await _confirm_reset(client, link_token(mail))

    assert r.status_code == 204, r.text
    r = await client.post("/api/auth/login", json={"email": "reset@example.jp", "password": PASSWORD})
    assert r.status_code == 401
    await login(client, "reset@example.jp", NEW_PASSWORD)
    # A reset ends every earlier session.
    assert (await client.get("/api/auth/me", headers=bearer(session["access_token"]))).status_code == 401


async def test_reset_link_works_only_once(client: Client, ctx: AppContext, settings: Settings) -> None:
    await _known_user(ctx)
    assert (await _request_reset(client, "reset@example.jp")).status_code == 202
    (mail,) = await drained_mails(client, settings)
    assert (await _confirm_reset(client, link_token(mail))).status_code == 204

    r = await _confirm_reset(client, link_token(mail), "another new passphrase")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"
    await login(client, "reset@example.jp", NEW_PASSWORD)


async def test_reset_is_not_mailed_to_a_suspended_user(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="held@example.jp", is_suspended=True)

    r = await _request_reset(client, "held@example.jp")

    assert (r.status_code, r.json()) == (202, ACCEPTED)
    assert await drained_mails(client, settings) == []


async def test_activation_token_is_not_a_reset_token(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    created, token = await _created_user(client, ctx, settings)

    r = await _confirm_reset(client, token)

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(User.hashed_password).where(User.id == created["id"])) is None
