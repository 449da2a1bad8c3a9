"""Listing todos: filters on the indexed columns, sorting, pages, and the overdue list."""

from __future__ import annotations

from typing import Any

from models.enums import TodoPriority, TodoStatus, TodoVisibility
from server.context import AppContext
from tests.factories import make_todo
from tests.server.tenants import Callers, Rejections, assert_rejections, invalid
from tests.server.todos.conftest import Team
from tests.server.todos.helpers import BASE, days, iso, now, ok

NAIVE = "2030-03-31T09:00:00"


async def arrange(ctx: AppContext, team: Team) -> dict[str, int]:
    """The colleague's own todos (`a`..`g`) and two of the recruiter's (`h` private, `i` company)."""
    users = team.tenants.users
    colleague, recruiter = users["colleague"], users["recruiter"]
    at = now()
    rows: dict[str, dict[str, Any]] = {
        "a": {
            "due_date": at - days(3),
            "priority": TodoPriority.LOW,
            "tags": ["面接", "call"],
            "category": "calls",
        },
        "b": {
            "due_date": at - days(1 / 24),
            "status": TodoStatus.IN_PROGRESS,
            "priority": TodoPriority.URGENT,
        },
        "c": {"due_date": at - days(2), "status": TodoStatus.COMPLETED, "title": "Send the Contract"},
        "d": {"due_date": at - days(2), "status": TodoStatus.CANCELLED, "tags": ["call-back"]},
        "e": {"due_date": at + days(1), "priority": TodoPriority.HIGH, "description": "the contract draft"},
        "f": {"assigned_user_id": users["assignee"].id, "visibility": TodoVisibility.COMPANY},
        "g": {"due_date": at - days(5), "is_deleted": True},
    }
    async with ctx.transaction() as db:
        ids = {
            name: (await make_todo(db, colleague, **{"title": f"todo {name}", **fields})).id
            for name, fields in rows.items()
        }
        ids["h"] = (await make_todo(db, recruiter, title="todo h", due_date=at - days(4))).id
        ids["i"] = (
            await make_todo(
                db, recruiter, title="todo i", due_date=at - days(10), visibility=TodoVisibility.COMPANY
            )
        ).id
    return ids


def names(body: dict[str, Any], ids: dict[str, int]) -> list[str]:
    by_id = {todo_id: name for name, todo_id in ids.items()}
    return [by_id.get(item["id"], f"team:{item['id']}") for item in body["items"]]


async def test_the_overdue_list_holds_exactly_the_open_todos_due_before_now(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    ids = await arrange(ctx, team)
    colleague = await ok(callers, "colleague", "GET", f"{BASE}/overdue")
    assert (names(colleague, ids), colleague["total"]) == (["i", "a", "b"], 3)
    assert all(item["is_overdue"] for item in colleague["items"])
    recruiter = await ok(callers, "recruiter", "GET", f"{BASE}/overdue")
    assert names(recruiter, ids) == ["i", "h"]
    admin = await ok(callers, "home_admin", "GET", f"{BASE}/overdue", params={"sort": "-due_date"})
    assert names(admin, ids) == ["b", "a", "h", "i"]
    assert (await ok(callers, "other_admin", "GET", f"{BASE}/overdue"))["items"] == []
    # The same rule as a filter of the full list.
    listed = await ok(callers, "colleague", "GET", f"{BASE}/", params={"overdue": "true", "sort": "due_date"})
    assert names(listed, ids) == ["i", "a", "b"]
    not_overdue = await ok(callers, "colleague", "GET", f"{BASE}/", params={"overdue": "false", "sort": "id"})
    assert [n for n in names(not_overdue, ids) if not n.startswith("team")] == ["c", "d", "e", "f"]


async def test_filters_narrow_the_list_to_matching_rows(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    ids = await arrange(ctx, team)
    users = team.tenants.users
    at = now()
    mine = {"created_by": users["colleague"].id, "sort": "id"}
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({}, ["a", "b", "c", "d", "e", "f"]),
        ({"status": "in_progress"}, ["b"]),
        ({"priority": "urgent"}, ["b"]),
        ({"category": "calls"}, ["a"]),
        ({"tag": "call"}, ["a"]),
        ({"tag": "面接"}, ["a"]),
        ({"tag": "call-back"}, ["d"]),
        ({"visibility": "company"}, ["f"]),
        ({"assigned_user_id": users["assignee"].id}, ["f"]),
        ({"q": "contract"}, ["c", "e"]),
        ({"q": "50%"}, []),
        ({"due_after": iso(at - days(2.5)), "due_before": iso(at)}, ["b", "c", "d"]),
        ({"due_after": iso(at)}, ["e"]),
        ({"company_id": team.tenants.other.id}, []),
    ]
    expected, got = [], []
    for params, wanted in cases:
        body = await ok(callers, "colleague", "GET", f"{BASE}/", params={**mine, **params})
        expected.append((params, wanted, len(wanted)))
        got.append((params, names(body, ids), body["total"]))
    assert got == expected


async def test_sorting_and_pages(callers: Callers, ctx: AppContext, team: Team) -> None:
    ids = await arrange(ctx, team)
    mine = {"created_by": team.tenants.user("colleague").id}
    by_priority = await ok(callers, "colleague", "GET", f"{BASE}/", params={**mine, "sort": "-priority"})
    assert names(by_priority, ids) == ["b", "e", "c", "d", "f", "a"]
    by_due = await ok(callers, "colleague", "GET", f"{BASE}/", params={**mine, "sort": "due_date"})
    # SQLite and MySQL both put NULL first in ascending order.
    assert names(by_due, ids) == ["f", "a", "c", "d", "b", "e"]
    page = await ok(
        callers, "colleague", "GET", f"{BASE}/", params={**mine, "sort": "-title", "limit": 2, "offset": 1}
    )
    assert (names(page, ids), page["total"]) == (["e", "d"], 6)


REJECTED_PARAMS: Rejections = [
    (
        "recruiter",
        "GET",
        f"{BASE}/",
        [
            ({"params": {"sort": "description"}}, invalid("sort")),
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"limit": 201}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
            ({"params": {"status": "done"}}, invalid("status")),
            ({"params": {"priority": "critical"}}, invalid("priority")),
            ({"params": {"visibility": "public"}}, invalid("visibility")),
            ({"params": {"assigned_user_id": 0}}, invalid("assigned_user_id")),
            ({"params": {"created_by": 10**20}}, invalid("created_by")),
            ({"params": {"due_before": NAIVE}}, invalid("due_before")),
            ({"params": {"due_after": "soon"}}, invalid("due_after")),
            ({"params": {"overdue": "maybe"}}, invalid("overdue")),
            ({"params": {"q": "q" * 101}}, invalid("q")),
            ({"params": {"tag": "t" * 101}}, invalid("tag")),
        ],
    ),
    ("recruiter", "GET", f"{BASE}/overdue", [({"params": {"sort": "nope"}}, invalid("sort"))]),
]


async def test_bad_list_parameters_are_a_422_naming_the_parameter(callers: Callers, team: Team) -> None:
    await assert_rejections(callers, REJECTED_PARAMS)
