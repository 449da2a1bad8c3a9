"""What goes with a row when it is hard-deleted, read from the models' metadata.

- Its **attachments**: `attachments` names its owner by `entity_type` and `entity_id`, with no
  foreign key, so the database cannot cascade; `ENTITY_TABLES` says which table each entity
  type's ids are in (the domains' manifests register the types, `file_owners`).
- The rows its foreign keys **cascade** to (`ON DELETE CASCADE`): a todo takes its
  `todo_attachments`, a company nearly everything of its own. `delete_tree` deletes those
  itself, children first, reading the object keys of the file rows among them before they go
  so that their bytes are collected too.

A **file table** is any table with a `file_path` column (as the backup reads them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Column, ColumnElement, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import models

FILE_COLUMN = "file_path"
ATTACHMENTS = "attachments"
AUDIT_LOGS = "audit_logs"
ENTITY_TABLES: dict[str, str] = {
    "interview": "interviews",
    "proposed_resume": "interviews",  # the 職務経歴書 of a proposal hangs on its interview (auth.relations)
    "meeting_recording": "meeting_recordings",  # a meeting recording's file (recordings.takes)
    "message": "messages",
    "position": "positions",
    "resume": "resumes",
    "todo": "todos",
    "user": "users",  # older rows and demo data (a candidate's CV)
    "video_call_recording": "video_calls",  # a call's recording (recordings.takes)
}
"""`attachments.entity_type` -> the table its `entity_id` is an id of."""
UNBOUND = 0
"""`entity_id` of a file uploaded before its entity exists (a message's, `messages.services`)."""
MAX_DEPTH = 6


def tables() -> dict[str, Table]:
    return dict(models.Base.metadata.tables)


def file_tables() -> list[Table]:
    return [table for table in models.Base.metadata.sorted_tables if FILE_COLUMN in table.c]


def entity_types_of(table_name: str) -> list[str]:
    return sorted(kind for kind, name in ENTITY_TABLES.items() if name == table_name)


@dataclass(frozen=True)
class Edge:
    """Deleting a row of `parent` deletes the rows of `child` whose `child_column` holds its
    `parent_column`."""

    child: Table
    child_column: Column[int]
    parent_column: Column[int]


@cache
def _children() -> dict[str, tuple[Edge, ...]]:
    """The cascading foreign keys into each table, children first (reverse `sorted_tables`)."""
    order = {t.name: i for i, t in enumerate(models.Base.metadata.sorted_tables)}
    found: dict[str, list[Edge]] = {}
    for child in models.Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if (fk.ondelete or "").upper() == "CASCADE":
                edge = Edge(child=child, child_column=fk.parent, parent_column=fk.column)
                found.setdefault(fk.column.table.name, []).append(edge)
    return {name: tuple(sorted(edges, key=lambda e: -order[e.child.name])) for name, edges in found.items()}


def children(table_name: str) -> tuple[Edge, ...]:
    return _children().get(table_name, ())


def attachments_of(table: Table, condition: ColumnElement[bool]) -> ColumnElement[bool] | None:
    """Condition on `attachments`: the files of the rows of `table` matching `condition`."""
    kinds = entity_types_of(table.name)
    if not kinds:
        return None
    attachments = tables()[ATTACHMENTS]
    owners = select(table.c.id).where(condition)
    found: ColumnElement[bool] = attachments.c.entity_type.in_(kinds) & attachments.c.entity_id.in_(owners)
    return found


async def _keys(db: AsyncSession, table: Table, condition: ColumnElement[bool]) -> set[str]:
    if FILE_COLUMN not in table.c:
        return set()
    return {key for key in await db.scalars(select(table.c[FILE_COLUMN]).where(condition)) if key}


async def delete_tree(
    db: AsyncSession, table: Table, condition: ColumnElement[bool], seen: frozenset[str] = frozenset()
) -> tuple[int, set[str]]:
    """Delete the rows of `table` matching `condition` with everything that goes with them;
    answer how many rows of `table` went and the object keys of every file row that went.

    What the database would cascade to is deleted first, explicitly, children before parents:
    MySQL checks foreign keys row by row while it cascades, so a company whose users created its
    todos could not go in one statement, while children first it can. A row outside the tree
    that still refers to one inside (through a foreign key without cascade) makes the delete
    fail with IntegrityError, and the caller keeps the row. Audit rows are never deleted with
    their company: they are detached from it (`company_id` NULL) and kept their 7 years.
    """
    seen = seen | {table.name}
    keys: set[str] = set()
    attached = attachments_of(table, condition)
    if attached is not None:
        attachments = tables()[ATTACHMENTS]
        keys |= await _keys(db, attachments, attached)
        await db.execute(delete(attachments).where(attached))
    for edge in children(table.name):
        if edge.child.name in seen or len(seen) > MAX_DEPTH:
            continue
        reached = edge.child_column.in_(select(edge.parent_column).where(condition))
        if edge.child.name == AUDIT_LOGS:
            await db.execute(update(edge.child).where(reached).values({edge.child_column.name: None}))
            continue
        keys |= (await delete_tree(db, edge.child, reached, seen))[1]
    keys |= await _keys(db, table, condition)
    result = await db.execute(delete(table).where(condition))
    return int(result.rowcount), keys  # type: ignore[attr-defined]
