"""While the database or Redis cannot be reached, the API answers 503 `service_unavailable` with
Retry-After in the one error shape, never a 500 (`/health/ready` says which one is down)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.factories import PASSWORD, make_company, make_user
from tests.realtime.harness import free_port
from tests.server.auth.helpers import bearer
from tests.server.tenants import assert_error

Client = AsyncTestClient  # type: ignore[type-arg]


def closed_port() -> int:
    """A port nothing listens on (chosen free, then left unbound)."""
    return free_port()


async def serving(settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create(settings)) as client:
        yield client


@pytest.fixture
async def no_database(settings: Settings) -> AsyncIterator[Client]:
    unreachable = f"mysql+aiomysql://root@127.0.0.1:{closed_port()}/miraiworks"
    async for client in serving(dataclasses.replace(settings, database_url=unreachable)):
        yield client


@pytest.fixture
async def no_redis(settings: Settings) -> AsyncIterator[Client]:
    async for client in serving(
        dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    ):
        yield client


def assert_unavailable(response: object, dependency: str) -> None:
    body = assert_error(response, 503, "service_unavailable")  # type: ignore[arg-type]
    assert body["detail"] == f"{dependency} is unreachable; try again shortly."
    assert response.headers["retry-after"] == "5"  # type: ignore[attr-defined]


async def test_without_the_database_a_login_is_a_503(no_database: Client) -> None:
    response = await no_database.post("/api/auth/login", json={"email": "a@example.jp", "password": PASSWORD})

    assert_unavailable(response, "The database")


async def test_without_the_database_an_authenticated_call_is_a_503(
    no_database: Client, ctx: AppContext
) -> None:
    token = ctx.signer.access_token(user_id=1, session_id="0" * 24)

    response = await no_database.get("/api/auth/me", headers=bearer(token))

    assert_unavailable(response, "The database")
    ready = await no_database.get("/health/ready")
    assert (ready.status_code, ready.json()["code"]) == (503, "unavailable")


async def test_without_redis_a_login_is_a_503(no_redis: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db)
        user = await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN)
    started = time.monotonic()

    response = await no_redis.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})

    assert_unavailable(response, "Redis")
    assert time.monotonic() - started < 10
