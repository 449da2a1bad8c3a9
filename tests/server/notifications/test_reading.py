"""/api/notifications: marking a user's own notifications read, and deleting them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Notification
from server.context import AppContext
from tests.server.auth.helpers import Client
from tests.server.notifications.helpers import (
    BASE,
    OWNER,
    add,
    headers_of,
    past,
    titles,
    two_users,
    unread_count,
)

# --- mark one read ------------------------------------------------------------------------


async def test_marking_read_sets_is_read_and_read_at(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    note = await add(ctx, owner, "to read")
    headers = await headers_of(client, OWNER)

    r = await client.post(f"{BASE}/{note.id}/read", headers=headers)

    assert r.status_code == 200, r.text
    assert r.json()["id"] == note.id
    assert r.json()["is_read"] is True
    assert r.json()["read_at"] is not None
    assert await unread_count(client, headers) == 0


async def test_reading_twice_keeps_the_first_read_at(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    note = await add(ctx, owner, "to read")
    headers = await headers_of(client, OWNER)
    first = await client.post(f"{BASE}/{note.id}/read", headers=headers)

    again = await client.post(f"{BASE}/{note.id}/read", headers=headers)

    assert again.status_code == 200
    assert again.json() == first.json()


async def test_marking_read_is_not_audited(client: Client, ctx: AppContext, session: AsyncSession) -> None:
    owner, _ = await two_users(ctx)
    note = await add(ctx, owner, "to read")
    headers = await headers_of(client, OWNER)

    assert (await client.post(f"{BASE}/{note.id}/read", headers=headers)).status_code == 200
    assert (await client.post(f"{BASE}/read-all", headers=headers)).status_code == 200

    actions = await session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "notifications"))
    assert list(actions) == ["notifications.create"]


@pytest.mark.parametrize("whose", ["another user's", "a missing", "an expired"])
async def test_marking_read_answers_404_for_a_notification_that_is_not_yours_to_see(
    client: Client, ctx: AppContext, session: AsyncSession, whose: str
) -> None:
    owner, other = await two_users(ctx)
    target = {
        "another user's": (await add(ctx, other, "theirs")).id,
        "a missing": 999_999,
        "an expired": (await add(ctx, owner, "expired", expires_at=past())).id,
    }[whose]

    r = await client.post(f"{BASE}/{target}/read", headers=await headers_of(client, OWNER))

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert await session.scalar(select(func.count()).where(Notification.is_read.is_(True))) == 0


# --- mark all read ------------------------------------------------------------------------


async def test_read_all_marks_your_live_unread_notifications_and_answers_how_many(
    client: Client, ctx: AppContext, session: AsyncSession
) -> None:
    owner, other = await two_users(ctx)
    already = await add(ctx, owner, "already read")
    await add(ctx, owner, "unread 1", category="todo")
    await add(ctx, owner, "unread 2")
    expired = await add(ctx, owner, "expired", expires_at=past())
    theirs = await add(ctx, other, "someone else's")
    headers = await headers_of(client, OWNER)
    first_read = (await client.post(f"{BASE}/{already.id}/read", headers=headers)).json()["read_at"]

    r = await client.post(f"{BASE}/read-all", headers=headers)

    assert r.status_code == 200, r.text
    assert r.json() == {"updated": 2}
    assert await unread_count(client, headers) == 0
    listed = (await client.get(BASE, headers=headers)).json()["items"]
    assert [n["is_read"] for n in listed] == [True, True, True]
    assert next(n["read_at"] for n in listed if n["id"] == already.id) == first_read
    unread = await session.scalars(select(Notification.id).where(Notification.is_read.is_(False)))
    assert sorted(unread) == sorted([expired.id, theirs.id])


async def test_read_all_again_updates_nothing(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "unread")
    headers = await headers_of(client, OWNER)
    assert (await client.post(f"{BASE}/read-all", headers=headers)).json() == {"updated": 1}

    r = await client.post(f"{BASE}/read-all", headers=headers)

    assert r.status_code == 200
    assert r.json() == {"updated": 0}


@pytest.mark.parametrize("how", ["query", "body"])
async def test_read_all_of_one_category_leaves_the_others_unread(
    client: Client, ctx: AppContext, how: str
) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "todo 1", category="todo")
    await add(ctx, owner, "todo 2", category="todo")
    await add(ctx, owner, "interview", category="interview")
    await add(ctx, owner, "uncategorised")
    headers = await headers_of(client, OWNER)

    if how == "query":
        r = await client.post(f"{BASE}/read-all", headers=headers, params={"category": "todo"})
    else:
        r = await client.post(f"{BASE}/read-all", headers=headers, json={"category": "todo"})

    assert r.status_code == 200, r.text
    assert r.json() == {"updated": 2}
    unread = await client.get(BASE, headers=headers, params={"unread_only": "true"})
    assert titles(unread.json()) == ["uncategorised", "interview"]


async def test_read_all_with_an_empty_body_object_reads_everything(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "a", category="todo")
    await add(ctx, owner, "b")

    r = await client.post(f"{BASE}/read-all", headers=await headers_of(client, OWNER), json={})

    assert r.status_code == 200, r.text
    assert r.json() == {"updated": 2}


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"category": "todo"}, {"category": "interview"}),
        ({}, {"category": ""}),
        ({}, {"category": "c" * 51}),
        ({}, {"unknown": 1}),
        ({"category": ""}, None),
    ],
)
async def test_read_all_refuses_invalid_or_conflicting_categories(
    client: Client, ctx: AppContext, params: dict[str, Any], body: dict[str, Any] | None
) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "todo", category="todo")
    headers = await headers_of(client, OWNER)

    r = await client.post(f"{BASE}/read-all", headers=headers, params=params, json=body)

    assert r.status_code == 422, r.text
    assert await unread_count(client, headers) == 1


# --- delete -------------------------------------------------------------------------------


async def test_deleting_removes_your_notification_for_good(
    client: Client, ctx: AppContext, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    gone = await add(ctx, owner, "to delete")
    await add(ctx, owner, "to keep")
    headers = await headers_of(client, OWNER)

    r = await client.delete(f"{BASE}/{gone.id}", headers=headers)

    assert r.status_code == 204
    assert r.content == b""
    assert titles((await client.get(BASE, headers=headers)).json()) == ["to keep"]
    assert await session.get(Notification, gone.id) is None
    assert (await client.delete(f"{BASE}/{gone.id}", headers=headers)).status_code == 404


async def test_deleting_is_audited_with_a_snapshot(
    client: Client, ctx: AppContext, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    gone = await add(ctx, owner, "to delete")

    r = await client.delete(f"{BASE}/{gone.id}", headers=await headers_of(client, OWNER))

    assert r.status_code == 204
    entry = await session.scalar(select(AuditLog).where(AuditLog.action == "notifications.delete"))
    assert entry is not None
    assert (entry.entity_id, entry.user_id) == (gone.id, owner.id)
    assert entry.old_values["title"] == "to delete"


@pytest.mark.parametrize("whose", ["another user's", "a missing", "an expired"])
async def test_deleting_answers_404_for_a_notification_that_is_not_yours_to_see(
    client: Client, ctx: AppContext, session: AsyncSession, whose: str
) -> None:
    owner, other = await two_users(ctx)
    target = {
        "another user's": (await add(ctx, other, "theirs")).id,
        "a missing": 999_999,
        "an expired": (await add(ctx, owner, "expired", expires_at=past())).id,
    }[whose]
    before = await session.scalar(select(func.count()).select_from(Notification))
    await session.commit()  # end the snapshot: the count below must see the request's outcome

    r = await client.delete(f"{BASE}/{target}", headers=await headers_of(client, OWNER))

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert await session.scalar(select(func.count()).select_from(Notification)) == before


async def test_a_non_integer_id_is_not_a_route(client: Client, ctx: AppContext) -> None:
    await two_users(ctx)

    r = await client.post(f"{BASE}/abc/read", headers=await headers_of(client, OWNER))

    assert r.status_code == 404
