"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession

from server import logs, metrics
from server.auth.dependencies import provide_meta, provide_principal
from server.context import AppContext
from server.cors import cors_config
from server.docs.viewer import openapi_config
from server.domains import manifests
from server.domains.manifests import DOMAINS
from server.edge import Edge
from server.errors import handle_exception
from server.health import HealthController
from server.retry import RetryContention
from server.settings import Settings
from server.web import router as web_client


async def provide_session(state: State) -> AsyncIterator[AsyncSession]:
    ctx: AppContext = state.ctx
    async with ctx.transaction() as session:
        yield session


def create_app(
    settings: Settings,
    ctx: AppContext | None = None,
    on_startup: Sequence[Callable[[], Any]] = (),
    on_shutdown: Sequence[Callable[[], Any]] = (),
) -> Litestar:
    logs.configure(settings)
    context = ctx or AppContext.create(settings)
    metrics.watch_pool(context.engine)
    manifests.install(context)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            await context.principals.start()
            if settings.jobs_in_server:
                await context.jobs.start(context)
            yield
        finally:
            await context.close()
            metrics.process_stopped()

    app = Litestar(
        route_handlers=[
            HealthController,
            metrics.metrics_endpoint,
            *(c for domain in DOMAINS for c in domain.controllers),
            web_client,
        ],
        dependencies={
            "db": Provide(provide_session),
            "meta": Provide(provide_meta),
            "principal": Provide(provide_principal),
        },
        exception_handlers={Exception: handle_exception},
        middleware=[RetryContention],
        state=State({"ctx": context, "settings": settings}),
        lifespan=[lifespan],
        on_startup=list(on_startup),
        on_shutdown=list(on_shutdown),
        request_max_body_size=settings.max_request_bytes,
        cors_config=cors_config(settings),
        openapi_config=openapi_config(
            DOMAINS,
            title="MiraiWorks API",
            version="1.0.0",
            description="REST API of MiraiWorks. Realtime events travel over Socket.IO on the same origin: "
            "see [/schema/events](/schema/events) (AsyncAPI 3.0: [asyncapi.json](/schema/asyncapi.json)).",
        ),
        debug=settings.debug,
        logging_config=None,  # server.logs configured logging above; Litestar's would replace it
    )
    # Outside routing, so unmatched paths get a request id, a log line and metrics too.
    app.asgi_handler = Edge(app.asgi_handler)
    return app
