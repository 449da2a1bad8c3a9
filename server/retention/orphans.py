"""Attachments whose entity no longer exists at all, deleted with their bytes.

The soft-delete purge deletes an entity's attachments with it; an entity the database deleted
itself, by a cascade (an interview of a company that was purged, a resume of a purged user),
leaves its attachments behind, since `attachments` has no foreign key to its entity. This step
finds them through `ENTITY_TABLES` and deletes them, in batches. Files not hung on an entity
yet (`entity_id` 0) and entity types no table is known for are left alone.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, exists, select

from server.context import AppContext
from server.retention import files
from server.retention.cascades import ATTACHMENTS, ENTITY_TABLES, FILE_COLUMN, UNBOUND, tables
from server.retention.policy import BATCH
from server.retention.report import Step


def orphaned(entity_type: str) -> ColumnElement[bool]:
    attachments = tables()[ATTACHMENTS]
    owner = tables()[ENTITY_TABLES[entity_type]]
    condition: ColumnElement[bool] = and_(
        attachments.c.entity_type == entity_type,
        attachments.c.entity_id != UNBOUND,
        ~exists().where(owner.c.id == attachments.c.entity_id),
    )
    return condition


async def purge_orphaned_attachments(ctx: AppContext, files_step: Step) -> Step:
    step = Step(f"orphaned.{ATTACHMENTS}")
    attachments = tables()[ATTACHMENTS]
    for entity_type in sorted(ENTITY_TABLES):
        condition = orphaned(entity_type)
        after = 0
        while True:
            async with ctx.transaction() as db:
                rows = (
                    await db.execute(
                        select(attachments.c.id, attachments.c[FILE_COLUMN])
                        .where(condition, attachments.c.id > after)
                        .order_by(attachments.c.id)
                        .limit(BATCH)
                    )
                ).all()
                if rows:
                    ids = [row_id for row_id, _ in rows]
                    result = await db.execute(delete(attachments).where(attachments.c.id.in_(ids), condition))
                    step.deleted += int(result.rowcount)  # type: ignore[attr-defined]
            if not rows:
                break
            after = rows[-1][0]
            files_step.deleted += await files.collect(ctx, {key for _, key in rows if key})
    return step
