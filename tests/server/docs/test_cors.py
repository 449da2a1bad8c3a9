"""CORS_ORIGINS: unset, only the app's own origin may use the API and sockets; set, those origins too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.settings import Settings, SettingsError

ALLOWED = "https://app.example.com"
OTHER = "https://evil.example.net"
OWN = "http://testserver.local"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


@pytest.fixture
async def cors_client(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create(replace(settings, cors_origins=(ALLOWED,)))) as test_client:
        yield test_client


def test_cors_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    assert Settings.from_env().cors_origins == ()
    monkeypatch.setenv("CORS_ORIGINS", " https://App.example.com/, http://localhost:5173 ,")
    assert Settings.from_env().cors_origins == ("https://app.example.com", "http://localhost:5173")
    for wrong in ("app.example.com", "https://app.example.com/path", "ftp://x.example"):
        monkeypatch.setenv("CORS_ORIGINS", wrong)
        with pytest.raises(SettingsError, match="CORS_ORIGINS"):
            Settings.from_env()


async def test_by_default_no_origin_gets_cors_headers(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/health/live", headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options(
        "/api/auth/login", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_a_configured_origin_gets_cors_headers_and_another_does_not(
    cors_client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    allowed = await cors_client.get("/api/auth/me", headers={"Origin": ALLOWED})
    assert allowed.status_code == 401
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert "retry-after" in allowed.headers["access-control-expose-headers"].lower()
    preflight = await cors_client.options(
        "/api/todos",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code in {200, 204}
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    other = await cors_client.get("/api/auth/me", headers={"Origin": OTHER})
    assert other.status_code == 401
    assert "access-control-allow-origin" not in other.headers


async def test_sockets_accept_only_the_own_origin_by_default(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    assert (await client.get(HANDSHAKE, headers={"Origin": OWN})).status_code == 200
    assert (await client.get(HANDSHAKE)).status_code == 200  # not a browser: no Origin
    for origin in (ALLOWED, OTHER):
        assert (await client.get(HANDSHAKE, headers={"Origin": origin})).status_code == 400


async def test_sockets_accept_a_configured_origin_and_still_the_own_one(
    cors_client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    allowed = await cors_client.get(HANDSHAKE, headers={"Origin": ALLOWED})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert (await cors_client.get(HANDSHAKE, headers={"Origin": OWN})).status_code == 200
    assert (await cors_client.get(HANDSHAKE, headers={"Origin": OTHER})).status_code == 400
