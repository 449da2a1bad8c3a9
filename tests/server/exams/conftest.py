"""Fixtures of the exams tests: the exam clock and the job runner on one clock the test moves,
the API served in the test's loop, and a second candidate of the home agency (`rival`)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from server.app import create_app
from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.exams import timing
from server.jobs.inprocess import InProcessQueue
from server.settings import Settings
from tests.factories import make_user
from tests.server.exams.helpers import T0
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, Tenants


@pytest.fixture
def clock() -> Iterator[ManualClock]:
    """The exam rules' clock (`server.domains.exams.timing`), for every exams test."""
    manual = ManualClock(T0)
    saved = timing.clock
    timing.clock = manual
    yield manual
    timing.clock = saved


@pytest.fixture
def queue(clock: ManualClock) -> InProcessQueue:
    return InProcessQueue(clock=clock)


@pytest.fixture
async def app_ctx(settings: Settings, queue: InProcessQueue) -> AsyncIterator[AppContext]:
    """The app's own context on the embedded job runner (also on MariaDB: jobs run here)."""
    embedded = dataclasses.replace(settings, redis_url=None)
    context = AppContext.create(embedded)
    context.jobs = queue
    yield context
    await context.close()


@pytest.fixture
async def client(
    settings: Settings, app_ctx: AppContext, queue: InProcessQueue
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(dataclasses.replace(settings, redis_url=None), app_ctx))
    await queue.start(app_ctx)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def tenants(ctx: AppContext, tenants: Tenants) -> Tenants:
    """The tenants plus `rival`, a second candidate of the home agency."""
    async with ctx.transaction() as db:
        rival = await make_user(db, ctx.passwords, tenants.home, RoleName.CANDIDATE, first_name="rival")
    tenants.users["rival"] = rival
    return tenants


@pytest.fixture
def callers(client: httpx.AsyncClient, tenants: Tenants) -> Callers:
    return Callers(client, tenants)  # type: ignore[arg-type]
