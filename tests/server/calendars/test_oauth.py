"""Connecting over OAuth 2.0 with PKCE through the fake authorization servers: the state is bound to
the user and expires, tokens are sealed at rest and refreshed before expiry, a revoked grant makes
the connection inactive and tells the user, disconnecting revokes and deletes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from models import CalendarConnection, Notification, UserSetting
from server.app import create_app
from server.context import AppContext
from server.domains.calendars.values import tokens
from server.jobs.inprocess import InProcessQueue
from server.settings import CalendarProviders, Settings
from tests.server.calendars.conftest import connect, move, settle
from tests.server.calendars.fakes import FakeGoogle, FakeMicrosoft
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, Tenants, assert_error

EMAIL = "recruiter@gmail.example"


async def test_providers_say_which_are_on(callers: Callers) -> None:
    answer = await callers.call("recruiter", "GET", "/api/calendars/providers")
    assert answer.json() == [
        {"provider": "google", "enabled": True},
        {"provider": "outlook", "enabled": True},
    ]


async def test_without_a_client_the_feature_is_off(settings: Settings, tenants: Tenants) -> None:
    off = dataclasses.replace(settings, calendars=CalendarProviders())
    app_ctx = AppContext.create(off)
    transport = httpx.ASGITransport(app=create_app(off, app_ctx))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            callers = Callers(http, tenants)  # type: ignore[arg-type]
            listed = await callers.call("recruiter", "GET", "/api/calendars/providers")
            assert [p["enabled"] for p in listed.json()] == [False, False]
            refused = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
            assert_error(refused, 409, "provider_disabled")
            unknown = await callers.call("recruiter", "POST", "/api/calendars/oauth/yahoo/authorize")
            assert_error(unknown, 404, "provider_not_found")
    finally:
        await app_ctx.close()


async def test_the_whole_flow_connects_with_pkce_and_seals_the_tokens(
    callers: Callers, ctx: AppContext, queue: InProcessQueue, google: FakeGoogle, tenants: Tenants
) -> None:
    started = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
    query = parse_qs(urlsplit(started.json()["authorization_url"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["access_type"] == ["offline"]
    assert "code_verifier" not in query
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    assert connection["provider"] == "google" and connection["external_account_email"] == EMAIL
    listed = await callers.call("recruiter", "GET", "/api/calendars/connections")
    [shown] = listed.json()["items"]
    assert (shown["is_active"], shown["sync_enabled"], shown["sync_status"]) == (True, True, "ok")
    assert shown["last_sync"] is not None
    async with ctx.sessionmaker() as db:
        row = await db.scalar(select(CalendarConnection))
        assert row is not None and row.user_id == tenants.user("recruiter").id
        issued = {token for token, (owner, _) in google.access.items() if owner == EMAIL}
        assert row.access_token not in issued and tokens(ctx.settings).open(row.access_token) in issued
        assert (
            row.refresh_token is not None and tokens(ctx.settings).open(row.refresh_token) in google.refresh
        )


async def test_a_state_works_once_for_its_user_and_expires(
    callers: Callers, queue: InProcessQueue, clock: ManualClock, google: FakeGoogle
) -> None:
    started = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
    google.login_as = EMAIL
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(started.json()["authorization_url"], follow_redirects=False)
    back = urlsplit(consent.headers["location"])
    callback = f"{back.path}?{back.query}"
    forged = await callers.client.get(callback.replace("state=", "state=x"))
    assert_error(forged, 400, "invalid_state")
    other = await callers.client.get(callback.replace("/google/", "/outlook/"))
    assert_error(other, 400, "invalid_state")
    clock.advance(timedelta(minutes=11))
    assert_error(await callers.client.get(callback), 400, "state_expired")
    fresh = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    assert fresh["is_active"]
    assert_error(await callers.client.get(callback), 400, "state_expired")


async def test_a_used_state_cannot_be_replayed(callers: Callers, google: FakeGoogle) -> None:
    started = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
    google.login_as = EMAIL
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(started.json()["authorization_url"], follow_redirects=False)
    back = urlsplit(consent.headers["location"])
    assert (await callers.client.get(f"{back.path}?{back.query}")).status_code == 200
    assert_error(await callers.client.get(f"{back.path}?{back.query}"), 400, "invalid_state")


async def test_tokens_are_refreshed_before_they_expire(
    callers: Callers, queue: InProcessQueue, clock: ManualClock, google: FakeGoogle
) -> None:
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    await move(queue, clock, timedelta(minutes=56))
    synced = await callers.call("recruiter", "POST", f"/api/calendars/connections/{connection['id']}/sync")
    assert synced.status_code == 202
    await settle(queue)
    token_calls = [path for method, path in google.requests if path == "/token"]
    assert len(token_calls) == 2  # the code, then one refresh
    shown = (await callers.call("recruiter", "GET", f"/api/calendars/connections/{connection['id']}")).json()
    assert shown["sync_status"] == "ok" and shown["token_expires_at"] > connection["token_expires_at"]


async def test_a_revoked_grant_makes_the_connection_inactive_and_tells_the_user(
    callers: Callers,
    ctx: AppContext,
    queue: InProcessQueue,
    clock: ManualClock,
    microsoft: FakeMicrosoft,
    tenants: Tenants,
) -> None:
    connection = await connect(callers, queue, microsoft, "recruiter", "outlook", "recruiter@outlook.example")
    microsoft.revoke_grants("recruiter@outlook.example")
    await move(queue, clock, timedelta(hours=2))
    await callers.call("recruiter", "POST", f"/api/calendars/connections/{connection['id']}/sync")
    await settle(queue)
    shown = (await callers.call("recruiter", "GET", f"/api/calendars/connections/{connection['id']}")).json()
    assert (shown["is_active"], shown["sync_status"]) == (False, "revoked")
    again = await callers.call("recruiter", "POST", f"/api/calendars/connections/{connection['id']}/sync")
    assert_error(again, 409, "connection_inactive")
    async with ctx.sessionmaker() as db:
        told = list(
            await db.scalars(
                select(Notification.type).where(Notification.user_id == tenants.user("recruiter").id)
            )
        )
    assert told == ["calendar_disconnected"]
    reconnected = await connect(
        callers, queue, microsoft, "recruiter", "outlook", "recruiter@outlook.example"
    )
    assert reconnected["id"] == connection["id"] and reconnected["is_active"]


async def test_disconnecting_revokes_at_the_provider_and_deletes_everything(
    callers: Callers, ctx: AppContext, queue: InProcessQueue, google: FakeGoogle
) -> None:
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    [refresh] = list(google.refresh)
    gone = await callers.call("recruiter", "DELETE", f"/api/calendars/connections/{connection['id']}")
    assert gone.status_code == 204
    assert google.revoked == [refresh] and not google.refresh
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(CalendarConnection)) is None
        keys = list(await db.scalars(select(UserSetting.setting_key)))
    assert not [key for key in keys if key.startswith(f"calendar.{connection['id']}.")]
    listed = await callers.call("recruiter", "GET", "/api/calendars/connections")
    assert listed.json() == {"items": [], "total": 0}


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_a_browser_is_sent_back_to_the_settings_page(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle
) -> None:
    started = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
    google.login_as = EMAIL
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(started.json()["authorization_url"], follow_redirects=False)
    back = urlsplit(consent.headers["location"])
    landed = await callers.client.get(f"{back.path}?{back.query}", headers=BROWSER)
    assert landed.status_code == 303
    assert landed.headers["location"] == "/settings/calendars?connected=google"
    await settle(queue)
    listed = await callers.call("recruiter", "GET", "/api/calendars/connections")
    [shown] = listed.json()["items"]
    assert shown["external_account_email"] == EMAIL
    # The state was used: a second landing is refused, and the page is told why.
    again = await callers.client.get(f"{back.path}?{back.query}", headers=BROWSER)
    assert again.status_code == 303
    assert again.headers["location"] == "/settings/calendars?error=invalid_state"


async def test_a_browser_is_told_of_a_refusal_and_nothing_is_kept(
    callers: Callers, ctx: AppContext, google: FakeGoogle
) -> None:
    started = await callers.call("recruiter", "POST", "/api/calendars/oauth/google/authorize")
    state = parse_qs(urlsplit(started.json()["authorization_url"]).query)["state"][0]
    denied = await callers.client.get(
        "/api/calendars/oauth/google/callback",
        params={"state": state, "error": "access_denied"},
        headers=BROWSER,
    )
    assert denied.status_code == 303
    assert denied.headers["location"] == "/settings/calendars?error=authorization_denied"
    unknown = await callers.client.get("/api/calendars/oauth/yahoo/callback", headers=BROWSER)
    assert unknown.headers["location"] == "/settings/calendars?error=provider_not_found"
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(CalendarConnection)) is None
    # The refusal was rolled back like the JSON one: the state still names a fresh nonce.
    as_json = await callers.client.get(
        "/api/calendars/oauth/google/callback", params={"state": state, "error": "access_denied"}
    )
    assert_error(as_json, 400, "authorization_denied")


async def test_the_callback_documents_the_browser_redirect(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    responses = schema["paths"]["/api/calendars/oauth/{provider}/callback"]["get"]["responses"]
    assert {"200", "303", "400", "404", "409", "503"} <= set(responses)
