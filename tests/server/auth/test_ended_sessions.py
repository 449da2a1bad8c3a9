"""Suspending or deleting a user ends their sessions for good: letting them back in does not
bring the tokens issued before back to life; they sign in again."""

from __future__ import annotations

import pytest

from tests.server.auth.helpers import bearer, login
from tests.server.tenants import Callers, assert_error, email_of


@pytest.mark.parametrize(
    ("away", "back"),
    [
        pytest.param(("POST", "/suspend"), "/unsuspend", id="suspended, then unsuspended"),
        pytest.param(("DELETE", ""), "/restore", id="deleted, then restored"),
    ],
)
async def test_tokens_from_before_stay_dead_once_the_user_is_let_back_in(
    callers: Callers, away: tuple[str, str], back: str
) -> None:
    client, user = callers.client, callers.tenants.user("recruiter")
    tokens = await login(client, email_of("recruiter"))
    assert (await client.get("/api/auth/me", headers=bearer(tokens["access_token"]))).status_code == 200

    gone = await callers.call("home_admin", away[0], f"/api/users/{user.id}{away[1]}")
    assert gone.status_code == 200, gone.text
    returned = await callers.call("home_admin", "POST", f"/api/users/{user.id}{back}")
    assert returned.status_code == 200, returned.text

    assert_error(
        await client.get("/api/auth/me", headers=bearer(tokens["access_token"])), 401, "invalid_token"
    )
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_error(refreshed, 401, "token_reused")
    fresh = await login(client, email_of("recruiter"))
    assert (await client.get("/api/auth/me", headers=bearer(fresh["access_token"]))).status_code == 200
