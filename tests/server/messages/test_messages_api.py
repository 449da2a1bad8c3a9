"""/api/messages: sending (body, replies, idempotent resends, attachments, invalid input),
reading one message, authentication, the audit trail and the domain event of a send."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

from models import AuditLog
from server.context import AppContext
from server.domains.messages.events import MessageSent
from tests.factories import make_attachment, make_user
from tests.server.auth.helpers import app_ctx
from tests.server.messages.helpers import BASE, as_json, history, send, sent, stored
from tests.server.tenants import MISSING_ID, Callers, Tenants, assert_error, error_fields

# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", BASE),
        ("GET", f"{BASE}/conversations"),
        ("GET", f"{BASE}/with/1"),
        ("GET", f"{BASE}/since?cursor=0"),
        ("GET", f"{BASE}/search?q=x"),
        ("POST", f"{BASE}/read"),
        ("GET", f"{BASE}/1"),
        ("DELETE", f"{BASE}/1"),
        ("GET", "/api/presence?user_id=1"),
    ],
)
async def test_every_route_refuses_an_anonymous_caller(callers: Callers, method: str, path: str) -> None:
    body = {"to": 1, "content": "x"} if path == BASE else {"message_id": 1} if path.endswith("read") else None

    r = await callers.client.request(method, path, json=body)

    assert_error(r, 401, "invalid_token")


# --- sending ----------------------------------------------------------------------------------


async def test_a_sent_message_answers_every_field_and_is_stored_as_sent(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    recruiter, colleague = tenants.user("recruiter"), tenants.user("home_admin")

    r = await send(
        callers, "recruiter", colleague.id, "明日の面接の件です。", subject="面接日程", priority="high"
    )

    assert r.status_code == 201, r.text
    body = r.json()
    [row] = await stored(ctx)
    assert re.fullmatch(r"[0-9a-f]{32}", body["thread_id"]), body
    assert body == {
        "id": row.id,
        "sender_id": recruiter.id,
        "recipient_id": colleague.id,
        "subject": "面接日程",
        "content": "明日の面接の件です。",
        "message_type": "direct",
        "priority": "high",
        "is_read": False,
        "read_at": None,
        "parent_message_id": None,
        "thread_id": row.thread_id,
        "attachments": [],
        "files": [],
        "client_nonce": None,
        "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert abs((row.created_at - datetime.now(UTC)).total_seconds()) < 60
    assert (row.company_id, row.is_deleted, row.attachments, row.metadata_) == (
        tenants.home.id,
        False,
        None,
        None,
    )


async def test_defaults_apply_when_only_to_and_content_are_given(callers: Callers, tenants: Tenants) -> None:
    body = await sent(callers, "recruiter", tenants.user("home_admin").id, "hi")

    assert (body["subject"], body["priority"], body["parent_message_id"]) == (None, "normal", None)


async def test_a_message_across_tenants_belongs_to_the_senders_company(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    """system_admin has no company: the message is filed under the recipient's company."""
    await sent(callers, "system_admin", tenants.user("employer").id)

    [row] = await stored(ctx)
    assert row.company_id == tenants.employer_co.id


async def test_every_new_message_starts_its_own_thread(callers: Callers, tenants: Tenants) -> None:
    to = tenants.user("home_admin").id
    first = await sent(callers, "recruiter", to)
    second = await sent(callers, "recruiter", to)

    assert first["thread_id"] != second["thread_id"]


async def test_a_reply_inherits_the_parents_thread(callers: Callers, tenants: Tenants) -> None:
    recruiter, colleague = tenants.user("recruiter"), tenants.user("home_admin")
    question = await sent(callers, "recruiter", colleague.id, "候補者の件、ご確認いただけますか？")

    reply = await sent(callers, "home_admin", recruiter.id, "確認しました。", parent_id=question["id"])

    assert (reply["parent_message_id"], reply["thread_id"]) == (question["id"], question["thread_id"])


async def test_a_reply_keeps_a_thread_id_given_explicitly(callers: Callers, tenants: Tenants) -> None:
    question = await sent(callers, "recruiter", tenants.user("home_admin").id)

    reply = await sent(
        callers,
        "home_admin",
        tenants.user("recruiter").id,
        parent_id=question["id"],
        thread_id="candidate-42",
    )

    assert (reply["parent_message_id"], reply["thread_id"]) == (question["id"], "candidate-42")


@pytest.mark.parametrize("parent", ["someone else's", "deleted", "missing"])
async def test_replying_to_a_message_you_cannot_see_is_not_found(
    callers: Callers, tenants: Tenants, ctx: AppContext, parent: str
) -> None:
    [theirs, mine] = await history(
        ctx, tenants, ("employer_admin", "employer", "社内連絡"), ("home_admin", "recruiter", "消した")
    )
    if parent == "deleted":
        r = await callers.call("home_admin", "DELETE", f"{BASE}/{mine.id}")
        assert r.status_code == 204, r.text
    parent_id = {"someone else's": theirs.id, "deleted": mine.id, "missing": MISSING_ID}[parent]

    r = await send(callers, "recruiter", tenants.user("home_admin").id, "返信", parent_id=parent_id)

    body = assert_error(r, 404, "not_found")
    assert body["detail"] == f"Message {parent_id} was not found."
    assert [m.id for m in await stored(ctx)] == [theirs.id, mine.id]


# --- resending with a client nonce ------------------------------------------------------------


async def test_a_repeated_client_nonce_answers_the_stored_message_and_stores_one_row(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    to = tenants.user("home_admin").id
    first = await sent(callers, "recruiter", to, "送信中…", client_nonce="web:7f3a.1")

    again = await send(callers, "recruiter", to, "a different text", client_nonce="web:7f3a.1")

    assert again.status_code == 201, again.text
    assert again.json() == first
    assert first["client_nonce"] == "web:7f3a.1"
    assert [m.id for m in await stored(ctx)] == [first["id"]]


@pytest.mark.parametrize(
    ("sender_2", "nonce_1", "nonce_2"),
    [
        pytest.param("home_admin", "n-1", "n-1", id="same nonce, another sender"),
        pytest.param("recruiter", "a_b", "axb", id="underscore is no wildcard"),
        pytest.param("recruiter", "n-1", "n-12", id="a nonce is no prefix of another"),
    ],
)
async def test_different_nonces_or_senders_store_separate_messages(
    callers: Callers, tenants: Tenants, ctx: AppContext, sender_2: str, nonce_1: str, nonce_2: str
) -> None:
    first = await sent(callers, "recruiter", tenants.user("home_admin").id, client_nonce=nonce_1)
    to = tenants.user("home_admin" if sender_2 == "recruiter" else "recruiter").id

    second = await sent(callers, sender_2, to, client_nonce=nonce_2)

    assert second["id"] != first["id"]
    assert second["client_nonce"] == nonce_2
    assert len(await stored(ctx)) == 2


# --- attachments ------------------------------------------------------------------------------


async def test_an_attachment_you_uploaded_is_accepted(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    async with ctx.transaction() as db:
        resume = await make_attachment(db, tenants.user("recruiter"))
        offer = await make_attachment(db, tenants.user("recruiter"), filename="内定通知書.pdf")

    body = await sent(callers, "recruiter", tenants.user("home_admin").id, attachments=[offer.id, resume.id])

    assert body["attachments"] == [offer.id, resume.id]
    [row] = await stored(ctx)
    assert row.attachments == [offer.id, resume.id]


@pytest.mark.parametrize("which", ["a colleague's", "deleted", "missing"])
async def test_an_attachment_that_is_not_yours_is_invalid(
    callers: Callers, tenants: Tenants, ctx: AppContext, which: str
) -> None:
    async with ctx.transaction() as db:
        mine = await make_attachment(db, tenants.user("recruiter"))
        colleagues = await make_attachment(db, tenants.user("home_admin"))
        gone = await make_attachment(
            db, tenants.user("recruiter"), is_deleted=True, deleted_at=datetime.now(UTC)
        )
    bad = {"a colleague's": colleagues.id, "deleted": gone.id, "missing": MISSING_ID}[which]

    r = await send(callers, "recruiter", tenants.user("home_admin").id, attachments=[mine.id, bad])

    body = assert_error(r, 422, "validation_error")
    assert body["errors"] == [{"field": "attachments", "message": f"no attachment of yours with id {bad}"}]
    assert await stored(ctx) == []


# --- invalid bodies ---------------------------------------------------------------------------

VALID: dict[str, Any] = {"content": "こんにちは"}
MISSING: Any = object()
"""In a change: leave the field out of the body."""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"content": ""}, "content", id="empty content"),
        pytest.param({"content": "あ" * 20_001}, "content", id="content over 20000 characters"),
        pytest.param({"content": MISSING}, "content", id="content missing"),
        pytest.param({"content": None}, "content", id="content null"),
        pytest.param({"content": 5}, "content", id="content not a string"),
        pytest.param({"to": "abc"}, "to", id="to not an integer"),
        pytest.param({"to": 0}, "to", id="to below 1"),
        pytest.param({"to": MISSING}, "to", id="to missing"),
        pytest.param({"to": None}, "to", id="to null"),
        pytest.param({"priority": "whenever"}, "priority", id="unknown priority"),
        pytest.param({"subject": "件" * 256}, "subject", id="subject over 255 characters"),
        pytest.param({"parent_id": "first"}, "parent_id", id="parent_id not a number"),
        pytest.param({"parent_id": 1.5}, "parent_id", id="parent_id a fraction"),
        pytest.param({"thread_id": "thread 1"}, "thread_id", id="thread_id with a space"),
        pytest.param({"attachments": 1}, "attachments", id="attachments not a list"),
        pytest.param({"attachments": list(range(1, 22))}, "attachments", id="more than 20 attachments"),
        pytest.param({"client_nonce": "a b"}, "client_nonce", id="client_nonce with a space"),
        pytest.param({"client_nonce": "n" * 65}, "client_nonce", id="client_nonce over 64"),
        pytest.param({"colour": "red"}, "colour", id="unknown field"),
    ],
)
async def test_an_invalid_body_is_refused_with_the_field_named(
    callers: Callers, tenants: Tenants, ctx: AppContext, change: dict[str, Any], field: str
) -> None:
    body = {"to": tenants.user("home_admin").id, **VALID, **change}
    body = {key: value for key, value in body.items() if value is not MISSING}

    r = await callers.call("recruiter", "POST", BASE, json=body)

    assert_error(r, 422, "validation_error")
    assert error_fields(r) == [field], r.json()
    assert await stored(ctx) == []


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        pytest.param(b'{"to": 1, "content": "x"', 400, "malformed_json", id="truncated JSON"),
        pytest.param(b"not json", 400, "malformed_json", id="not JSON"),
        pytest.param(b"[]", 422, "validation_error", id="a list"),
        pytest.param(b'"hello"', 422, "validation_error", id="a string"),
    ],
)
async def test_a_body_that_is_no_json_object_is_refused(
    callers: Callers, ctx: AppContext, content: bytes, status: int, code: str
) -> None:
    r = await callers.call("recruiter", "POST", BASE, content=content)

    assert_error(r, status, code)
    assert await stored(ctx) == []


@pytest.mark.parametrize(
    "content",
    ["a" * 20_000, "あ" * 20_000, "🍣" * 16_383 + "abc"],
    ids=["20000 ascii characters", "20000 3-byte characters", "65535 bytes of emoji"],
)
async def test_the_longest_content_is_stored_whole(
    callers: Callers, tenants: Tenants, ctx: AppContext, content: str
) -> None:
    body = await sent(callers, "recruiter", tenants.user("home_admin").id, content)

    [row] = await stored(ctx)
    assert row.content == body["content"] == content


@pytest.mark.parametrize("content", ["🍣" * 16_384, "🍣" * 20_000], ids=["65536 bytes", "20000 emoji"])
async def test_content_over_65535_bytes_is_refused_on_every_backend(
    callers: Callers, tenants: Tenants, ctx: AppContext, content: str
) -> None:
    """The TEXT column holds 65,535 bytes on MySQL; SQLite would take more, but answers the same."""
    r = await send(callers, "recruiter", tenants.user("home_admin").id, content)

    body = assert_error(r, 422, "validation_error")
    assert body["errors"] == [{"field": "content", "message": "Expected at most 65535 bytes of UTF-8"}]
    assert await stored(ctx) == []


# --- reading one message ----------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["recruiter", "employer"])
async def test_both_parties_read_a_message(
    callers: Callers, tenants: Tenants, ctx: AppContext, reader: str
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご紹介したい候補者がいます。"))

    r = await callers.call(reader, "GET", f"{BASE}/{message.id}")

    assert r.status_code == 200, r.text
    assert r.json() == as_json(message)


@pytest.mark.parametrize("reader", ["home_admin", "employer_admin", "system_admin", "candidate"])
async def test_a_third_party_cannot_read_a_message(
    callers: Callers, tenants: Tenants, ctx: AppContext, reader: str
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご紹介したい候補者がいます。"))

    r = await callers.call(reader, "GET", f"{BASE}/{message.id}")

    body = assert_error(r, 404, "not_found")
    assert body["detail"] == f"Message {message.id} was not found."


async def test_a_missing_message_is_not_found(callers: Callers) -> None:
    r = await callers.call("recruiter", "GET", f"{BASE}/{MISSING_ID}")

    assert_error(r, 404, "not_found")


# --- audit trail and domain event -------------------------------------------------------------


async def test_a_send_leaves_a_create_audit_row_by_the_sender(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    body = await sent(callers, "recruiter", tenants.user("home_admin").id)

    async with ctx.sessionmaker() as db:
        rows = list(
            await db.scalars(
                select(AuditLog).where(AuditLog.entity_type == "messages", AuditLog.entity_id == body["id"])
            )
        )
    assert [(a.action, a.user_id, a.company_id) for a in rows] == [
        ("messages.create", tenants.user("recruiter").id, tenants.home.id)
    ]
    assert rows[0].new_values["content"] == "こんにちは"


async def test_a_send_publishes_the_stored_message_once_and_a_resend_or_refusal_nothing(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    published: list[MessageSent] = []

    async def keep(event: MessageSent) -> None:
        published.append(event)

    app_ctx(callers.client).hub.subscribe(MessageSent, keep)
    async with ctx.transaction() as db:
        stranger = await make_user(db, ctx.passwords, tenants.other, first_name="stranger")

    body = await sent(callers, "recruiter", tenants.user("home_admin").id, client_nonce="n-1")
    resent = await sent(callers, "recruiter", tenants.user("home_admin").id, client_nonce="n-1")
    refused = await send(callers, "recruiter", stranger.id)

    assert (resent, refused.status_code) == (body, 404)
    assert [(msgspec.json.decode(msgspec.json.encode(e.message)), e.origin) for e in published] == [
        (body, None)
    ]
