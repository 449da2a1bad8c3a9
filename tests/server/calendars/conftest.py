"""The calendars tests: the API served in this loop, its jobs on a clock the test moves, and local
fakes of Google and Microsoft the server talks to over HTTP (never the real services).

The interviews of `tests/server/interviews/conftest.py` (`desk`) are there too: `interview`, by
`recruiter` for `candidate`, 2030-04-01 10:00-11:00 Tokyo, with `employer` seated as interviewer.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from server.app import create_app
from server.context import AppContext
from server.jobs.inprocess import InProcessQueue
from server.settings import CalendarProviders, Settings
from tests.server.calendars.fakes import CLIENT_ID, CLIENT_SECRET, FakeGoogle, FakeMicrosoft, FakeProvider
from tests.server.interviews.conftest import desk
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, Tenants

__all__ = ["desk"]

NOW = datetime(2030, 3, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def queue(clock: ManualClock) -> InProcessQueue:
    """Retries wait exactly their backoff ceiling (no jitter), so a test knows when they come."""
    return InProcessQueue(clock=clock, jitter=lambda: 1.0)


@pytest.fixture
async def google(clock: ManualClock) -> AsyncIterator[FakeGoogle]:
    fake = FakeGoogle(clock)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def microsoft(clock: ManualClock) -> AsyncIterator[FakeMicrosoft]:
    fake = FakeMicrosoft(clock)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def calendar_settings(settings: Settings, google: FakeGoogle, microsoft: FakeMicrosoft) -> Settings:
    providers = CalendarProviders(
        google_client_id=CLIENT_ID,
        google_client_secret=CLIENT_SECRET,
        microsoft_client_id=CLIENT_ID,
        microsoft_client_secret=CLIENT_SECRET,
        **google.env(),
        **microsoft.env(),
    )
    return dataclasses.replace(settings, calendars=providers)


@pytest.fixture
async def app_ctx(calendar_settings: Settings, queue: InProcessQueue) -> AsyncIterator[AppContext]:
    ctx = AppContext.create(calendar_settings)
    await ctx.jobs.stop()  # SAQ's client, when REDIS_URL is set: this test's jobs run in process
    ctx.jobs = queue
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest.fixture
async def client(
    calendar_settings: Settings, app_ctx: AppContext, queue: InProcessQueue
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(calendar_settings, app_ctx))
    await queue.start(app_ctx)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def callers(client: httpx.AsyncClient, tenants: Tenants) -> Callers:
    return Callers(client, tenants)  # type: ignore[arg-type]


async def settle(queue: InProcessQueue) -> None:
    async with asyncio.timeout(15):
        await queue.settle()


async def move(queue: InProcessQueue, clock: ManualClock, by: timedelta) -> None:
    clock.advance(by)
    await settle(queue)


async def connect(
    callers: Callers, queue: InProcessQueue, fake: FakeProvider, who: str, provider: str, email: str
) -> dict[str, Any]:
    """The whole OAuth flow: start, the fake's consent page redirects, the callback; then the first sync."""
    started = await callers.call(who, "POST", f"/api/calendars/oauth/{provider}/authorize")
    assert started.status_code == 200, started.text
    fake.login_as = email
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(started.json()["authorization_url"], follow_redirects=False)
    assert consent.status_code == 302, consent.text
    location = urlsplit(consent.headers["location"])
    assert location.path == f"/api/calendars/oauth/{provider}/callback"
    answer = await callers.client.get(f"{location.path}?{location.query}")
    assert answer.status_code == 200, answer.text
    await settle(queue)
    connection: dict[str, Any] = answer.json()
    return connection


def google_event(event_id: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    """A timed Google event (times as ISO with offset)."""
    return {
        "kind": "calendar#event",
        "id": event_id,
        "status": "confirmed",
        "summary": more.pop("summary", f"event {event_id}"),
        "start": {"dateTime": start, "timeZone": "Asia/Tokyo"},
        "end": {"dateTime": end, "timeZone": "Asia/Tokyo"},
        "updated": "2030-02-01T00:00:00.000Z",
        **more,
    }


async def events_of(callers: Callers, who: str, connection_id: int) -> dict[str, dict[str, Any]]:
    """The synced events of a connection, by external id."""
    answer = await callers.call(who, "GET", f"/api/calendars/connections/{connection_id}/events?limit=200")
    assert answer.status_code == 200, answer.text
    return {item["external_event_id"]: item for item in answer.json()["items"]}
