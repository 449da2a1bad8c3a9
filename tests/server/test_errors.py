"""Bad input answers 4xx in the one error shape, never 500."""

from __future__ import annotations

from litestar.testing import AsyncTestClient


async def test_malformed_json_is_400(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post(
        "/api/auth/login",
        content=b'{"email": "a@b.jp", "password":',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


async def test_wrong_type_is_422_naming_the_field(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/auth/login", json={"email": "a@b.jp", "password": 12})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == ["password"]


async def test_unknown_field_is_422(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/auth/login", json={"email": "a@b.jp", "password": "x", "admin": True})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


async def test_oversized_body_is_413(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/auth/login", json={"email": "a@b.jp", "password": "x" * 2_000_000})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
