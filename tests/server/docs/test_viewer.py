"""/schema works offline: every file its pages load comes from the app itself, at a pinned version."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from litestar.testing import AsyncTestClient

from server.docs.viewer import swagger_ui_dir

PYPROJECT = Path(__file__).parents[3] / "pyproject.toml"


class _Loads(HTMLParser):
    """The URLs a browser fetches to render the page: scripts, stylesheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in {"script", "img", "iframe"} and found.get("src"):
            self.urls.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.urls.append(found["href"] or "")


def loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
async def test_the_viewer_loads_only_same_origin_files_that_are_served(
    client: AsyncTestClient,  # type: ignore[type-arg]
    page: str,
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = loads(response.text)
    assert len(urls) >= 4  # script, preset, stylesheet, icon
    for url in urls:
        absolute = urljoin(str(response.url), url)
        assert urlsplit(absolute).netloc == urlsplit(str(response.url)).netloc, url
        asset = await client.get(absolute)
        assert asset.status_code == 200, url
        assert asset.content
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text)


async def test_the_viewer_assets_are_the_pinned_package_and_nothing_else_of_it(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    pins = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pinned = next(p for p in pins if p.startswith("swagger-ui-bundle-v2"))
    assert pinned == f"swagger-ui-bundle-v2=={version('swagger-ui-bundle-v2')}"
    folder = swagger_ui_dir().name
    assert folder == f"swagger-ui-{version('swagger-ui-bundle-v2')}"
    page = (await client.get("/schema")).text
    assert f"/schema/assets/{folder}/swagger-ui-bundle.js" in page
    bundle = await client.get(f"/schema/assets/{folder}/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert "immutable" in bundle.headers["cache-control"]
    # The package's demo page (it points at a petstore API) and anything else are not served.
    for name in ("index.html", "swagger-initializer.js", "..%2F__init__.py"):
        assert (await client.get(f"/schema/assets/{folder}/{name}")).status_code == 404


async def test_the_events_page_loads_nothing_at_all(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/schema/events")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert loads(response.text) == []
    assert "<script" not in response.text
