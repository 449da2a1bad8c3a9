"""What `/schema` serves: the OpenAPI document, Swagger UI from packaged files, the events document.

Nothing is loaded from another origin: Swagger UI's script, styles and icon come from the
`swagger-ui-bundle-v2` package (pinned in pyproject.toml) under `/schema/assets/swagger-ui-<version>/`,
so the page works offline and a new Swagger UI only arrives with a deliberate version bump
(the version in the URL lets browsers cache the files for good).

| path | what |
|---|---|
| `/schema`, `/schema/swagger` | Swagger UI, with the bearer `Authorize` button |
| `/schema/openapi.json` | the OpenAPI 3.1 document (`server.docs.openapi`) |
| `/schema/asyncapi.json` | the Socket.IO events as an AsyncAPI 3.0 document (`server.docs.asyncapi`) |
| `/schema/events` | the same events as a page |
"""

from __future__ import annotations

import importlib.resources
import mimetypes
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.router import Router
from litestar.serialization import encode_json

from server.docs.asyncapi import asyncapi_document
from server.docs.events_page import events_page
from server.docs.openapi import document
from server.manifest import Domain

SCHEMA_PATH = "/schema"
ASSET_FILES = (
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
    "swagger-ui.css",
    "favicon-32x32.png",
    "favicon-16x16.png",
    "swagger-ui-bundle.js.map",
    "swagger-ui-standalone-preset.js.map",
    "swagger-ui.css.map",
)
"""What the page loads (and the source maps browsers' developer tools ask for); nothing else
of the package's folder (its own index.html points at a demo API) is served."""


def swagger_ui_dir() -> Path:
    """The Swagger UI files of the installed `swagger-ui-bundle-v2` (one `swagger-ui-<version>` folder)."""
    vendor = Path(str(importlib.resources.files("swagger_ui_bundle") / "vendor"))
    found = sorted(p for p in vendor.iterdir() if p.is_dir() and p.name.startswith("swagger-ui-"))
    if len(found) != 1:
        raise RuntimeError(f"expected one Swagger UI in {vendor}, found {[p.name for p in found]}")
    return found[0]


class DocumentCache:
    """Litestar's schema dict, post-processed once per app (and again if the app's routes change)."""

    def __init__(self) -> None:
        self._source: dict[str, Any] | None = None
        self._documented: dict[str, Any] = {}

    def get(self, app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
        if schema is not self._source:
            self._documented = document(app, schema)
            self._source = schema
        return self._documented


class OpenAPIJson(OpenAPIRenderPlugin):
    """`/schema/openapi.json`, post-processed."""

    def __init__(self, cache: DocumentCache) -> None:
        super().__init__(path="/openapi.json", media_type=MediaType.JSON)
        self.cache = cache

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return encode_json(self.cache.get(request.app, openapi_schema))


class OfflineSwagger(SwaggerRenderPlugin):
    """Swagger UI with its files served by the app itself."""

    def __init__(self, cache: DocumentCache, path: str | Sequence[str] = "/swagger") -> None:
        self.files = swagger_ui_dir()
        self.assets = f"{SCHEMA_PATH}/assets/{self.files.name}"
        super().__init__(
            js_url=f"{self.assets}/swagger-ui-bundle.js",
            css_url=f"{self.assets}/swagger-ui.css",
            standalone_preset_js_url=f"{self.assets}/swagger-ui-standalone-preset.js",
            favicon=f'<link rel="icon" type="image/png" href="{self.assets}/favicon-32x32.png">',
            path=path,
        )
        self.cache = cache

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self.cache.get(request.app, openapi_schema))

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        files = self.files

        @get(f"/assets/{files.name}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
        def asset(name: str) -> Response[bytes]:
            if name not in ASSET_FILES:
                raise NotFoundException()
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if name.endswith(".map"):
                media_type = MediaType.JSON
            return Response(
                (files / name).read_bytes(),
                media_type=media_type,
                headers={"Cache-Control": "public, max-age=31536000, immutable"},
            )

        router.register(asset)


class EventsDocument(OpenAPIRenderPlugin):
    """A page under `/schema` that is not the OpenAPI document: the Socket.IO events."""

    def __init__(
        self,
        path: str,
        media_type: MediaType,
        domains: Sequence[Domain],
        render: Callable[[dict[str, Any]], bytes],
    ) -> None:
        super().__init__(path=path, media_type=media_type)
        self.domains = tuple(domains)
        self._render = render
        self._cached: bytes | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._cached is None:
            self._cached = self._render(asyncapi_document(self.domains))
        return self._cached


def openapi_config(domains: Sequence[Domain], *, title: str, version: str, description: str) -> OpenAPIConfig:
    """The `/schema` tree; the first plugin (Swagger UI) also answers `/schema` itself."""
    cache = DocumentCache()
    asyncapi_json = EventsDocument("/asyncapi.json", MediaType.JSON, domains, encode_json)
    page = EventsDocument("/events", MediaType.HTML, domains, lambda doc: events_page(doc).encode())
    return OpenAPIConfig(
        title=title,
        version=version,
        description=description,
        path=SCHEMA_PATH,
        render_plugins=[OfflineSwagger(cache), OpenAPIJson(cache), asyncapi_json, page],
    )
