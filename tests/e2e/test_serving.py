"""The app serves the browser client (server/web.py): every page of the client answers its
shell, the links the server hands out (mailed links, notifications' `action_url`s, room codes)
land on such a page, and nothing of the API, the schema or the health checks is shadowed.
No browser here: these run with the rest of the suite."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from server.auth.links import activation_link, reset_link
from server.context import AppContext
from server.settings import Settings
from server.web import PAGES, WEB_ROOT

CLIENT_PATHS = [
    "/",
    "/login",
    "/activate?token=abc",
    "/reset-password",
    "/reset-password?token=abc",
    "/messages",
    "/messages/12",
    "/notifications",
    "/interviews",
    "/interviews/4",  # notifications of interviews and their reminders
    "/todos",
    "/todos/7",  # notifications of todos and extension requests
    "/settings",
    "/r/abcd-efgh-jkmn",  # a call's room code
    "/r/HT7UFDgJdW8bG-MFCVVRQg",  # a meeting's room id
    "/rooms/abcd-efgh-jkmn",  # meeting and call invitations
]


@pytest.mark.parametrize("path", CLIENT_PATHS)
async def test_each_page_of_the_client_answers_its_shell(client: Any, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/js/main.js">' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"  # mailed tokens stay in the page


async def test_the_mailed_links_land_on_pages_of_the_client(
    client: Any, ctx: AppContext, settings: Settings
) -> None:
    user: Any = SimpleNamespace(id=5, hashed_password=None, is_active=False)
    for link in (activation_link(ctx.signer, settings, user), reset_link(ctx.signer, settings, user)):
        parts = urlsplit(link)
        response = await client.get(f"{parts.path}?{parts.query}")
        assert response.status_code == 200, link
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/js/main.js", "text/javascript"),
        ("/static/css/app.css", "text/css"),
        ("/static/vendor/socket.io-client/socket.io.esm.min.js", "text/javascript"),
    ],
)
async def test_the_client_files_are_served(client: Any, path: str, content_type: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["cache-control"] == "no-cache"


async def test_the_vendored_socket_io_client_is_the_pinned_official_build() -> None:
    head = (WEB_ROOT / "vendor" / "socket.io-client" / "socket.io.esm.min.js").read_text()[:200]
    assert "Socket.IO v4.8.4" in head
    assert (WEB_ROOT / "vendor" / "socket.io-client" / "LICENSE").read_text().startswith("The MIT License")


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing-here",
        "/nothing-here",
        "/interviews/not-a-number",
        "/static/nothing.js",
        "/static/../pyproject.toml",
    ],
)
async def test_other_paths_keep_the_json_404(client: Any, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_the_api_schema_and_health_are_not_shadowed(client: Any) -> None:
    assert (await client.get("/health/live")).json()["status"] == "ok"
    schema = (await client.get("/schema/openapi.json")).json()
    # The client's pages stay out of the API's document.
    assert not any(path in schema["paths"] for path in PAGES)
    unauthenticated = await client.get("/api/auth/me")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["code"]
