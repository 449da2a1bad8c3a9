"""Shared fixtures: a clean database per test, settings, the app and an HTTP client."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import models
from server import migrate
from server.asgi import create
from server.context import AppContext
from server.db import create_engine
from server.settings import Settings, async_database_url
from tests.backends import DATABASE_URL, REDIS_URL, create_worker_database, require

pytest_plugins = ["tests.realtime.fixtures"]

# Rows the migrations themselves insert; every other table is emptied between tests.
KEPT_TABLES = {"roles", "alembic_version"}


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at head: DATABASE_URL when set (CI), else an SQLite template file."""
    if DATABASE_URL:
        require(DATABASE_URL.replace("mysql+aiomysql", "mysql"), "the test database")
        create_worker_database(DATABASE_URL)
        migrate.upgrade("head", DATABASE_URL)
        return async_database_url(DATABASE_URL)
    template = tmp_path_factory.mktemp("db") / "template.db"
    url = f"sqlite+aiosqlite:///{template}"
    migrate.upgrade("head", url)
    return url


async def _empty_tables(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("SET FOREIGN_KEY_CHECKS=0"))
            for table in reversed(models.Base.metadata.sorted_tables):
                if table.name not in KEPT_TABLES:
                    await conn.execute(table.delete())
            await conn.execute(text("SET FOREIGN_KEY_CHECKS=1"))
    finally:
        await engine.dispose()


@pytest.fixture
async def database_url(migrated_database: str, tmp_path: Path) -> str:
    """A clean database for this test (a copy of the SQLite template, or emptied MySQL tables)."""
    if migrated_database.startswith("sqlite"):
        template = Path(migrated_database.split(":///", 1)[1])
        copy = tmp_path / "test.db"
        shutil.copyfile(template, copy)
        return f"sqlite+aiosqlite:///{copy}"
    await _empty_tables(migrated_database)
    return migrated_database


@pytest.fixture
async def redis_url() -> str | None:
    """REDIS_URL when set, emptied for this test (rate-limit counters, presence, rooms)."""
    if REDIS_URL:
        require(REDIS_URL, "Redis")
        client = aioredis.from_url(REDIS_URL)
        try:
            await client.flushdb()
        finally:
            await client.aclose()
    return REDIS_URL


@pytest.fixture
def settings(database_url: str, redis_url: str | None, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        var_dir=tmp_path / "var",
        storage_dir=tmp_path / "var" / "files",
        redis_url=redis_url,
        password_time_cost=1,
        password_memory_kib=8,
        db_pool_size=5,
    )


@pytest.fixture
async def ctx(settings: Settings) -> AsyncIterator[AppContext]:
    context = AppContext.create(settings)
    try:
        yield context
    finally:
        await context.close()


@pytest.fixture
async def session(ctx: AppContext) -> AsyncIterator[AsyncSession]:
    """A session for arranging and inspecting data; commit explicitly to make rows visible."""
    async with ctx.sessionmaker() as db:
        yield db


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create(settings)) as test_client:
        yield test_client
