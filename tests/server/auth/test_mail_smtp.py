"""With SMTP_URL set, mail goes to a real SMTP server (aiosmtpd in the test's loop), never to the outbox."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import email.policy
import logging
import socket
from collections.abc import AsyncIterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.context import AppContext
from server.settings import Settings
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, app_ctx, link_token, login, mailed_code, outbox_mails

NEW_PASSWORD = "a brand new passphrase"


class Inbox:
    """What the SMTP server accepted: one (envelope sender, recipients, message) per mail."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=True)


async def _serve(inbox: Inbox, **options: Any) -> tuple[asyncio.Server, int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(inbox, hostname="localhost", loop=loop, **options), "127.0.0.1", 0
    )
    port: int = server.sockets[0].getsockname()[1]
    return server, port


@pytest.fixture
async def inbox() -> AsyncIterator[tuple[Inbox, int]]:
    box = Inbox()
    server, port = await _serve(box)
    try:
        yield box, port
    finally:
        server.close()
        await server.wait_closed()


async def _drain(client: Client) -> None:
    """Wait until the app has sent every mail.

    The app runs in the test client's portal thread, on a loop of its own, so the mailer is
    drained there; a worker thread waits for it while this loop keeps serving SMTP.
    """
    portal = client.blocking_portal
    await asyncio.to_thread(portal.call, app_ctx(client).mailer.drain)


def _with_smtp(settings: Settings, url: str) -> Settings:
    return dataclasses.replace(settings, smtp_url=url)


async def _reset_user(ctx: AppContext, **fields: Any) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="smtp@example.jp", **fields)


async def test_password_reset_mail_is_delivered_over_smtp_and_its_link_works(
    ctx: AppContext, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    await _reset_user(ctx)
    smtp_settings = _with_smtp(settings, f"smtp://127.0.0.1:{port}")

    async with AsyncTestClient(app=create(smtp_settings)) as client:
        r = await client.post("/api/auth/password-reset", json={"email": "smtp@example.jp"})
        assert r.status_code == 202, r.text
        await _drain(client)

        assert len(box.received) == 1
        sender, recipients, message = box.received[0]
        assert (sender, recipients) == ("no-reply@miraiworks.localhost", ["smtp@example.jp"])
        assert message["To"] == "smtp@example.jp"
        assert message["From"] == "MiraiWorks <no-reply@miraiworks.localhost>"
        assert message["Subject"] == "Reset your MiraiWorks password"
        assert message["Message-ID"]

        confirmed = await client.post(
            "/api/auth/password-reset/confirm", json={"token": link_token(message), "password": NEW_PASSWORD}
        )
        assert confirmed.status_code == 204, confirmed.text
        tokens = await login(client, "smtp@example.jp", NEW_PASSWORD)
        assert tokens["user"]["email"] == "smtp@example.jp"

    assert outbox_mails(smtp_settings) == []
    assert not (smtp_settings.var_dir / "outbox").exists()


async def test_two_factor_code_is_delivered_over_smtp_and_signs_in(
    ctx: AppContext, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    await _reset_user(ctx, require_2fa=True)
    smtp_settings = _with_smtp(settings, f"smtp://127.0.0.1:{port}")

    async with AsyncTestClient(app=create(smtp_settings)) as client:
        challenge = await login(client, "smtp@example.jp")
        assert challenge["two_factor_required"] is True
        await _drain(client)

        assert [(to, m["Subject"]) for _, to, m in box.received] == [
            (["smtp@example.jp"], "Your MiraiWorks sign-in code")
        ]
        r = await client.post(
            "/api/auth/2fa/verify",
            json={"challenge_token": challenge["challenge_token"], "code": mailed_code(box.received[0][2])},
        )
        assert r.status_code == 200, r.text
        assert r.json()["user"]["email"] == "smtp@example.jp"
        assert r.json()["access_token"]

    assert outbox_mails(smtp_settings) == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_smtp_credentials_in_the_url_are_decoded_and_used(ctx: AppContext, settings: Settings) -> None:
    box = Inbox()
    server, port = await _serve(
        box, authenticator=box.authenticate, auth_required=True, auth_require_tls=False
    )
    await _reset_user(ctx)
    url = f"smtp://mailer%40example.jp:p%40ss%3Aw%2Frd@127.0.0.1:{port}"
    smtp_settings = _with_smtp(settings, url)
    try:
        async with AsyncTestClient(app=create(smtp_settings)) as client:
            r = await client.post("/api/auth/password-reset", json={"email": "smtp@example.jp"})
            assert r.status_code == 202, r.text
            await _drain(client)
    finally:
        server.close()
        await server.wait_closed()

    assert box.logins == [("mailer@example.jp", "p@ss:w/rd")]
    assert [to for _, to, _ in box.received] == [["smtp@example.jp"]]
    assert outbox_mails(smtp_settings) == []


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def test_unreachable_smtp_server_does_not_fail_the_request_and_is_logged(
    ctx: AppContext, settings: Settings
) -> None:
    with socket.socket() as probe:  # a port nobody listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await _reset_user(ctx)
    smtp_settings = _with_smtp(settings, f"smtp://127.0.0.1:{port}")
    # The app configures the root logger when it starts, so pytest's caplog would miss this.
    records = _Records()
    mail_log = logging.getLogger("server.mail")
    mail_log.addHandler(records)
    try:
        async with AsyncTestClient(app=create(smtp_settings)) as client:
            r = await client.post("/api/auth/password-reset", json={"email": "smtp@example.jp"})
            await _drain(client)
    finally:
        mail_log.removeHandler(records)

    assert r.status_code == 202, r.text
    assert records.messages == ["mail to smtp@example.jp failed"]
    assert outbox_mails(smtp_settings) == []


async def test_without_smtp_url_the_mail_goes_to_the_outbox_instead(
    client: Client, ctx: AppContext, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    box, _port = inbox
    await _reset_user(ctx)

    r = await client.post("/api/auth/password-reset", json={"email": "smtp@example.jp"})
    await _drain(client)

    assert r.status_code == 202
    assert box.received == []
    assert [m["To"] for m in outbox_mails(settings)] == ["smtp@example.jp"]
