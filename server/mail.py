"""Outgoing mail, sent in the background after the transaction that asked for it commits.

With `SMTP_URL` (smtp:// or smtps://, optional user:password@) mail goes over SMTP;
without it, each message is logged and written to `./var/outbox/` as an .eml file so a
person can follow the links during development.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiosmtplib

from server.events import DomainEvent, EventHub
from server.settings import Settings

log = logging.getLogger(__name__)


class MailRequested(DomainEvent, frozen=True, kw_only=True):
    to: str
    subject: str
    body: str


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._tasks: set[asyncio.Task[None]] = set()

    def attach(self, hub: EventHub) -> None:
        hub.subscribe(MailRequested, self._on_requested)

    async def _on_requested(self, event: MailRequested) -> None:
        task = asyncio.create_task(self.send(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every mail still being sent (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _message(self, mail: MailRequested) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._settings.mail_from
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = f"<{uuid.uuid4()}@miraiworks>"
        message.set_content(mail.body)
        return message

    async def send(self, mail: MailRequested) -> None:
        message = self._message(mail)
        try:
            if self._settings.smtp_url:
                await self._send_smtp(message, self._settings.smtp_url)
            else:
                self._write_outbox(message)
        except Exception:
            log.exception("mail to %s failed", mail.to)

    async def _send_smtp(self, message: EmailMessage, url: str) -> None:
        parts = urlsplit(url)
        await aiosmtplib.send(
            message,
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=False if parts.scheme == "smtps" else None,
            timeout=30,
        )

    def _write_outbox(self, message: EmailMessage) -> None:
        outbox = self._settings.var_dir / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path: Path = outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes())
        log.info("mail to %s (%s) written to %s", message["To"], message["Subject"], path)
