"""Collecting bytes nobody names: an object goes only when no row of any file table, deleted or
not, names its key (`companies/{company}/{sha256}` is shared by every row with those bytes).

The purge calls `collect` after the transaction that deleted the rows committed, so a rolled
back batch never loses bytes. An upload of the very same content between that check and the
object's removal would find the object gone (the window is milliseconds, once a night); the
upload stores the bytes again only when the object is missing (`FileKeeper.keep`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from server.context import AppContext
from server.retention.cascades import FILE_COLUMN, file_tables
from server.retention.policy import BATCH
from server.storage import MissingObject

log = logging.getLogger(__name__)


async def still_named(ctx: AppContext, keys: Iterable[str]) -> set[str]:
    """The keys among `keys` that a row of some file table still names."""
    wanted = sorted(set(keys))
    named: set[str] = set()
    async with ctx.sessionmaker() as db:
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            for table in file_tables():
                column = table.c[FILE_COLUMN]
                named.update(await db.scalars(select(column).where(column.in_(chunk)).distinct()))
    return named


async def collect(ctx: AppContext, keys: Iterable[str]) -> int:
    """Delete the objects of `keys` that no row names any more; answer how many existed and went."""
    candidates = set(keys)
    if not candidates:
        return 0
    removed = 0
    for key in sorted(candidates - await still_named(ctx, candidates)):
        try:
            if not await ctx.storage.exists(key):
                continue
            await ctx.storage.delete(key)
        except MissingObject:  # a key no object could have (written by hand): nothing to remove
            log.warning("not a storage key, left alone: %r", key)
            continue
        removed += 1
    return removed
