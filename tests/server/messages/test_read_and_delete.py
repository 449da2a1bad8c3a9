"""/api/messages/read (read receipts) and DELETE /api/messages/{id}: who may, what changes,
the audit row each leaves and the event a receipt publishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

from models import AuditLog, Message
from server.context import AppContext
from server.domains.messages.events import MessagesRead
from tests.server.auth.helpers import app_ctx
from tests.server.messages.helpers import BASE, history, ids, iso, stored
from tests.server.tenants import MISSING_ID, Callers, Tenants, assert_error


async def _read(callers: Callers, who: str, **body: Any) -> Any:
    return await callers.call(who, "POST", f"{BASE}/read", json=body)


async def _inbox(ctx: AppContext, tenants: Tenants) -> list[Message]:
    """The recruiter receives three messages from the employer and one from a colleague."""
    return await history(
        ctx,
        tenants,
        ("employer", "recruiter", "e1"),
        ("home_admin", "recruiter", "h1"),
        ("employer", "recruiter", "e2"),
        ("employer", "recruiter", "e3"),
    )


def _unread(rows: list[Message]) -> list[str]:
    return [m.content for m in rows if not m.is_read]


async def _audit_actions(ctx: AppContext, message_id: int) -> list[tuple[str, int | None]]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == "messages", AuditLog.entity_id == message_id)
            .order_by(AuditLog.id)
        )
        return [(a.action, a.user_id) for a in rows]


# --- read receipts ----------------------------------------------------------------------------


async def test_the_recipient_marks_one_message_read(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    _, _, e2, _ = await _inbox(ctx, tenants)

    r = await _read(callers, "recruiter", message_id=e2.id)

    assert r.status_code == 200, r.text
    receipt = r.json()
    assert (receipt["reader_id"], receipt["message_ids"]) == (tenants.user("recruiter").id, [e2.id])
    read_at = datetime.fromisoformat(receipt["read_at"])
    assert abs(read_at - datetime.now(UTC)) < timedelta(minutes=1)
    rows = await stored(ctx)
    assert _unread(rows) == ["e1", "h1", "e3"]
    [row] = [m for m in rows if m.id == e2.id]
    assert iso(row.read_at) == receipt["read_at"].replace("+00:00", "Z")
    shown = await callers.call("employer", "GET", f"{BASE}/{e2.id}")
    assert (shown.json()["is_read"], shown.json()["read_at"]) == (True, iso(row.read_at))


async def test_up_to_marks_every_earlier_unread_message_of_that_sender(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    e1, _, e2, _ = await _inbox(ctx, tenants)

    r = await _read(callers, "recruiter", message_id=e2.id, up_to=True)

    assert r.status_code == 200, r.text
    assert r.json()["message_ids"] == [e1.id, e2.id]
    assert _unread(await stored(ctx)) == ["h1", "e3"]


async def test_up_to_skips_messages_already_read(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    e1, _, e2, e3 = await _inbox(ctx, tenants)
    first = await _read(callers, "recruiter", message_id=e1.id)
    assert first.status_code == 200, first.text

    r = await _read(callers, "recruiter", message_id=e3.id, up_to=True)

    assert r.json()["message_ids"] == [e2.id, e3.id]
    assert _unread(await stored(ctx)) == ["h1"]


@pytest.mark.parametrize("up_to", [False, True])
async def test_reading_a_read_message_again_marks_nothing(
    callers: Callers, tenants: Tenants, ctx: AppContext, up_to: bool
) -> None:
    e1, *_ = await _inbox(ctx, tenants)
    first = await _read(callers, "recruiter", message_id=e1.id)
    before = [(m.id, m.read_at) for m in await stored(ctx)]

    r = await _read(callers, "recruiter", message_id=e1.id, up_to=up_to)

    assert r.status_code == 200, r.text
    assert r.json()["message_ids"] == []
    assert [(m.id, m.read_at) for m in await stored(ctx)] == before
    assert first.json()["message_ids"] == [e1.id]


async def test_the_sender_cannot_mark_their_own_message_read(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    e1, *_ = await _inbox(ctx, tenants)

    r = await _read(callers, "employer", message_id=e1.id, up_to=True)

    assert_error(r, 403, "not_recipient")
    assert _unread(await stored(ctx)) == ["e1", "h1", "e2", "e3"]


@pytest.mark.parametrize("reader", ["employer_admin", "home_admin", "system_admin"])
async def test_a_third_party_cannot_mark_a_message_read(
    callers: Callers, tenants: Tenants, ctx: AppContext, reader: str
) -> None:
    e1, *_ = await _inbox(ctx, tenants)

    r = await _read(callers, reader, message_id=e1.id)

    body = assert_error(r, 404, "not_found")
    assert body["detail"] == f"Message {e1.id} was not found."
    assert _unread(await stored(ctx)) == ["e1", "h1", "e2", "e3"]


async def test_marking_a_missing_message_read_is_not_found(callers: Callers) -> None:
    r = await _read(callers, "recruiter", message_id=MISSING_ID)

    assert_error(r, 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"message_id": 0},
        {"message_id": "one"},
        {"message_id": 1, "up_to": "yes"},
        {"message_id": 1, "all": True},
    ],
    ids=["empty", "id below 1", "id not a number", "up_to not a boolean", "unknown field"],
)
async def test_an_invalid_read_body_is_refused(callers: Callers, body: dict[str, Any]) -> None:
    r = await callers.call("recruiter", "POST", f"{BASE}/read", json=body)

    assert_error(r, 422, "validation_error")


async def test_a_receipt_is_published_to_the_sender_and_audited(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    e1, _, e2, _ = await _inbox(ctx, tenants)
    published: list[MessagesRead] = []

    async def keep(event: MessagesRead) -> None:
        published.append(event)

    app_ctx(callers.client).hub.subscribe(MessagesRead, keep)

    r = await _read(callers, "recruiter", message_id=e2.id, up_to=True)
    again = await _read(callers, "recruiter", message_id=e2.id, up_to=True)

    assert again.json()["message_ids"] == []
    assert [(e.sender_id, msgspec.to_builtins(e.receipt)) for e in published] == [
        (tenants.user("employer").id, r.json())
    ]
    recruiter = tenants.user("recruiter").id
    assert await _audit_actions(ctx, e1.id) == [("messages.create", None), ("messages.update", recruiter)]


# --- deleting ---------------------------------------------------------------------------------


async def test_the_sender_deletes_a_message_and_it_is_gone_for_both(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    kept, gone = await history(
        ctx, tenants, ("recruiter", "employer", "残す"), ("recruiter", "employer", "消す")
    )

    r = await callers.call("recruiter", "DELETE", f"{BASE}/{gone.id}")

    assert r.status_code == 204, r.text
    assert r.content == b""
    for who, counterpart in [("recruiter", "employer"), ("employer", "recruiter")]:
        shown = await callers.call(who, "GET", f"{BASE}/{gone.id}")
        assert_error(shown, 404, "not_found")
        thread = await callers.call(who, "GET", f"{BASE}/with/{tenants.user(counterpart).id}")
        assert ids(thread.json()) == [kept.id]
        since = await callers.call(who, "GET", f"{BASE}/since")
        assert ids(since.json()) == [kept.id]
        found = await callers.call(who, "GET", f"{BASE}/search", params={"q": "消す"})
        assert found.json() == {"items": [], "total": 0}
        conversations = await callers.call(who, "GET", f"{BASE}/conversations")
        assert [c["last_message"]["id"] for c in conversations.json()["items"]] == [kept.id]
    [row] = [m for m in await stored(ctx) if m.id == gone.id]
    assert (row.is_deleted, row.deleted_by) == (True, tenants.user("recruiter").id)
    assert row.deleted_at is not None
    assert await _audit_actions(ctx, gone.id) == [
        ("messages.create", None),
        ("messages.delete", tenants.user("recruiter").id),
    ]


async def test_the_recipient_cannot_delete_a_message(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご確認ください"))

    r = await callers.call("employer", "DELETE", f"{BASE}/{message.id}")

    assert_error(r, 403, "not_sender")
    assert [m.is_deleted for m in await stored(ctx)] == [False]


@pytest.mark.parametrize("who", ["employer_admin", "home_admin", "system_admin"])
async def test_a_third_party_cannot_delete_a_message(
    callers: Callers, tenants: Tenants, ctx: AppContext, who: str
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご確認ください"))

    r = await callers.call(who, "DELETE", f"{BASE}/{message.id}")

    assert_error(r, 404, "not_found")
    assert [m.is_deleted for m in await stored(ctx)] == [False]


async def test_deleting_twice_is_not_found(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご確認ください"))
    first = await callers.call("recruiter", "DELETE", f"{BASE}/{message.id}")
    assert first.status_code == 204, first.text

    r = await callers.call("recruiter", "DELETE", f"{BASE}/{message.id}")

    assert_error(r, 404, "not_found")


async def test_a_deleted_message_cannot_be_marked_read(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご確認ください"))
    first = await callers.call("recruiter", "DELETE", f"{BASE}/{message.id}")
    assert first.status_code == 204, first.text

    r = await _read(callers, "employer", message_id=message.id)

    assert_error(r, 404, "not_found")
