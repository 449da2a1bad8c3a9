"""The OpenAPI document tells the truth: who must sign in, and which errors (in which shape) come back."""

from __future__ import annotations

from typing import Any

import jsonschema
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from openapi_spec_validator import validate

from server.app import create_app
from server.docs.openapi import EXTRA_STATUSES, NOT_RAISED, operations
from server.errors import ErrorBody, FieldError
from server.settings import Settings

PUBLIC = {
    "GET /health/live",
    "GET /health/ready",
    "POST /api/auth/login",
    "POST /api/auth/2fa/verify",
    "POST /api/auth/refresh",
    "POST /api/auth/activate",
    "POST /api/auth/password-reset",
    "POST /api/auth/password-reset/confirm",
    "GET /api/public/positions",
    "GET /api/public/positions/{position_id}",
    "GET /api/public/resumes/{slug}",
    "GET /api/public/resumes/{slug}/rirekisho.pdf",
    "GET /api/public/resumes/{slug}/shokumu.pdf",
    "GET /api/public/resumes/{slug}/resume.pdf",
    "GET /api/calendars/oauth/{provider}/callback",
    "GET /api/calendars/feed/{name}",
}
"""Every operation anyone may call without a token; every other one needs the bearer token."""

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture
async def doc(client: AsyncTestClient) -> dict[str, Any]:  # type: ignore[type-arg]
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def each_operation(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", spec)
        for path, item in doc["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def statuses(doc: dict[str, Any], key: str) -> set[int]:
    method, path = key.split(" ", 1)
    return {int(s) for s in doc["paths"][path][method.lower()]["responses"] if s.isdigit() and int(s) >= 400}


def test_the_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    validate(doc)  # type: ignore[arg-type]


def test_the_bearer_scheme_is_declared_on_every_protected_operation_only(doc: dict[str, Any]) -> None:
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": doc["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert "security" not in doc  # no global default: public operations are simply public
    found = each_operation(doc)
    assert len(found) > 100
    assert {key for key, _ in found} >= PUBLIC
    for key, spec in found:
        if key in PUBLIC:
            assert "security" not in spec, key
        else:
            assert spec.get("security") == [{"bearer": []}], key
            assert 401 in statuses(doc, key), key


def test_no_operation_keeps_litestars_generic_400(doc: dict[str, Any]) -> None:
    for key, spec in each_operation(doc):
        for status, response in spec["responses"].items():
            if int(status) < 400:
                continue
            assert response == {"$ref": response["$ref"]}, (key, status)
            resolved = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            assert resolved["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert resolved["content"]["application/json"]["example"]["status"] == int(status)


@pytest.mark.parametrize(
    ("key", "expected", "absent"),
    [
        ("POST /api/auth/login", {400, 401, 413, 422, 429}, {403, 404}),
        ("GET /api/auth/me", {401}, {400, 404, 413, 422, 429}),
        ("GET /api/todos/{todo_id}", {401, 404, 422}, {400, 403, 413}),
        ("PATCH /api/todos/{todo_id}", {400, 401, 403, 404, 413, 422}, {429}),
        ("POST /api/todos/{todo_id}/complete", {401, 403, 404, 409}, {400, 413}),
        ("POST /api/users", {400, 401, 403, 409, 413, 422}, {404}),
        ("POST /api/attachments", {401, 403, 413, 415, 422}, {404, 429}),
        ("GET /api/public/positions", {422}, {401, 403, 404}),
        ("GET /api/public/positions/{position_id}", {404, 422}, {401, 403}),
        ("GET /health/ready", {503}, {401, 422}),
        ("GET /health/live", set(), {400, 401, 404, 422}),
    ],
)
def test_operations_document_the_errors_they_can_answer(
    doc: dict[str, Any], key: str, expected: set[int], absent: set[int]
) -> None:
    found = statuses(doc, key)
    assert expected <= found, found
    assert not (absent & found), found


def test_the_error_schema_is_the_one_the_server_sends(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert set(schemas["Error"]["properties"]) == set(ErrorBody.__struct_fields__)
    assert set(schemas["Error"]["required"]) == set(ErrorBody.__struct_fields__)
    assert set(schemas["FieldError"]["properties"]) == set(FieldError.__struct_fields__)
    body = ErrorBody(404, "not_found", "Todo 1 was not found.", [FieldError("id", "no such todo")])
    jsonschema.validate(msgspec.to_builtins(body), _resolvable(doc, "Error"))


def _resolvable(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}


@pytest.mark.parametrize(
    ("key", "path", "status"),
    [
        ("GET /api/public/positions/{position_id}", "/api/public/positions/999999", 404),
        ("GET /api/public/positions", "/api/public/positions?limit=0", 422),
        ("GET /api/auth/me", "/api/auth/me", 401),
        ("POST /api/auth/login", "/api/auth/login", 422),
    ],
)
async def test_real_error_answers_match_the_documented_error_schema(
    client: AsyncTestClient,  # type: ignore[type-arg]
    doc: dict[str, Any],
    key: str,
    path: str,
    status: int,
) -> None:
    method = key.split(" ", 1)[0]
    response = await client.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == status
    assert status in statuses(doc, key)
    body = response.json()
    jsonschema.validate(body, _resolvable(doc, "Error"))
    assert body["status"] == status


def test_the_correction_tables_name_real_operations(doc: dict[str, Any]) -> None:
    keys = {key for key, _ in each_operation(doc)}
    for table in (EXTRA_STATUSES, NOT_RAISED):
        assert set(table) <= keys, set(table) - keys


def test_every_routed_operation_is_in_the_document(settings: Settings, doc: dict[str, Any]) -> None:
    keys = {key for key, _ in each_operation(doc)}
    assert {operation.key for operation in operations(create_app(settings))} == keys
