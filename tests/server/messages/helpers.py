"""Shared arrangements of the /api/messages and /api/presence tests.

People and companies come from `tests.server.tenants` (a home agency with a recruiter and a
candidate, an employer, another agency, a system_admin); these helpers send messages as them
and arrange stored histories without going through the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from models import Message
from server.context import AppContext
from tests.factories import make_message
from tests.server.tenants import Callers, Tenants

BASE = "/api/messages"


async def send(
    callers: Callers, who: str, to: int, content: str = "こんにちは", **fields: Any
) -> httpx.Response:
    """`POST /api/messages` as `who`."""
    return await callers.call(who, "POST", BASE, json={"to": to, "content": content, **fields})


async def sent(
    callers: Callers, who: str, to: int, content: str = "こんにちは", **fields: Any
) -> dict[str, Any]:
    """Send and require a 201; answers the stored message."""
    r = await send(callers, who, to, content, **fields)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def history(ctx: AppContext, tenants: Tenants, *lines: tuple[str, str, str]) -> list[Message]:
    """Store `(sender, recipient, content)` lines in order (ascending ids), committed."""
    async with ctx.transaction() as db:
        return [
            await make_message(db, tenants.user(sender), tenants.user(recipient), content)
            for sender, recipient, content in lines
        ]


async def stored(ctx: AppContext) -> list[Message]:
    """Every row of `messages`, deleted ones included, oldest first."""
    async with ctx.sessionmaker() as db:
        return list(await db.scalars(select(Message).order_by(Message.id)))


def iso(moment: datetime | None) -> str | None:
    """A timestamp as the API writes it (UTC with `Z`)."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def as_json(message: Message, files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A stored message as the API answers it (`files`: its files as `/api/attachments` lists them)."""
    metadata = message.metadata_ or {}
    return {
        "id": message.id,
        "sender_id": message.sender_id,
        "recipient_id": message.recipient_id,
        "subject": message.subject,
        "content": message.content,
        "message_type": message.message_type.value,
        "priority": message.priority.value,
        "is_read": message.is_read,
        "read_at": iso(message.read_at),
        "parent_message_id": message.parent_message_id,
        "thread_id": message.thread_id,
        "attachments": message.attachments or [],
        "files": files or [],
        "client_nonce": metadata.get("client_nonce"),
        "created_at": iso(message.created_at),
    }


def ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]
