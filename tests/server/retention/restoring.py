"""Shared by the restore tests of each domain (`POST /api/<entity>/{id}/restore`).

A domain's test module arranges its rows under the same names and has `name_and_delete` delete
them at the same times (real time, as the routes read the clock):

- `gone`: deleted 10 days ago, within the 90 days a deletion may be undone;
- `almost`: deleted 89 days ago, just within them;
- `long_gone`: deleted 91 days ago, past them;
- `live`: never deleted;
- `foreign`: another company's or person's, deleted a day ago;

and `missing` is an id no row has. It then describes its route as a `RestoreRoute` (who is
refused what, who restores which row, which tables a refusal must leave alone) and binds the two
tests every restore route has to names of its own:

    test_whoever_may_delete_the_todo_restores_it = RESTORE.restores_test()
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from models import AuditLog, Base
from models.base import IntPK
from server.context import AppContext
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix, assert_rows

DELETED_DAYS_AGO: dict[str, float] = {"gone": 10, "almost": 89, "long_gone": 91, "foreign": 1}
"""How many days ago `name_and_delete` deletes the row of each name; rows of other names stay live."""

DeletedAt = dict[str, datetime]
"""When each deleted row was deleted, by name."""

RestoreTest = Callable[..., Awaitable[None]]
"""A test pytest collects under the name a module binds it to; it takes the `callers` and `ctx`
fixtures and the module's own `deleted_at` (the rows, named and deleted by `name_and_delete`)."""

ANONYMOUS = Expect("anonymous", "gone", 401, "invalid_token")
"""Nobody signed in: 401 before the row is looked up."""


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def set_deleted(ctx: AppContext, model: type[Base], row_id: int, deleted_at: datetime | None) -> None:
    """Soft-delete the row at `deleted_at` (None: make it live)."""
    table: Any = model.__table__
    values = {"is_deleted": deleted_at is not None, "deleted_at": deleted_at, "deleted_by": None}
    async with ctx.transaction() as db:
        await db.execute(update(table).where(table.c.id == row_id).values(**values))


async def name_and_delete(
    ctx: AppContext, callers: Callers, model: type[Base], rows: Mapping[str, IntPK]
) -> DeletedAt:
    """Give each committed row its name in `callers.names` (for paths like `{gone}`), and delete
    those `DELETED_DAYS_AGO` names that many days ago."""
    deleted_at = {name: days_ago(days) for name, days in DELETED_DAYS_AGO.items()}
    for name, row in rows.items():
        callers.names[name] = row.id
        if name in deleted_at:
            await set_deleted(ctx, model, row.id, deleted_at[name])
    return deleted_at


def not_found(target: str, *people: str) -> list[Expect]:
    """404 `not_found` for each of these people on `target`: to them there is nothing to restore."""
    return [Expect(who, target, 404, "not_found") for who in people]


def window_refusals(*people: str, long_gone: tuple[str, ...] = ()) -> list[Expect]:
    """404 for each of `people` on the row deleted 91 days ago, on the live row and on the missing
    id: past the window, or never deleted, a row answers like a missing id. `long_gone`, when
    given, names who tries the row deleted 91 days ago instead of `people`."""
    return [
        *not_found("long_gone", *(long_gone or people)),
        *not_found("live", *people),
        *not_found("missing", *people),
    ]


@dataclass(frozen=True)
class RestoreRoute:
    """A domain's restore route and what its tests expect of it."""

    model: type[Base]
    path: str
    """`/api/todos/{target}/restore`."""
    not_found: str
    """The exact detail of every 404: `Todo {id} was not found.`."""
    refused: list[Expect]
    allowed: list[tuple[str, str]]
    """`(who, target)`: each of these restores that row."""
    unchanged: tuple[type[Base], ...]
    """The tables no refused call may change."""

    def at(self, target: str) -> str:
        """The path on one named row: `/api/todos/{gone}/restore`."""
        return self.path.replace("{target}", "{" + target + "}")

    def refusals_test(self) -> RestoreTest:
        """The test that each refused cell answers exactly, and that the refusals change nothing."""

        async def test(callers: Callers, ctx: AppContext, deleted_at: DeletedAt) -> None:
            matrix: Matrix = [("POST", self.path, NO_BODY, self.refused)]
            await assert_matrix(callers, ctx, matrix, self.unchanged, not_found=self.not_found)

        return test

    def restores_test(self) -> RestoreTest:
        """The test that each allowed caller restores the row (`assert_each_restores`)."""

        async def test(callers: Callers, ctx: AppContext, deleted_at: DeletedAt) -> None:
            await self.assert_each_restores(callers, ctx, deleted_at)

        return test

    async def assert_each_restores(self, callers: Callers, ctx: AppContext, deleted_at: DeletedAt) -> None:
        """Each allowed (who, target) restores the target (200, the row as answered, live
        afterwards); the row is deleted again at its old time before the next one tries."""
        expected, got = [], []
        for who, target in self.allowed:
            row_id = int(callers.path("{" + target + "}"))
            response = await callers.call(who, "POST", self.at(target))
            body = response.json()
            expected.append((who, target, 200, row_id, False))
            is_deleted = await _is_deleted(ctx, self.model, row_id)
            got.append((who, target, response.status_code, body.get("id"), is_deleted))
            await set_deleted(ctx, self.model, row_id, deleted_at[target])
        assert_rows(expected, got)

    async def restore(self, callers: Callers, who: str, target: str) -> dict[str, Any]:
        """`who` restores `target`: 200; the row as answered."""
        restored = await callers.call(who, "POST", self.at(target))
        assert restored.status_code == 200, restored.text
        body: dict[str, Any] = restored.json()
        return body

    async def assert_restored_once(self, callers: Callers, ctx: AppContext, who: str, target: str) -> None:
        """Restoring `target` again is 404 (it is live), and one audit row says `who` restored it."""
        assert (await callers.call(who, "POST", self.at(target))).status_code == 404
        row_id = int(callers.path("{" + target + "}"))
        table = str(self.model.__tablename__)
        assert await restore_audits(ctx, table, row_id) == [callers.tenants.user(who).id]


async def _is_deleted(ctx: AppContext, model: type[Base], row_id: int) -> bool:
    async with ctx.sessionmaker() as db:
        row = await db.get(model, row_id)
        assert row is not None
        return bool(row.is_deleted)  # type: ignore[attr-defined]


async def restore_audits(ctx: AppContext, table: str, row_id: int) -> list[int | None]:
    """Who restored the row, one entry per `<table>.restore` audit row."""
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditLog.user_id).where(
                AuditLog.action == f"{table}.restore", AuditLog.entity_id == row_id
            )
        )
        return list(rows)
