"""Shared helpers of the /api/auth tests: sign-in, bearer headers and the mail outbox."""

from __future__ import annotations

import email
import email.policy
import inspect
import re
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any, TypeVar

from litestar.testing import AsyncTestClient

from server.context import AppContext
from server.settings import Settings
from tests.factories import PASSWORD

Client = AsyncTestClient  # type: ignore[type-arg]
F = TypeVar("F", bound=Callable[..., Any])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def app_ctx(client: Client) -> AppContext:
    """The AppContext the app under test built for itself (not the `ctx` fixture's)."""
    app: Any = client.app
    if not hasattr(app, "other_asgi_app"):
        # The test client wraps a non-Litestar ASGI app in a closure that adds scope state.
        app = inspect.getclosurevars(app).nonlocals["app"]
    ctx: AppContext = app.other_asgi_app.state.ctx
    return ctx


async def login(client: Client, email_: str, password: str = PASSWORD) -> dict[str, Any]:
    r = await client.post("/api/auth/login", json={"email": email_, "password": password})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def outbox_mails(settings: Settings) -> list[EmailMessage]:
    """The mails written to the outbox so far, oldest first (drain the app's mailer before)."""
    outbox = settings.var_dir / "outbox"
    if not outbox.exists():
        return []
    mails = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        mails.append(message)
    return mails


async def drained_mails(client: Client, settings: Settings) -> list[EmailMessage]:
    await app_ctx(client).mailer.drain()
    return outbox_mails(settings)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content: str = part.get_content()  # type: ignore[attr-defined]
    return content


def link_token(message: EmailMessage) -> str:
    match = re.search(r"[?&]token=([A-Za-z0-9_.\-]+)", body_of(message))
    assert match, body_of(message)
    return match.group(1)


def mailed_code(message: EmailMessage) -> str:
    match = re.search(r"\b(\d{6})\b", body_of(message))
    assert match, body_of(message)
    return match.group(1)
