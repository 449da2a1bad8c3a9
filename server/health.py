"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from sqlalchemy import text

from server.context import AppContext
from server.errors import ErrorBody, FieldError, error_response

CHECK_TIMEOUT_SECONDS = 3.0


class Health(msgspec.Struct):
    status: str
    checks: dict[str, str]


async def _check_database(ctx: AppContext) -> None:
    async with ctx.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _check_redis(ctx: AppContext) -> None:
    assert ctx.redis is not None
    await ctx.redis.ping()


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", summary="The process is up")
    async def live(self) -> Health:
        return Health(status="ok", checks={})

    @get("/ready", summary="The database and, when configured, Redis answer")
    async def ready(self, state: State) -> Response[Health] | Response[ErrorBody]:
        ctx: AppContext = state.ctx
        checks = {"database": _check_database(ctx)}
        if ctx.redis is not None:
            checks["redis"] = _check_redis(ctx)
        results: dict[str, str] = {}
        failures: list[FieldError] = []
        for name, probe in checks.items():
            try:
                await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
                results[name] = "ok"
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                failures.append(FieldError(field=name, message=reason))
        if failures:
            detail = "; ".join(f"{f.field} unreachable ({f.message})" for f in failures)
            return error_response(ErrorBody(503, "unavailable", detail, failures))
        return Response(Health(status="ok", checks=results))
