"""The OpenAPI document as the server really behaves: who must sign in, which errors come back.

Litestar generates paths and schemas from the route handlers; `document` then adds what it
cannot know:

- the bearer scheme (`components.securitySchemes.bearer`) and `security` on every operation
  whose handler needs the `principal` dependency, directly or through another dependency
  (a service provider that takes it); public operations carry none;
- the error responses each operation can answer, every one with the one error shape
  (`components.schemas.Error`): 400/413/422 for a JSON body, 422 for query and path
  parameters, 404 for paths with parameters, 401 for protected routes, and whatever the
  route's code raises (`server.docs.raises`), corrected by `EXTRA_STATUSES` and `NOT_RAISED`;
- no more of Litestar's generic "400 Bad request syntax" with a body the server never sends;
- the real media type of a route that answers bytes (`Response[bytes]`, a stream or a file),
  which Litestar documents as JSON: `.pdf`/`.ics`/`.vtt` paths their type, others `*/*`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from litestar import Litestar, Response
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from server.docs.raises import RaiseReader

SECURITY_SCHEME = "bearer"
PRINCIPAL = "principal"
"""The dependency (`server.auth.dependencies.provide_principal`) every protected route needs."""

EXTRA_STATUSES: dict[str, frozenset[int]] = {
    # Answers ErrorBody itself (no AppError is raised) when a dependency is unreachable.
    "GET /health/ready": frozenset({503}),
    # The owning entity's check is looked up at run time (`server.domains.files.owners`): a file
    # of an entity the caller may see but not change is refused with 403.
    "DELETE /api/attachments/{attachment_id}": frozenset({403}),
}
"""Statuses a route answers that its code does not raise as an `AppError`."""

NOT_RAISED: dict[str, frozenset[int]] = {
    # `access.load(..., Access.READ)`: the 403 branch is only taken when more than READ is needed.
    "GET /api/todos/{todo_id}": frozenset({403}),
    # `UsersService.get` requires company_admin only for someone else's profile.
    "GET /api/users/me": frozenset({403}),
}
"""Statuses the code reader finds on a branch the route can never take."""

_RESPONSES: dict[int, tuple[str, str, str]] = {
    400: ("BadRequest", "bad_request", "The request is malformed (`malformed_json`: the body is not JSON)."),
    401: (
        "Unauthorized",
        "unauthorized",
        "No valid access token (`unauthorized`, `invalid_token`, `token_expired`), or wrong credentials.",
    ),
    403: ("Forbidden", "forbidden", "Signed in, but not allowed to do this."),
    404: ("NotFound", "not_found", "No such resource, or one of another tenant (answered alike)."),
    409: ("Conflict", "conflict", "Conflicts with the current state, or an illegal state change."),
    413: ("PayloadTooLarge", "payload_too_large", "The body (or the uploaded file) is larger than allowed."),
    415: ("UnsupportedMediaType", "unsupported_media_type", "This type of content is not accepted."),
    422: ("ValidationError", "validation_error", "A field or parameter is missing, unknown or invalid."),
    429: ("TooManyRequests", "rate_limited", "Rate-limited; try again after `Retry-After` seconds."),
    503: ("ServiceUnavailable", "unavailable", "A dependency (database, Redis) is unreachable."),
}
DOCUMENTED_STATUSES = frozenset(_RESPONSES)

ERROR_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "description": "The one shape of every error answer.",
        "required": ["status", "code", "detail", "errors"],
        "properties": {
            "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
            "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "description": "Machine-readable."},
            "detail": {"type": "string", "description": "Human-readable."},
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldError"},
                "description": "The fields at fault; may be empty.",
            },
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "description": "Dotted path of the field or parameter."},
            "message": {"type": "string"},
        },
    },
}

BEARER: dict[str, Any] = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "The access token from `POST /api/auth/login` (or `/refresh`, `/2fa/verify`); "
    "the same token opens a socket (`auth: {token}`).",
}


def error_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, (name, code, description) in _RESPONSES.items():
        response: dict[str, Any] = {
            "description": description,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"},
                    "example": {"status": status, "code": code, "detail": description, "errors": []},
                }
            },
        }
        if status == 429:
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds until a retry may succeed.",
                    "schema": {"type": "integer"},
                }
            }
        responses[name] = response
    return responses


@dataclass(frozen=True, slots=True)
class RouteOperation:
    method: str
    path: str
    """As in the document: `/api/todos/{todo_id}`."""
    handler: HTTPRouteHandler

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def operations(app: Litestar) -> Iterator[RouteOperation]:
    """Every operation the document lists, with the handler that answers it."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if handler.resolve_include_in_schema():
                yield RouteOperation(method.upper(), route.path_format or "/", handler)


def _dependency_chain(handler: HTTPRouteHandler) -> tuple[set[str], list[Any]]:
    """The names of every dependency the handler needs (through other dependencies too), and
    the provider functions behind them."""
    provided = handler.resolve_dependencies()
    names: set[str] = set()
    providers: list[Any] = []
    pending = list(handler.parsed_fn_signature.parameters)
    while pending:
        name = pending.pop()
        if name in names or name not in provided:
            continue
        names.add(name)
        provider = provided[name]
        providers.append(provider.dependency)
        pending.extend(provider.parsed_fn_signature.parameters)
    return names, providers


def is_protected(handler: HTTPRouteHandler) -> bool:
    return PRINCIPAL in _dependency_chain(handler)[0]


def error_statuses(operation: RouteOperation, spec: dict[str, Any], reader: RaiseReader) -> set[int]:
    """What the operation can answer besides its success, from its handler and its document."""
    names, providers = _dependency_chain(operation.handler)
    statuses: set[int] = set(reader.statuses(operation.handler.fn))
    for provider in providers:
        statuses |= reader.statuses(provider)
    if PRINCIPAL in names:
        statuses.add(401)
    parameters = spec.get("parameters") or []
    if parameters:
        statuses.add(422)  # Litestar's parameter validation, answered as 422 (server.errors)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)  # a path that names nothing, or a value its type does not match
    body = (spec.get("requestBody") or {}).get("content") or {}
    if "data" in operation.handler.parsed_fn_signature.parameters and (
        not body or "application/json" in body
    ):
        statuses |= {400, 413, 422}  # not JSON, over MAX_REQUEST_BYTES, invalid fields
    statuses |= EXTRA_STATUSES.get(operation.key, frozenset())
    statuses -= NOT_RAISED.get(operation.key, frozenset())
    return statuses & DOCUMENTED_STATUSES


def _litestar_generic_400(response: Any) -> bool:
    """The "400 Bad request syntax" Litestar adds to every operation: `{status_code, detail, extra}`."""
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
    return isinstance(schema, dict) and "status_code" in (schema.get("properties") or {})


FILE_MEDIA_TYPES = {".pdf": "application/pdf", ".ics": "text/calendar", ".vtt": "text/vtt"}
"""The media type of a bytes-answering route, by its path's suffix; any other is `*/*`."""
_JSON = "application/json"


def answers_bytes(handler: HTTPRouteHandler) -> bool:
    """Whether the handler answers raw bytes (a `Response[bytes]`, a stream or a file), not JSON."""
    annotation = handler.parsed_fn_signature.return_type.annotation
    origin = get_origin(annotation) or annotation
    if isinstance(origin, type) and issubclass(origin, Response):
        args = get_args(annotation)
        return origin is not Response or (bool(args) and args[0] is bytes)
    return False


def _file_media_types(operation: RouteOperation, responses: dict[str, Any]) -> None:
    if not answers_bytes(operation.handler):
        return
    suffix = "." + operation.path.rsplit(".", 1)[1] if "." in operation.path.rsplit("/", 1)[-1] else ""
    media = FILE_MEDIA_TYPES.get(suffix, "*/*")
    for status, response in responses.items():
        content = response.get("content") if status.startswith("2") else None
        if content and set(content) == {_JSON}:
            response["content"] = {media: {"schema": {"type": "string", "format": "binary"}}}


def document(app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of `app` with security and its real errors (a new dict)."""
    doc = copy.deepcopy(schema)
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {}).update(copy.deepcopy(ERROR_SCHEMAS))
    components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = dict(BEARER)
    components.setdefault("responses", {}).update(error_responses())
    reader = RaiseReader()
    paths = doc.get("paths") or {}
    for operation in operations(app):
        spec = (paths.get(operation.path) or {}).get(operation.method.lower())
        if spec is None:
            continue
        responses = spec.setdefault("responses", {})
        if "400" in responses and _litestar_generic_400(responses["400"]):
            del responses["400"]
        _file_media_types(operation, responses)
        for status in sorted(error_statuses(operation, spec, reader)):
            responses.setdefault(str(status), {"$ref": f"#/components/responses/{_RESPONSES[status][0]}"})
        if is_protected(operation.handler):
            spec.setdefault("security", [{SECURITY_SCHEME: []}])
    return doc
