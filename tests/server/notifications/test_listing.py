"""/api/notifications: listing and counting a user's own notifications; anonymous callers."""

from __future__ import annotations

from typing import Any

import pytest

from server.context import AppContext
from tests.server.auth.helpers import Client
from tests.server.notifications.helpers import (
    BASE,
    OTHER,
    OWNER,
    add,
    future,
    headers_of,
    past,
    titles,
    two_users,
    unread_count,
)

# --- authentication ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", BASE),
        ("GET", f"{BASE}/unread-count"),
        ("POST", f"{BASE}/1/read"),
        ("POST", f"{BASE}/read-all"),
        ("DELETE", f"{BASE}/1"),
    ],
)
async def test_every_route_refuses_an_anonymous_caller(client: Client, method: str, path: str) -> None:
    r = await client.request(method, path)

    assert r.status_code == 401
    assert r.json()["code"] == "invalid_token"


# --- list ---------------------------------------------------------------------------------


async def test_the_list_answers_your_notifications_newest_first_with_every_field(
    client: Client, ctx: AppContext
) -> None:
    owner, other = await two_users(ctx)
    first = await add(ctx, owner, "first", category="interview", data={"interview_id": 3})
    await add(ctx, owner, "second", action_url="/todos", expires_at=future())
    await add(ctx, other, "someone else's")

    r = await client.get(BASE, headers=await headers_of(client, OWNER))

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 2
    assert titles(body) == ["second", "first"]
    assert body["items"][1] == {
        "id": first.id,
        "type": "interview_scheduled",
        "title": "first",
        "message": "first: details",
        "data": {"interview_id": 3},
        "is_read": False,
        "read_at": None,
        "priority": "normal",
        "category": "interview",
        "action_url": None,
        "expires_at": first.expires_at.isoformat().replace("+00:00", "Z") if first.expires_at else None,
        "created_at": first.created_at.isoformat().replace("+00:00", "Z"),
    }


async def test_the_list_hides_expired_notifications(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "expired", expires_at=past())
    await add(ctx, owner, "expiring later", expires_at=future())
    await add(ctx, owner, "never expiring")

    r = await client.get(BASE, headers=await headers_of(client, OWNER))

    assert r.status_code == 200, r.text
    assert titles(r.json()) == ["never expiring", "expiring later"]
    assert r.json()["total"] == 2


async def test_the_list_filters_unread_only_and_by_category(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    read = await add(ctx, owner, "read interview", category="interview")
    await add(ctx, owner, "unread interview", category="interview")
    await add(ctx, owner, "unread todo", category="todo")
    await add(ctx, owner, "unread uncategorised")
    headers = await headers_of(client, OWNER)
    assert (await client.post(f"{BASE}/{read.id}/read", headers=headers)).status_code == 200

    unread = await client.get(BASE, headers=headers, params={"unread_only": "true"})
    interviews = await client.get(BASE, headers=headers, params={"category": "interview"})
    unread_interviews = await client.get(
        BASE, headers=headers, params={"category": "interview", "unread_only": "true"}
    )

    assert titles(unread.json()) == ["unread uncategorised", "unread todo", "unread interview"]
    assert titles(interviews.json()) == ["unread interview", "read interview"]
    assert titles(unread_interviews.json()) == ["unread interview"]
    assert unread_interviews.json()["total"] == 1


async def test_the_list_pages_and_sorts(client: Client, ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    for n in range(5):
        await add(ctx, owner, f"n{n}")
    headers = await headers_of(client, OWNER)

    page = await client.get(BASE, headers=headers, params={"limit": 2, "offset": 1})
    oldest_first = await client.get(BASE, headers=headers, params={"sort": "id", "limit": 3})

    assert page.json() == {"items": page.json()["items"], "total": 5}
    assert titles(page.json()) == ["n3", "n2"]
    assert titles(oldest_first.json()) == ["n0", "n1", "n2"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort": "title"}, "sort"),
        ({"unread_only": "maybe"}, "unread_only"),
        ({"category": ""}, "category"),
        ({"category": "c" * 51}, "category"),
    ],
)
async def test_the_list_refuses_invalid_parameters(
    client: Client, ctx: AppContext, params: dict[str, Any], field: str
) -> None:
    await two_users(ctx)

    r = await client.get(BASE, headers=await headers_of(client, OWNER), params=params)

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert [e["field"] for e in r.json()["errors"]] == [field]


# --- unread count -------------------------------------------------------------------------


async def test_the_unread_count_counts_only_your_live_unread_notifications(
    client: Client, ctx: AppContext
) -> None:
    owner, other = await two_users(ctx)
    read = await add(ctx, owner, "read", category="todo")
    await add(ctx, owner, "unread todo", category="todo")
    await add(ctx, owner, "unread interview", category="interview")
    await add(ctx, owner, "expired", category="todo", expires_at=past())
    await add(ctx, other, "someone else's", category="todo")
    headers = await headers_of(client, OWNER)
    assert (await client.post(f"{BASE}/{read.id}/read", headers=headers)).status_code == 200

    assert await unread_count(client, headers) == 2
    assert await unread_count(client, headers, category="todo") == 1
    assert await unread_count(client, headers, category="nothing") == 0
    assert await unread_count(client, await headers_of(client, OTHER)) == 1


async def test_the_unread_count_refuses_an_empty_category(client: Client, ctx: AppContext) -> None:
    await two_users(ctx)

    r = await client.get(
        f"{BASE}/unread-count", headers=await headers_of(client, OWNER), params={"category": ""}
    )

    assert r.status_code == 422
