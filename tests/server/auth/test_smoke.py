"""The happy path of a session: sign in, who am I, rotate the refresh token."""

from __future__ import annotations

from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, bearer, login


async def test_login_then_me_then_refresh_rotates_the_token(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db)
        await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN, email="smoke@example.jp")
    tokens = await login(client, "smoke@example.jp")

    r = await client.get("/api/auth/me", headers=bearer(tokens["access_token"]))
    assert r.status_code == 200, r.text
    assert r.json()["roles"] == ["company_admin"]

    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"] != tokens["refresh_token"]
