"""The calendars settings page in a real browser, against a server whose Google is the local fake of
tests/server/calendars/fakes.py: connecting goes through the fake's consent, which redirects the
browser to the OAuth callback, which sends it back (303) to the page with the connection listed;
the connection is paused, resumed and disconnected; the ICS feed's URL is shown once and serves
the calendar."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.asgi import create
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import CalendarProviders, Settings
from tests.e2e.conftest import Pages, Shot, sign_in
from tests.factories import make_company, make_user
from tests.realtime.harness import free_port
from tests.server.calendars.fakes import CLIENT_ID, CLIENT_SECRET, FakeGoogle
from tests.server.jobs.clock import ManualClock

pytestmark = pytest.mark.e2e

EMAIL = "yui.ishikawa@gmail.example"


@pytest.fixture
async def google() -> AsyncIterator[FakeGoogle]:
    fake = FakeGoogle(ManualClock(datetime.now(UTC)))
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The app on a free port, its PUBLIC_BASE_URL that very address (the OAuth redirect URI and
    the feed's URL name it), Google's client pointing at the fake; Microsoft stays off."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create(dataclasses.replace(settings, public_base_url=url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield url
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def site(settings: Settings, google: FakeGoogle) -> AsyncIterator[str]:
    providers = CalendarProviders(
        google_client_id=CLIENT_ID, google_client_secret=CLIENT_SECRET, **google.env()
    )
    async with serving(dataclasses.replace(settings, calendars=providers)) as url:
        yield url


async def test_a_recruiter_connects_google_and_subscribes_to_her_feed(
    site: str, google: FakeGoogle, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    company = await make_company(session, CompanyType.RECRUITING_AGENCY)
    recruiter = await make_user(
        session, ctx.passwords, company, RoleName.RECRUITER, first_name="Yui", last_name="Ishikawa"
    )
    await session.commit()
    google.login_as = EMAIL

    page = await pages.open(site, locale="en-US")
    await sign_in(page, recruiter)
    await page.goto("/settings")
    await page.click("#settings-calendars")
    await page.wait_for_selector("main[data-route=calendars] h1:text-is('Calendars')")
    await page.wait_for_selector("#no-connections")
    # Both providers are listed; Microsoft has no client on this server, so it cannot be connected.
    assert await page.is_enabled(".calendar-provider[data-provider=google] button[data-connect]")
    assert await page.is_disabled(".calendar-provider[data-provider=outlook] button[data-connect]")
    assert "Off on this server" in await page.inner_text(".calendar-provider[data-provider=outlook]")

    # Connect: the authorization URL, the fake's consent (a 302 to the callback), the callback's 303.
    async with page.expect_navigation(url=f"{site}/settings/calendars?connected=google"):
        await page.click(".calendar-provider[data-provider=google] button[data-connect]")
    notice = await page.wait_for_selector("#calendar-notice")
    assert "Google Calendar is connected" in await notice.inner_text()
    row = await page.wait_for_selector(".calendar-connection")
    assert EMAIL in await row.inner_text() and "null" not in await row.inner_text()
    assert page.url == f"{site}/settings/calendars"  # a reload does not show the notice again
    assert [path for _, path in google.requests if path == "/token"] == ["/token"]
    await shot(page, "calendars-en")

    # Pause and resume the sync, then queue one.
    await page.click(".calendar-connection button[data-action=pause]")
    await page.wait_for_selector(".calendar-connection .chip:text-is('Paused')")
    assert await page.is_disabled(".calendar-connection button[data-action=sync]")
    await page.click(".calendar-connection button[data-action=resume]")
    await page.wait_for_selector(".calendar-connection button[data-action=pause]")
    await page.click(".calendar-connection button[data-action=sync]")
    await page.wait_for_selector(".toast:has-text('A sync is on its way.')")

    # The feed: made on demand, its URL shown once, and it serves the calendar without a login.
    await page.wait_for_selector("#feed-status:has-text('no subscription URL')")
    await page.click("#feed-rotate")
    field = await page.wait_for_selector("#feed-url")
    feed_url = await field.input_value()
    assert feed_url.startswith(f"{site}/api/calendars/feed/") and feed_url.endswith(".ics")
    async with httpx.AsyncClient() as http:
        served = await http.get(feed_url)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/calendar")
    assert served.text.startswith("BEGIN:VCALENDAR")
    await page.reload()
    await page.wait_for_selector("#feed-status:has-text('You have a subscription URL')")
    assert await page.query_selector("#feed-url") is None

    # Disconnecting asks first, then revokes the grant at Google.
    await page.click(".calendar-connection button[data-action=disconnect]")
    await page.click(".calendar-connection button[data-action=disconnect-confirm]")
    await page.wait_for_selector("#no-connections")
    assert len(google.revoked) == 1


async def test_a_refused_consent_lands_on_the_page_with_its_reason(
    site: str, session: AsyncSession, ctx: AppContext, pages: Pages
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    person = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Ren")
    await session.commit()
    page = await pages.open(site, locale="ja-JP")
    await sign_in(page, person)
    # What a browser would bring back from a provider with a state this server never made.
    await page.goto("/api/calendars/oauth/google/callback?code=x&state=forged")
    await page.wait_for_url(f"{site}/settings/calendars")
    notice = await page.wait_for_selector("#calendar-notice[role=alert]")
    assert "無効" in await notice.inner_text()
    await page.wait_for_selector("#no-connections")
