"""Hard-deleting rows soft-deleted 90 days ago or earlier, in every table with the SoftDelete columns.

Tables go children first (the reverse of `sorted_tables`), so a deleted todo's deleted files
are gone before the todo is tried. Each batch of at most `BATCH` ids is one transaction:

1. the due rows of the batch are locked and read again (a row restored meanwhile stays);
2. in a savepoint, the rows are deleted with their attachments and what their foreign keys
   cascade to, children first, reading the object keys of every file row that goes
   (`cascades.delete_tree`); a company's audit rows are detached from it, not deleted (audit
   logs are kept 7 years whatever happens to the company);
3. when a live row still refers to one of them through a foreign key without cascade (a user
   who uploaded live files, a message with a live reply), the savepoint is rolled back and the
   batch is tried row by row, newest first, each in a savepoint of its own: the rows that
   cannot go are kept and counted as kept, and tried again by the next purge;
4. after the commit, the bytes of the collected keys that no row names any more are removed.

Running it twice deletes nothing the second time: the rows are gone, and kept ones are still kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

import models
from server.context import AppContext
from server.retention import files
from server.retention.cascades import delete_tree
from server.retention.policy import BATCH, purge_cutoff
from server.retention.report import Progress, Report, Step


def soft_delete_tables() -> list[Table]:
    """Every table with the SoftDelete columns, children before their parents."""
    wanted = {"id", "is_deleted", "deleted_at"}
    return [t for t in reversed(models.Base.metadata.sorted_tables) if wanted <= set(t.c.keys())]


def due(table: Table, cutoff: datetime) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = and_(
        table.c.is_deleted.is_(True), table.c.deleted_at.is_not(None), table.c.deleted_at <= cutoff
    )
    return condition


@dataclass
class Outcome:
    deleted: int = 0
    kept: int = 0
    keys: set[str] = field(default_factory=set)


async def _delete(
    db: AsyncSession, table: Table, ids: Sequence[int], cutoff: datetime
) -> tuple[int, set[str]]:
    return await delete_tree(db, table, and_(table.c.id.in_(ids), due(table, cutoff)))


async def _delete_batch(db: AsyncSession, table: Table, ids: Sequence[int], cutoff: datetime) -> Outcome:
    locked = list(
        await db.scalars(select(table.c.id).where(table.c.id.in_(ids), due(table, cutoff)).with_for_update())
    )
    if not locked:
        return Outcome()
    try:
        async with db.begin_nested():
            deleted, keys = await _delete(db, table, locked, cutoff)
        return Outcome(deleted=deleted, keys=keys)
    except IntegrityError:
        pass
    outcome = Outcome()
    for row_id in sorted(locked, reverse=True):  # a reply before the message it answers
        try:
            async with db.begin_nested():
                deleted, keys = await _delete(db, table, [row_id], cutoff)
        except IntegrityError:
            outcome.kept += 1
            continue
        outcome.deleted += deleted
        outcome.keys |= keys
    return outcome


async def _stamp_undated(ctx: AppContext, table: Table, now: datetime) -> None:
    """A deleted row without a deletion time counts as deleted now (and goes 90 days later)."""
    async with ctx.transaction() as db:
        await db.execute(
            update(table)
            .where(table.c.is_deleted.is_(True), table.c.deleted_at.is_(None))
            .values(deleted_at=now)
        )


async def purge_table(ctx: AppContext, table: Table, now: datetime, files_step: Step) -> Step:
    step = Step(f"soft_deleted.{table.name}")
    cutoff = purge_cutoff(now)
    await _stamp_undated(ctx, table, now)
    after = 0
    while True:
        async with ctx.transaction() as db:
            ids = list(
                await db.scalars(
                    select(table.c.id)
                    .where(due(table, cutoff), table.c.id > after)
                    .order_by(table.c.id)
                    .limit(BATCH)
                )
            )
            outcome = await _delete_batch(db, table, ids, cutoff) if ids else Outcome()
        if not ids:
            return step
        after = ids[-1]
        step.deleted += outcome.deleted
        step.kept += outcome.kept
        files_step.deleted += await files.collect(ctx, outcome.keys)


async def purge_soft_deleted(
    ctx: AppContext, now: datetime, report: Report, progress: Progress, files_step: Step
) -> None:
    for table in soft_delete_tables():
        report.add(await purge_table(ctx, table, now, files_step), progress)
