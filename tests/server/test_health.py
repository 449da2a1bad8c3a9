"""Health probes: live always answers; ready reflects the database and Redis."""

from __future__ import annotations

from dataclasses import replace

from litestar.testing import AsyncTestClient

from server.asgi import create
from server.settings import Settings


async def test_live_answers_ok(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


async def test_ready_reports_each_configured_dependency(client: AsyncTestClient, settings: Settings) -> None:  # type: ignore[type-arg]
    response = await client.get("/health/ready")
    assert response.status_code == 200
    expected = {"database": "ok", "redis": "ok"} if settings.redis_url else {"database": "ok"}
    assert response.json() == {"status": "ok", "checks": expected}


async def test_ready_is_503_with_the_reason_when_redis_is_down(settings: Settings) -> None:
    down = replace(settings, redis_url="redis://127.0.0.1:1/0")
    async with AsyncTestClient(app=create(down)) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == 503
    assert body["code"] == "unavailable"
    assert [e["field"] for e in body["errors"]] == ["redis"]
    assert "redis unreachable" in body["detail"]


async def test_ready_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    down = replace(settings, database_url="mysql+aiomysql://root@127.0.0.1:1/nowhere", redis_url=None)
    async with AsyncTestClient(app=create(down)) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert [e["field"] for e in response.json()["errors"]] == ["database"]


async def test_openapi_document_is_served(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "MiraiWorks API"


async def test_unknown_route_answers_the_error_shape(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not Found", "errors": []}
