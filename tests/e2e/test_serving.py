"""The app serves the browser client (server/web.py): every page of the client answers its
shell, the links the server hands out (mailed links, notifications' `action_url`s, room codes)
land on such a page, and nothing of the API, the schema or the health checks is shadowed.
No browser here: these run with the rest of the suite."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from server import web
from server.auth.links import activation_link, reset_link
from server.context import AppContext
from server.settings import Settings
from server.web import PAGES, WEB_ROOT
from tests.realtime.harness import ROOT

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
    "/candidates",
    "/candidates?q=Python",
    "/candidates/9",
    "/resumes",
    "/resumes/3",
    "/exams",
    "/exams/sessions/5",  # notifications of exam assignments
    "/personality",
    "/settings",
    "/settings/calendars",  # a calendar disconnected; the OAuth callback sends a browser back here
    "/settings/calendars?connected=google",
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


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/activate?token=abc",
        "/interviews/4",
        "/r/abcd-efgh-jkmn",
        "/static/js/main.js",
        "/static/css/app.css",
        "/static/img/icon.svg",
        "/static/vendor/socket.io-client/socket.io.esm.min.js",
    ],
)
async def test_head_answers_the_headers_of_get_without_a_body(client: Any, path: str) -> None:
    got = await client.get(path)
    headed = await client.head(path)
    assert (headed.status_code, headed.content) == (200, b"")
    # Each answer names its own request (`X-Request-ID`); every other header is the same.
    per_request = {"x-request-id"}
    assert {k: v for k, v in headed.headers.items() if k not in per_request} == {
        k: v for k, v in got.headers.items() if k not in per_request
    }
    assert int(headed.headers["content-length"]) == len(got.content)


async def test_head_of_a_missing_file_or_page_is_a_404(client: Any) -> None:
    for path in ("/static/nothing.js", "/nothing-here", "/static/../pyproject.toml"):
        assert (await client.head(path)).status_code == 404, path


def _dockerfile() -> list[list[str]]:
    """The Dockerfile's instructions, one word list each (continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_the_image_holds_the_client_where_the_server_looks_for_it() -> None:
    """The image installs the packages into site-packages (far from any `web/`), so the server
    finds the client in its working directory: `web/` must be copied into the WORKDIR, and the
    server must be started from there."""
    steps = _dockerfile()
    [workdir] = [Path(step[1]) for step in steps if step[0] == "WORKDIR"]
    copies = {
        Path(step[-1]) if Path(step[-1]).is_absolute() else workdir / step[-1]: step[1:-1]
        for step in steps
        if step[0] == "COPY"
    }
    assert copies.get(workdir / "web") == ["web"], "the image does not COPY web/ into its WORKDIR"
    [command] = [step for step in steps if step[0] == "CMD"]
    assert "cd " not in " ".join(command), "the server must run in the WORKDIR, where web/ is"


def test_the_client_is_found_in_the_working_directory_of_an_installed_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "index.html").write_text("<!doctype html>")
    monkeypatch.setattr(web, "_SOURCE_TREE", tmp_path / "site-packages" / "web")  # as installed
    monkeypatch.chdir(tmp_path)
    assert web.web_root() == tmp_path / "web"


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
        "/candidates/not-a-number",
        "/resumes/not-a-number",
        "/exams/sessions/not-a-number",
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


def _strings() -> dict[str, set[str]]:
    """The keys of each language in web/js/core/strings.js."""
    text = (WEB_ROOT / "js" / "core" / "strings.js").read_text()
    ja, en = text.split("\n  ja: {", 1)[1].split("\n  en: {", 1)
    key = re.compile(r"^\s+'?([a-z0-9_.]+)'?:", re.MULTILINE)
    return {"ja": set(key.findall(ja)), "en": set(key.findall(en))}


def test_every_text_of_the_client_is_in_japanese_and_in_english() -> None:
    keys = _strings()
    assert keys["ja"] == keys["en"]
    used = set()
    for path in (WEB_ROOT / "js").rglob("*.js"):
        used |= set(re.findall(r"\bt\('([a-z0-9_.]+)'", path.read_text()))
    assert used - keys["en"] == set(), "texts the client asks for and neither language has"
