"""Fixtures of the realtime and signaling tests (a plugin of tests/conftest.py): a live server,
signed-in people, and socket clients."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, User
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.backends import REDIS_URL, for_this_worker, require
from tests.factories import make_company, make_user
from tests.realtime.harness import Client, LiveServer, ServerProcess, serve
from tests.server.auth.helpers import login


@dataclass
class Person:
    user: User
    token: str
    refresh_token: str

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Office:
    """One employer with an admin and two staff who may message each other."""

    company: Company
    admin: Person
    alice: Person
    bob: Person


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[LiveServer]:
    async with serve(settings) as server:
        yield server


@pytest.fixture
async def http(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.url) as client:
        yield client


async def sign_in(http: httpx.AsyncClient, user: User) -> Person:
    body = await login(http, user.email)  # type: ignore[arg-type]
    return Person(user=user, token=body["access_token"], refresh_token=body["refresh_token"])


@pytest.fixture
async def office(session: AsyncSession, ctx: AppContext, http: httpx.AsyncClient) -> Office:
    company = await make_company(session, CompanyType.EMPLOYER)
    admin = await make_user(session, ctx.passwords, company, RoleName.COMPANY_ADMIN)
    alice = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Alice")
    bob = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Bob")
    await session.commit()
    return Office(
        company=company,
        admin=await sign_in(http, admin),
        alice=await sign_in(http, alice),
        bob=await sign_in(http, bob),
    )


ClientFactory = Callable[..., Coroutine[Any, Any, Client]]


@pytest.fixture
async def connect(live: LiveServer) -> AsyncIterator[ClientFactory]:
    """Open a socket as someone (by access token); every socket is closed after the test."""
    opened: list[Client] = []

    async def open_socket(token: str | None, url: str | None = None) -> Client:
        client = Client()
        opened.append(client)
        await client.connect(url or live.url, token)
        return client

    yield open_socket
    for client in opened:
        await client.close()


CLUSTER_TTL = 5
"""Short, yet long enough that a loaded CI machine does not miss a heartbeat (every TTL/3)."""
# Without REDIS_URL (the embedded run) the cluster still needs a Redis: this database of the local one.
LOCAL_REDIS = for_this_worker("redis://127.0.0.1:6379/9")


@dataclass
class Cluster:
    """Two server processes of one database and one Redis, and an office's people to use them."""

    a: ServerProcess
    b: ServerProcess
    company: Company
    admin: Person
    alice: Person
    bob: Person
    clients: list[Client]

    async def socket(self, node: ServerProcess, person: Person) -> Client:
        client = Client()
        self.clients.append(client)
        await client.connect(node.url, person.token)
        return client


@pytest.fixture
async def cluster(settings: Settings, session: AsyncSession, ctx: AppContext) -> AsyncIterator[Cluster]:
    redis_url = REDIS_URL or LOCAL_REDIS
    require(redis_url, "Redis")
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    shared = dataclasses.replace(settings, redis_url=redis_url, presence_ttl_seconds=CLUSTER_TTL)
    company = await make_company(session, CompanyType.EMPLOYER)
    admin = await make_user(session, ctx.passwords, company, RoleName.COMPANY_ADMIN)
    alice = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    bob = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    a, b = ServerProcess(shared), ServerProcess(shared)
    await asyncio.gather(a.start(), b.start())
    try:
        async with httpx.AsyncClient(base_url=a.url) as http:
            people = [await sign_in(http, user) for user in (admin, alice, bob)]
        found = Cluster(a, b, company, *people, clients=[])
        yield found
        for client in found.clients:
            await client.close()
    finally:
        a.stop()
        b.stop()
