"""Fixtures of the fault tests: two server processes on one database (MariaDB when
DATABASE_URL says so, else the SQLite file) and a Redis server the test owns, so killing or
restarting it disturbs no other test."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.backends import IN_CI
from tests.factories import make_company, make_user
from tests.realtime.fixtures import Cluster, sign_in
from tests.realtime.harness import RedisServer, ServerProcess, process_environment

TTL = 3
"""Presence and seat TTL of the fault clusters: short, so the tests are quick."""


class Node(ServerProcess):
    """A server process with extra environment (its own database URL, socket ping times)."""

    def __init__(self, settings: Settings, **extra: str) -> None:
        super().__init__(settings)
        self.extra = extra

    def environment(self) -> dict[str, str]:
        return process_environment(self.settings, **self.extra)


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    if shutil.which("redis-server") is None:
        message = "the fault tests start a redis-server of their own; none is installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    server.kill()


ClusterFactory = Callable[..., Coroutine[Any, Any, Cluster]]


@pytest.fixture
async def start_cluster(
    settings: Settings, session: AsyncSession, ctx: AppContext, own_redis: RedisServer
) -> AsyncIterator[ClusterFactory]:
    """Start two processes on the test's database (or `database_url`) and its own Redis, with
    an office's admin, alice and bob signed in through the first one."""
    started: list[Cluster] = []

    async def start(database_url: str | None = None, **env: str) -> Cluster:
        shared = dataclasses.replace(
            settings,
            database_url=database_url or settings.database_url,
            redis_url=own_redis.url,
            presence_ttl_seconds=TTL,
        )
        company = await make_company(session, CompanyType.EMPLOYER)
        admin = await make_user(session, ctx.passwords, company, RoleName.COMPANY_ADMIN)
        alice = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
        bob = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
        await session.commit()
        a, b = Node(shared, **env), Node(shared, **env)
        try:
            await asyncio.gather(a.start(), b.start())
            async with httpx.AsyncClient(base_url=a.url) as http:
                people = [await sign_in(http, user) for user in (admin, alice, bob)]
        except BaseException:
            a.stop()
            b.stop()
            raise
        admin_in, alice_in, bob_in = people
        found = Cluster(a, b, company, admin_in, alice_in, bob_in, clients=[])
        started.append(found)
        return found

    yield start
    for cluster in started:
        for client in cluster.clients:
            await client.close()
        cluster.a.stop()
        cluster.b.stop()


async def eventually(check: Callable[[], Awaitable[bool]], within: float) -> float:
    """Seconds until `check()` held; fails after `within`."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < within, "did not recover in time"
        await asyncio.sleep(0.1)
    return time.monotonic() - started
