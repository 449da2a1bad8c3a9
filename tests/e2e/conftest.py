"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, servers to point it
at, people who sign in through the pages, and screenshots of the main screens.

The browser is `/usr/bin/chromium` (`apt-get install chromium`, which `.ci/run` does); nothing
is ever downloaded by Playwright. Fake camera and microphone, and WebRTC allowed on loopback.
Screenshots go to `var/screenshots/` (git-ignored), one file per screen, overwritten by each run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email
import email.policy
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, User
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.backends import IN_CI, REDIS_URL, for_this_worker, require
from tests.factories import PASSWORD, make_company, make_user
from tests.realtime.harness import ROOT, ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--allow-loopback-in-peer-connection",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
# Without REDIS_URL (the embedded run), the two-process tests use this database of the local Redis.
LOCAL_REDIS = for_this_worker("redis://127.0.0.1:6379/4")
ACCESS_TOKEN_MINUTES = 1
"""The servers of the two-process test hand out one-minute tokens, so the test outlives one and
proves the client refreshed it and renewed its socket."""
TIMEOUT_MS = 45_000
"""Generous: under `make test` four workers share two cores with Chromium and two servers per test."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser (Chromium) against real server processes")


def _unavailable(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI=true: browser tests fail instead of skipping)")
    pytest.skip(what)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[dev]'")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


class Pages:
    """Browser contexts (one per person), each page logging its script errors."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.errors: list[str] = []
        self.contexts: list[Any] = []

    async def open(
        self, base_url: str, *, locale: str = "en-US", width: int = 1200, height: int = 800
    ) -> Any:
        context = await self.browser.new_context(
            base_url=base_url, locale=locale, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{base_url}: {error}"))
        return page

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@pytest.fixture
async def pages(browser: Any) -> AsyncIterator[Pages]:
    opened = Pages(browser)
    yield opened
    await opened.close()
    assert opened.errors == [], "uncaught errors in the pages"


Shot = Callable[[Any, str], Awaitable[None]]


@pytest.fixture
def shot() -> Shot:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def take(page: Any, name: str) -> None:
        await page.wait_for_timeout(300)  # let toasts and fonts settle
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


async def sign_in(page: Any, user: User, password: str = PASSWORD) -> None:
    await page.goto("/login")
    await page.fill("input[name=email]", user.email)
    await page.fill("input[name=password]", password)
    await page.click("button[type=submit]")
    await page.wait_for_selector("main[data-route=today] .summary")


class E2EServer(ServerProcess):
    """A server process with the browser tests' settings (short access tokens)."""

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env["ACCESS_TOKEN_MINUTES"] = str(self.settings.access_token_minutes)
        env["PUBLIC_BASE_URL"] = self.url
        return env


@dataclass
class Office:
    """Two server processes sharing the database and Redis, and an employer's people."""

    a: ServerProcess
    b: ServerProcess
    company: Company
    admin: User
    alice: User
    bob: User

    async def token(self, user: User) -> str:
        async with httpx.AsyncClient(base_url=self.a.url) as http:
            answer = await http.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            token: str = answer.json()["access_token"]
            return token

    async def call(self, user: User, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {await self.token(user)}"}
        async with httpx.AsyncClient(base_url=self.a.url, headers=headers) as http:
            return await http.request(method, path, **kwargs)


@pytest.fixture
async def two_nodes(settings: Settings, session: AsyncSession, ctx: AppContext) -> AsyncIterator[Office]:
    redis_url = REDIS_URL or LOCAL_REDIS
    require(redis_url, "Redis")
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    shared = dataclasses.replace(
        settings, redis_url=redis_url, presence_ttl_seconds=5, access_token_minutes=ACCESS_TOKEN_MINUTES
    )
    company = await make_company(session, CompanyType.EMPLOYER, name="Sakura Robotics 株式会社")
    admin = await make_user(
        session, ctx.passwords, company, RoleName.COMPANY_ADMIN, first_name="Admin", last_name="Sato"
    )
    alice = await make_user(
        session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Alice", last_name="Tanaka"
    )
    bob = await make_user(
        session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Bob", last_name="Suzuki"
    )
    await session.commit()
    a, b = E2EServer(shared), E2EServer(shared)
    try:
        await asyncio.gather(a.start(), b.start())
        yield Office(a, b, company, admin, alice, bob)
    finally:
        a.stop()
        b.stop()


async def mail_to(outbox: Path, address: str, after: float, timeout: float = 10) -> str:
    """The body of the newest mail to `address` written after `after` (UNIX time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for path in outbox.glob("*.eml") if outbox.exists() else []:
            if path.stat().st_mtime < after:
                continue
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]):
                found.append((path.stat().st_mtime, message))
        if found:
            message = max(found, key=lambda item: item[0])[1]
            body = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
            return str(body.get_content())
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail to {address} in {outbox}")


def link_in(body: str, path: str) -> str:
    """The path and query of the mailed link to `path` (the mail names the public base URL)."""
    found = re.search(rf"https?://[^\s/]+(/{re.escape(path)}\?token=[^\s]+)", body)
    assert found, body
    return found.group(1)
