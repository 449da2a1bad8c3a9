"""Sign-in with a mailed 2FA code: POST /api/auth/login then POST /api/auth/2fa/verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from models import TwoFactorCode
from server.context import AppContext
from server.settings import Settings
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, bearer, drained_mails, mailed_code

EMAIL = "twofa@example.jp"


async def _challenge(client: Client, ctx: AppContext, settings: Settings) -> tuple[str, str]:
    """Sign in a 2FA user; answer (challenge_token, the mailed code)."""
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email=EMAIL, require_2fa=True)
    r = await client.post("/api/auth/login", json={"email": EMAIL, "password": "correct horse battery"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["two_factor_required"] is True
    assert set(body) == {"two_factor_required", "challenge_token"}
    mails = await drained_mails(client, settings)
    assert len(mails) == 1
    assert mails[0]["To"] == EMAIL
    return body["challenge_token"], mailed_code(mails[0])


async def _verify(client: Client, challenge: str, code: str) -> Any:
    return await client.post("/api/auth/2fa/verify", json={"challenge_token": challenge, "code": code})


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_login_of_a_2fa_user_answers_a_challenge_not_tokens(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    challenge, code = await _challenge(client, ctx, settings)

    assert challenge
    assert len(code) == 6 and code.isdigit()


async def test_mailed_code_finishes_the_sign_in(client: Client, ctx: AppContext, settings: Settings) -> None:
    challenge, code = await _challenge(client, ctx, settings)

    r = await _verify(client, challenge, code)

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["user"]["email"] == EMAIL
    me = await client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200, me.text


async def test_wrong_code_is_refused(client: Client, ctx: AppContext, settings: Settings) -> None:
    challenge, code = await _challenge(client, ctx, settings)

    r = await _verify(client, challenge, _other(code))

    assert r.status_code == 401
    assert r.json() == {"status": 401, "code": "invalid_code", "detail": "The code is wrong.", "errors": []}


async def test_after_five_wrong_codes_even_the_right_code_is_locked(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    challenge, code = await _challenge(client, ctx, settings)
    for _ in range(5):
        r = await _verify(client, challenge, _other(code))
        assert r.status_code == 401
        assert r.json()["code"] == "invalid_code"

    r = await _verify(client, challenge, code)

    assert r.status_code == 401
    assert r.json()["code"] == "code_locked"


async def test_a_code_works_only_once(client: Client, ctx: AppContext, settings: Settings) -> None:
    challenge, code = await _challenge(client, ctx, settings)
    r = await _verify(client, challenge, code)
    assert r.status_code == 200, r.text

    r = await _verify(client, challenge, code)

    assert r.status_code == 401
    assert r.json()["code"] == "code_expired"


async def test_an_expired_code_is_refused(client: Client, ctx: AppContext, settings: Settings) -> None:
    challenge, code = await _challenge(client, ctx, settings)
    async with ctx.transaction() as db:
        await db.execute(update(TwoFactorCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))

    r = await _verify(client, challenge, code)

    assert r.status_code == 401
    assert r.json()["code"] == "code_expired"


async def test_a_malformed_code_is_a_validation_error(
    client: Client, ctx: AppContext, settings: Settings
) -> None:
    challenge, _code = await _challenge(client, ctx, settings)

    r = await _verify(client, challenge, "12ab")

    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "validation_error"
    assert body["status"] == 422


async def test_a_garbage_challenge_token_is_an_invalid_token(client: Client) -> None:
    r = await _verify(client, "not-a-jwt", "123456")

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"
