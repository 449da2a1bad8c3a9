"""Messaging over the socket: the same service as REST, stored first, pushed after commit."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from models import Message, Notification
from server.domains.notifications.events import NotificationCreated
from server.domains.notifications.services import notify
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer


async def count(live: LiveServer, model: type[Message] | type[Notification]) -> int:
    async with live.ctx.sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_sent_message_is_acked_with_the_stored_message_and_pushed_to_the_recipient(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    ack = await alice.call(
        "message:send", {"request_id": "r-1", "to": office.bob.id, "content": "こんにちは"}
    )
    assert ack["ok"] is True
    assert ack["request_id"] == "r-1"
    message = ack["message"]
    assert (message["sender_id"], message["recipient_id"], message["content"]) == (
        office.alice.id,
        office.bob.id,
        "こんにちは",
    )
    assert await bob.wait_for("message:new") == [message]


async def test_the_senders_other_sockets_get_the_message_and_the_sending_socket_does_not(
    connect: ClientFactory, office: Office
) -> None:
    sending = await connect(office.alice.token)
    other_tab = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    ack = await sending.call("message:send", {"to": office.bob.id, "content": "from my phone"})
    assert await other_tab.wait_for("message:new") == [ack["message"]]
    await bob.wait_for("message:new")
    assert sending.received["message:new"] == []


async def test_a_resend_with_the_same_client_nonce_stores_and_delivers_one_message(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    payload = {"to": office.bob.id, "content": "once", "client_nonce": "n-42"}
    first = await alice.call("message:send", payload)
    second = await alice.call("message:send", payload)
    assert first["message"] == second["message"]
    assert first["message"]["client_nonce"] == "n-42"
    await bob.wait_for("message:new")
    await alice.call("message:send", {"to": office.bob.id, "content": "marker"})
    pushed = await bob.wait_for("message:new", 2)
    assert [m["content"] for m in pushed] == ["once", "marker"]
    assert await count(live, Message) == 2


async def test_a_message_to_someone_you_may_not_message_is_refused_and_stores_nothing(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    ack = await alice.call("message:send", {"request_id": 9, "to": 999_999, "content": "hello?"})
    assert ack == {
        "ok": False,
        "request_id": 9,
        "error": {
            "code": "recipient_not_found",
            "message": "User 999999 was not found or cannot be messaged.",
            "errors": [],
        },
    }
    assert await count(live, Message) == 0


async def test_bad_payloads_get_error_acks_and_the_socket_keeps_working(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    not_an_object = await alice.call("message:send", ["to", office.bob.id])
    assert not_an_object["error"]["code"] == "bad_request"
    unknown_field = await alice.call(
        "message:send", {"request_id": "u", "to": office.bob.id, "content": "x", "x": 1}
    )
    assert unknown_field["ok"] is False
    assert unknown_field["request_id"] == "u"
    assert unknown_field["error"]["code"] == "validation_error"
    wrong_type = await alice.call("message:send", {"to": "bob", "content": "x"})
    assert wrong_type["error"]["code"] == "validation_error"
    oversized = await alice.call("message:send", {"to": office.bob.id, "content": "x" * 70_000})
    assert oversized["error"]["code"] == "payload_too_large"
    ok = await alice.call("message:send", {"to": office.bob.id, "content": "still here"})
    assert ok["ok"] is True
    assert [m["content"] for m in await bob.wait_for("message:new")] == ["still here"]


async def test_a_typing_flood_is_limited_while_messages_still_flow(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    acks = [await alice.call("typing:start", {"to": office.bob.id}) for _ in range(15)]
    assert [a["ok"] for a in acks] == [True] * 10 + [False] * 5
    assert {a["error"]["code"] for a in acks[10:]} == {"rate_limited"}
    sent = await alice.call("message:send", {"to": office.bob.id, "content": "typing aside"})
    assert sent["ok"] is True
    assert [m["content"] for m in await bob.wait_for("message:new")] == ["typing aside"]
    typing = await bob.wait_for("typing", 10)
    assert typing[0] == {"from": office.alice.id, "typing": True}


async def test_typing_stop_reaches_the_recipient(connect: ClientFactory, office: Office) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    await alice.call("typing:stop", {"to": office.bob.id})
    assert await bob.wait_for("typing") == [{"from": office.alice.id, "typing": False}]


async def test_reading_a_message_sends_a_receipt_to_its_sender(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    sent = [await alice.call("message:send", {"to": office.bob.id, "content": f"#{i}"}) for i in range(3)]
    last_id = sent[-1]["message"]["id"]
    ack = await bob.call("message:read", {"message_id": last_id, "up_to": True})
    assert ack["receipt"]["message_ids"] == [s["message"]["id"] for s in sent]
    [receipt] = await alice.wait_for("message:read")
    assert receipt == ack["receipt"]


async def test_a_message_sent_over_rest_is_pushed_to_the_recipients_socket(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    bob = await connect(office.bob.token)
    r = await http.post(
        "/api/messages", json={"to": office.bob.id, "content": "via REST"}, headers=office.alice.headers
    )
    assert r.status_code == 201
    assert await bob.wait_for("message:new") == [r.json()]


async def test_a_message_to_an_offline_user_becomes_a_notification(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    created: asyncio.Queue[NotificationCreated] = asyncio.Queue()
    live.ctx.hub.subscribe(NotificationCreated, created.put)
    alice = await connect(office.alice.token)
    ack = await alice.call(
        "message:send", {"to": office.bob.id, "content": "are you there?", "subject": "Hi"}
    )
    event = await asyncio.wait_for(created.get(), 5)
    assert event.user_id == office.bob.id
    async with live.ctx.sessionmaker() as db:
        [notification] = list(await db.scalars(select(Notification)))
    assert (notification.user_id, notification.type, notification.title, notification.message) == (
        office.bob.id,
        "message_received",
        "Hi",
        "are you there?",
    )
    assert notification.data == {"message_id": ack["message"]["id"], "sender_id": office.alice.id}


async def test_a_message_to_an_online_user_is_not_also_a_notification(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    await alice.call("message:send", {"to": office.bob.id, "content": "you are online"})
    await bob.wait_for("message:new")
    assert await count(live, Notification) == 0


async def test_a_stored_notification_is_pushed_live(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    bob = await connect(office.bob.token)
    async with live.ctx.transaction() as db:
        stored = await notify(
            db, user_id=office.bob.id, type="todo_assigned", title="New todo", message="Review CV"
        )
    [pushed] = await bob.wait_for("notification:new")
    assert pushed["id"] == stored.id
    assert (pushed["type"], pushed["title"], pushed["message"]) == ("todo_assigned", "New todo", "Review CV")
