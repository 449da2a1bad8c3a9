"""No dependency of any route shares its name with a field of that route's body: Litestar turns
the validation error of such a field into a 500 (the interviews' `notes` once did)."""

from __future__ import annotations

import typing

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from server.app import create_app
from server.settings import Settings


def _body_fields(annotation: object) -> set[str]:
    fields: set[str] = set()
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
            fields |= set(candidate.__struct_fields__)
    return fields


def collisions(app: Litestar) -> list[str]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            clash = _body_fields(data.annotation) & set(handler.resolve_dependencies())
            found += [f"{handler.handler_name}: {name}" for name in sorted(clash)]
    return found


def test_no_dependency_is_named_like_a_body_field(settings: Settings) -> None:
    assert collisions(create_app(settings)) == []
