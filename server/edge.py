"""The HTTP edge: every request gets a request id, a log context, one log line and its metrics.

It wraps Litestar's whole handler (routing and the app's exception handling inside), so a
request that matched no route is seen too, and a request rerun for contention
(`server.retry`, inside a route) counts once. The route is the template Litestar matched
(`/api/interviews/{interview_id:int}`), never the raw path, so the metrics' labels stay few.

The request id is the caller's `X-Request-ID` when sane (`server.logs.valid_request_id`), else
a fresh one; the answer carries it in `X-Request-ID`, error answers included. The error body
keeps the four fields the client contract names (`status, code, detail, errors`): the id is
in the header, not in the body.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server import logs, metrics

log = logging.getLogger("miraiworks.http")

REQUEST_ID_HEADER = b"x-request-id"
QUIET_ROUTES = frozenset({"/metrics", "/health/live", "/health/ready"})
"""Scraped and probed every few seconds: logged at DEBUG, not INFO."""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
                return None
    return None


class Edge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = logs.valid_request_id(_header(scope, REQUEST_ID_HEADER)) or logs.new_request_id()
        method = str(scope.get("method", "GET"))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != REQUEST_ID_HEADER]
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        metrics.HTTP_IN_PROGRESS.inc()
        with logs.context(request_id=request_id, method=method):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                metrics.HTTP_IN_PROGRESS.dec()
                seconds = time.perf_counter() - started
                route = _route(scope)
                metrics.http_request(method, route, status, seconds)
                level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
                log.log(
                    level,
                    "%s %s %d",
                    method,
                    route,
                    status,
                    extra={"route": route, "status": status, "duration_ms": round(seconds * 1000, 2)},
                )


def _route(scope: Scope) -> str:
    template: Any = scope.get("path_template")
    return template if isinstance(template, str) and template else metrics.UNMATCHED_ROUTE
