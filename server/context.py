"""The process-wide resources one app instance owns: engine, sessions, events, Redis.

Built once by `create_app`, reachable from handlers as `app.state.ctx` and from socket
handlers through the realtime server, so REST and sockets share the same resources.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.db import create_engine, create_sessionmaker, unit_of_work
from server.events import EventHub
from server.settings import Settings


@dataclass(slots=True)
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    hub: EventHub
    redis: aioredis.Redis | None

    @classmethod
    def create(cls, settings: Settings) -> AppContext:
        engine = create_engine(settings.database_url, settings.db_pool_size)
        redis = aioredis.from_url(settings.redis_url, decode_responses=True) if settings.redis_url else None
        return cls(settings, engine, create_sessionmaker(engine), EventHub(), redis)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work outside a request (socket handlers, CLI, background jobs)."""
        async for session in unit_of_work(self.sessionmaker, self.hub):
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()
