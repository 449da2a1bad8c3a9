"""/api/messages lists: conversations, one thread (cursor), what a reconnecting client missed
(cursor), and search. Each list holds the caller's own messages only, never deleted ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import or_, select

from models import Message
from server.context import AppContext
from tests.server.messages.helpers import BASE, as_json, history, ids
from tests.server.tenants import Callers, Tenants, assert_error


async def _get(callers: Callers, who: str, path: str, **params: Any) -> dict[str, Any]:
    r = await callers.call(who, "GET", f"{BASE}{path}", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _walk(
    callers: Callers, who: str, path: str, first_cursor: int | None, limit: int
) -> list[list[int]]:
    """Follow `next_cursor` until it is null; answers the ids of every page."""
    pages: list[list[int]] = []
    cursor = first_cursor
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        page = await _get(callers, who, path, **params)
        pages.append(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
        assert cursor == pages[-1][-1], page
        assert len(pages) < 20, "the cursor never ends"


def _chunks(values: list[int], size: int) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


async def _delete(ctx: AppContext, message: Message) -> None:
    async with ctx.transaction() as db:
        row = await db.get(Message, message.id)
        assert row is not None
        row.mark_deleted(row.sender_id)


# --- conversations ----------------------------------------------------------------------------


async def _recruiters_inbox(ctx: AppContext, tenants: Tenants) -> list[Message]:
    """The recruiter talks with a colleague, the tied employer and the system_admin; the
    employer's own company chat is noise the recruiter must never see."""
    messages = await history(
        ctx,
        tenants,
        ("home_admin", "recruiter", "a1"),
        ("recruiter", "employer", "b1"),
        ("home_admin", "recruiter", "a2"),
        ("employer", "recruiter", "b2"),
        ("system_admin", "recruiter", "c1"),
        ("recruiter", "home_admin", "a3"),
        ("employer_admin", "employer", "noise"),
    )
    async with ctx.transaction() as db:
        read = await db.get(Message, messages[4].id)
        assert read is not None
        read.is_read, read.read_at = True, datetime.now(UTC)
    messages[4] = read
    return messages


def _counterpart(tenants: Tenants, who: str) -> dict[str, Any]:
    user = tenants.user(who)
    return {"id": user.id, "first_name": who, "last_name": "Tenant", "company_id": user.company_id}


async def test_conversations_give_one_row_per_counterpart_newest_first_with_unread_counts(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    m = await _recruiters_inbox(ctx, tenants)

    body = await _get(callers, "recruiter", "/conversations")

    assert body == {
        "items": [
            {
                "counterpart": _counterpart(tenants, "home_admin"),
                "last_message": as_json(m[5]),
                "unread_count": 2,
            },
            {
                "counterpart": _counterpart(tenants, "system_admin"),
                "last_message": as_json(m[4]),
                "unread_count": 0,
            },
            {
                "counterpart": _counterpart(tenants, "employer"),
                "last_message": as_json(m[3]),
                "unread_count": 1,
            },
        ],
        "total": 3,
    }


async def test_the_other_side_sees_its_own_conversations(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    m = await _recruiters_inbox(ctx, tenants)

    body = await _get(callers, "employer", "/conversations")

    assert [(c["counterpart"]["id"], c["last_message"]["id"], c["unread_count"]) for c in body["items"]] == [
        (tenants.user("employer_admin").id, m[6].id, 1),
        (tenants.user("recruiter").id, m[3].id, 1),
    ]
    assert body["total"] == 2


@pytest.mark.parametrize(
    ("limit", "offset", "counterparts"),
    [(1, 0, ["home_admin"]), (2, 1, ["system_admin", "employer"]), (2, 3, [])],
)
async def test_conversations_are_paginated_with_the_full_total(
    callers: Callers, tenants: Tenants, ctx: AppContext, limit: int, offset: int, counterparts: list[str]
) -> None:
    await _recruiters_inbox(ctx, tenants)

    body = await _get(callers, "recruiter", "/conversations", limit=limit, offset=offset)

    assert [c["counterpart"]["id"] for c in body["items"]] == [tenants.user(w).id for w in counterparts]
    assert body["total"] == 3


async def test_deleted_messages_leave_the_conversations(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    m = await _recruiters_inbox(ctx, tenants)
    await _delete(ctx, m[5])  # the colleague conversation falls back to a2
    await _delete(ctx, m[4])  # the system_admin conversation is gone

    body = await _get(callers, "recruiter", "/conversations")

    assert [(c["counterpart"]["id"], c["last_message"]["id"], c["unread_count"]) for c in body["items"]] == [
        (tenants.user("employer").id, m[3].id, 1),
        (tenants.user("home_admin").id, m[2].id, 2),
    ]
    assert body["total"] == 2


async def test_someone_without_messages_has_no_conversations(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    await _recruiters_inbox(ctx, tenants)

    assert await _get(callers, "other_user", "/conversations") == {"items": [], "total": 0}


# --- one thread -------------------------------------------------------------------------------


async def _thread(ctx: AppContext, tenants: Tenants, count: int) -> list[int]:
    """`count` messages between the recruiter and a colleague both ways, interleaved with others."""
    lines = []
    for i in range(count):
        lines.append(("recruiter", "home_admin", f"t{i}") if i % 2 else ("home_admin", "recruiter", f"t{i}"))
        lines.append(
            ("recruiter", "employer", f"noise{i}") if i % 3 else ("home_admin", "employer_admin", "n")
        )
    messages = await history(ctx, tenants, *lines)
    return [m.id for m in messages if m.content.startswith("t")]


@pytest.mark.parametrize("count", [1, 6, 7])
@pytest.mark.parametrize("reader", ["recruiter", "home_admin"])
async def test_a_thread_pages_newest_first_without_gaps_or_duplicates(
    callers: Callers, tenants: Tenants, ctx: AppContext, count: int, reader: str
) -> None:
    thread = await _thread(ctx, tenants, count)
    counterpart = tenants.user("home_admin" if reader == "recruiter" else "recruiter").id

    pages = await _walk(callers, reader, f"/with/{counterpart}", None, 3)

    assert pages == _chunks(thread[::-1], 3)


async def test_a_thread_answers_the_full_messages(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    [message] = await history(ctx, tenants, ("recruiter", "employer", "ご紹介したい候補者がいます。"))

    body = await _get(callers, "employer", f"/with/{tenants.user('recruiter').id}")

    assert body == {"items": [as_json(message)], "next_cursor": None}


async def test_a_thread_hides_deleted_messages(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    first, second, third = await history(
        ctx, tenants, *[("recruiter", "home_admin", text) for text in ("one", "two", "three")]
    )
    await _delete(ctx, second)

    body = await _get(callers, "home_admin", f"/with/{tenants.user('recruiter').id}")

    assert ids(body) == [third.id, first.id]


@pytest.mark.parametrize("reader", ["employer_admin", "system_admin", "candidate"])
async def test_a_thread_between_two_other_people_is_empty(
    callers: Callers, tenants: Tenants, ctx: AppContext, reader: str
) -> None:
    await _thread(ctx, tenants, 3)

    body = await _get(callers, reader, f"/with/{tenants.user('recruiter').id}")

    assert body == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("/with/1", {"cursor": 0}, "cursor", "Expected `int` >= 1"),
        ("/with/1", {"limit": 0}, "limit", "Expected `int` >= 1"),
        ("/with/1", {"limit": 201}, "limit", "Expected `int` <= 200"),
        ("/since", {"cursor": -1}, "cursor", "Expected `int` >= 0"),
        ("/since", {"cursor": "x"}, "cursor", "Expected `int`, got `str`"),
        ("/conversations", {"offset": -1}, "offset", "Expected `int` >= 0"),
        ("/search", {"q": ""}, "q", "Expected `str` of length >= 1"),
        ("/search", {"q": "x" * 101}, "q", "Expected `str` of length <= 100"),
    ],
)
async def test_invalid_list_parameters_are_refused_with_the_field_named(
    callers: Callers, path: str, params: dict[str, Any], field: str, message: str
) -> None:
    r = await callers.call("recruiter", "GET", f"{BASE}{path}", params=params)

    body = assert_error(r, 422, "validation_error")
    assert body["errors"] == [{"field": field, "message": message}]


async def test_search_without_text_is_refused(callers: Callers) -> None:
    r = await callers.call("recruiter", "GET", f"{BASE}/search")

    assert_error(r, 422, "validation_error")


# --- what a reconnecting client missed --------------------------------------------------------


async def test_since_pages_everything_after_the_cursor_oldest_first(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    thread = await _thread(ctx, tenants, 7)
    everything = [m.id for m in await _all_of(ctx, tenants.user("recruiter").id)]
    assert len(everything) > len(thread)
    seen = everything[2]

    pages = await _walk(callers, "recruiter", "/since", seen, 4)

    assert pages == _chunks(everything[3:], 4)


async def test_since_without_a_cursor_starts_at_the_beginning(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    first, _, third = await history(
        ctx,
        tenants,
        ("home_admin", "recruiter", "one"),
        ("employer_admin", "employer", "not the recruiter's"),
        ("recruiter", "employer", "two"),
    )

    body = await _get(callers, "recruiter", "/since")

    assert body == {"items": [as_json(first), as_json(third)], "next_cursor": None}


async def test_since_the_newest_message_is_empty(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    [message] = await history(ctx, tenants, ("home_admin", "recruiter", "one"))

    assert await _get(callers, "recruiter", "/since", cursor=message.id) == {"items": [], "next_cursor": None}


async def _all_of(ctx: AppContext, user_id: int) -> list[Message]:
    async with ctx.sessionmaker() as db:
        return list(
            await db.scalars(
                select(Message)
                .where(or_(Message.sender_id == user_id, Message.recipient_id == user_id))
                .order_by(Message.id)
            )
        )


# --- search -----------------------------------------------------------------------------------


async def _searchable(ctx: AppContext, tenants: Tenants) -> list[Message]:
    return await history(
        ctx,
        tenants,
        ("recruiter", "home_admin", "面接の日程を調整します"),
        ("home_admin", "recruiter", "Interview schedule is OK"),
        ("employer_admin", "employer", "INTERVIEW schedule of another team, 面接の日程"),
        ("recruiter", "employer", "合格率は100%でした"),
        ("employer", "recruiter", "1000 candidates applied"),
        ("recruiter", "home_admin", "file_name.pdf"),
        ("recruiter", "home_admin", "filename.pdf"),
        ("recruiter", "home_admin", "A/B テスト"),
    )


@pytest.mark.parametrize(
    ("q", "found"),
    [
        pytest.param("interview", [1], id="case-insensitive"),
        pytest.param("SCHEDULE", [1], id="upper case"),
        pytest.param("面接の日程", [0], id="Japanese"),
        pytest.param("100%", [3], id="percent is literal"),
        pytest.param("_", [5], id="underscore is literal"),
        pytest.param("file_", [5], id="underscore inside a word"),
        pytest.param("a/b", [7], id="the escape character is literal"),
        pytest.param("nothing like it", [], id="no match"),
    ],
)
async def test_search_finds_your_messages_by_text_newest_first(
    callers: Callers, tenants: Tenants, ctx: AppContext, q: str, found: list[int]
) -> None:
    m = await _searchable(ctx, tenants)

    body = await _get(callers, "recruiter", "/search", q=q)

    assert ids(body) == [m[i].id for i in found][::-1]
    assert body["total"] == len(found)


async def test_search_matches_the_subject(callers: Callers, tenants: Tenants) -> None:
    r = await callers.call(
        "recruiter",
        "POST",
        BASE,
        json={
            "to": tenants.user("home_admin").id,
            "subject": "Offer letter",
            "content": "添付をご確認ください",
        },
    )
    assert r.status_code == 201, r.text

    body = await _get(callers, "home_admin", "/search", q="offer")

    assert ids(body) == [r.json()["id"]]


async def test_search_never_shows_another_users_conversation(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    m = await _searchable(ctx, tenants)

    body = await _get(callers, "employer_admin", "/search", q="schedule")

    assert body == {"items": [as_json(m[2])], "total": 1}


async def test_search_is_paginated_and_skips_deleted_messages(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    m = await history(ctx, tenants, *[("recruiter", "home_admin", f"候補者 {i}") for i in range(5)])
    await _delete(ctx, m[3])

    first = await _get(callers, "home_admin", "/search", q="候補者", limit=2)
    second = await _get(callers, "home_admin", "/search", q="候補者", limit=2, offset=2)

    assert (ids(first), ids(second)) == ([m[4].id, m[2].id], [m[1].id, m[0].id])
    assert first["total"] == second["total"] == 4
