"""The process-wide resources one app instance owns: engine, sessions, events, Redis, file storage.

Built once by `create_app`, reachable from handlers as `app.state.ctx` and from socket
handlers through the realtime server, so REST and sockets share the same resources.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server import audit
from server.auth import principals
from server.auth.passwords import Passwords
from server.auth.principals import PrincipalCache
from server.auth.tokens import TokenSigner
from server.db import create_engine, create_sessionmaker, unit_of_work, watch_writes
from server.domains.meetings.live.state import RoomStore, create_room_store
from server.effects import NoSockets, Sockets
from server.events import EventHub
from server.jobs import JobQueue
from server.jobs.queue import create_job_queue
from server.mail import Mailer
from server.presence import Presence, create_presence
from server.ratelimit import RateLimiter, create_rate_limiter
from server.settings import Settings
from server.storage import Storage, create_storage

REDIS_CONNECTIONS = 64
"""Per process; shared by rate limits, presence and room state."""


@dataclass(slots=True)
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    hub: EventHub
    redis: aioredis.Redis | None
    signer: TokenSigner
    passwords: Passwords
    limiter: RateLimiter
    mailer: Mailer
    presence: Presence
    storage: Storage
    jobs: JobQueue
    rooms: RoomStore
    principals: PrincipalCache
    """Principals reused between requests and events, dropped on every process at a change."""
    """Live room state (members, seats, consent), shared by every process through Redis."""
    sockets: Sockets = field(default_factory=NoSockets)
    """Socket.IO as effects see it; the realtime transport puts the real one here."""

    @classmethod
    def create(cls, settings: Settings) -> AppContext:
        engine = create_engine(settings.database_url, settings.db_pool_size)
        redis = None
        if settings.redis_url:
            # Under a burst, callers wait for a free connection instead of failing (redis-py's
            # plain pool raises past its maximum).
            pool = aioredis.BlockingConnectionPool.from_url(
                settings.redis_url, max_connections=REDIS_CONNECTIONS, timeout=10, decode_responses=True
            )
            redis = aioredis.Redis(connection_pool=pool)
        audit.install()
        principals.watch()
        watch_writes()
        hub = EventHub()
        mailer = Mailer(settings)
        mailer.attach(hub)
        return cls(
            settings=settings,
            engine=engine,
            sessionmaker=create_sessionmaker(engine),
            hub=hub,
            redis=redis,
            signer=TokenSigner(settings),
            passwords=Passwords(settings),
            limiter=create_rate_limiter(redis),
            mailer=mailer,
            presence=create_presence(redis, settings.presence_ttl_seconds),
            storage=create_storage(settings),
            jobs=create_job_queue(settings),
            rooms=create_room_store(redis),
            principals=PrincipalCache(redis, settings.principal_cache_seconds),
        )

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One unit of work: commits on success, rolls back on error, then applies its effects."""
        return unit_of_work(self)

    async def close(self) -> None:
        await self.jobs.stop()
        await self.principals.close()
        await self.mailer.drain()
        await self.engine.dispose()
        await self.storage.close()
        if self.redis is not None:
            await self.redis.aclose()
