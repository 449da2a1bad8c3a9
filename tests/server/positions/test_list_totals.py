"""A list's total is exact on every page, whether the page could tell it (the last one, read one
row past its end) or the rows had to be counted (a page with more after it, one past the end)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.context import AppContext
from tests.factories import make_position
from tests.server.tenants import Callers, Tenants


@pytest.fixture
async def five(ctx: AppContext, tenants: Tenants) -> list[int]:
    async with ctx.transaction() as db:
        made = [
            await make_position(db, tenants.employer_co, tenants.user("employer"), title=f"Position {n}")
            for n in range(5)
        ]
    return [p.id for p in made]


@pytest.fixture
def counts() -> Iterator[list[str]]:
    """The COUNT statements any engine of this process sends (the app's is its own)."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "count(" in statement.lower():
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


@pytest.mark.parametrize(
    ("limit", "offset", "ids", "counted"),
    [
        (20, 0, [0, 1, 2, 3, 4], False),
        (5, 0, [0, 1, 2, 3, 4], False),
        (2, 0, [0, 1], True),
        (2, 2, [2, 3], True),
        (2, 4, [4], False),
        (2, 5, [], True),
        (2, 50, [], True),
    ],
)
async def test_every_page_has_the_exact_total_and_only_pages_that_cannot_tell_count_it(
    callers: Callers,
    five: list[int],
    counts: list[str],
    limit: int,
    offset: int,
    ids: list[int],
    counted: bool,
) -> None:
    await callers.headers("employer")
    counts.clear()
    r = await callers.call("employer", "GET", f"/api/positions/?limit={limit}&offset={offset}&sort=id")
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 5
    assert [item["id"] for item in r.json()["items"]] == [five[i] for i in ids]
    assert bool(counts) is counted
