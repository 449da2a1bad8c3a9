"""Which other browser origins may call the API and open sockets: `CORS_ORIGINS`, none by default.

Unset, the API sends no CORS headers and python-socketio accepts only the app's own origin
(its default), so a page elsewhere can neither read answers nor open a socket. Set, both
accept the listed origins as well (`*`: any); the app's own origin always works.
Credentials are bearer tokens, never cookies, so no `Access-Control-Allow-Credentials`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar.config.cors import CORSConfig

from server.settings import Settings

ALLOWED_HEADERS = ["Authorization", "Content-Type", "Accept", "Accept-Language", "X-Requested-With"]
EXPOSED_HEADERS = ["Retry-After", "Content-Disposition", "Content-Length"]


def cors_config(settings: Settings) -> CORSConfig | None:
    """The API's CORS policy; None (no CORS middleware, no headers) when no origin is configured."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        allow_credentials=False,
        max_age=600,
    )


def _same_origin(environ: Mapping[str, Any]) -> set[str]:
    """The origins the request itself names, as python-socketio's own same-origin check reads them."""
    host = environ.get("HTTP_HOST")
    if not host:
        return set()
    scheme = environ.get("wsgi.url_scheme", "http")
    origins = {f"{scheme}://{host}"}
    if "HTTP_X_FORWARDED_PROTO" in environ or "HTTP_X_FORWARDED_HOST" in environ:
        forwarded_scheme = str(environ.get("HTTP_X_FORWARDED_PROTO", scheme)).split(",")[0].strip()
        forwarded_host = str(environ.get("HTTP_X_FORWARDED_HOST", host)).split(",")[0].strip()
        origins.add(f"{forwarded_scheme}://{forwarded_host}")
    return origins


def socket_origins(settings: Settings) -> str | Callable[[str | None, Mapping[str, Any]], bool] | None:
    """python-socketio's `cors_allowed_origins`: None keeps its same-origin default; with origins
    configured, a check that accepts those and still the app's own origin."""
    if not settings.cors_origins:
        return None
    if "*" in settings.cors_origins:
        return "*"
    allowed = frozenset(settings.cors_origins)

    def accept(origin: str | None, environ: Mapping[str, Any]) -> bool:
        return origin is not None and (origin.lower() in allowed or origin in _same_origin(environ))

    return accept
