"""Loading an archive into an empty, migrated database and an empty store.

The target must be at the archive's schema revision and hold no rows but those the migrations
insert themselves (`roles`), which the archive's rows replace; none of the archive's objects
may exist in the store yet. Objects are stored first, then every row is inserted in one
transaction with foreign keys checked at the end (MySQL: off while loading, as mysqldump does;
SQLite: deferred to the commit); if the rows fail, the objects just stored are removed again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import msgspec
from sqlalchemy import delete, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from server.backup import values
from server.backup.archive import Archive, ArchiveError, Manifest
from server.backup.dump import raw, revision_of, tables
from server.storage import Storage

MIGRATION_ROWS = {"roles"}
"""Tables whose rows a migration inserts: present in an empty database, replaced by the archive's."""
BATCH = 500


class RestoreRefused(RuntimeError):
    """The target is not empty, or not at the archive's schema revision."""


async def _check_target(conn: AsyncConnection, manifest: Manifest, storage: Storage) -> None:
    revision = await revision_of(conn)
    if revision != manifest.revision:
        raise RestoreRefused(
            f"the database is at revision {revision}, the archive at {manifest.revision}: migrate first"
        )
    for table in tables():
        if table.name in MIGRATION_ROWS:
            continue
        if (await conn.execute(select(literal(1)).select_from(raw(table, [])).limit(1))).first():
            raise RestoreRefused(f"restore needs an empty database: {table.name} has rows")
    for key in manifest.files:
        if await storage.exists(key):
            raise RestoreRefused(f"restore needs an empty store: {key} exists")


async def _put_files(archive: Archive, storage: Storage) -> list[str]:
    stored: list[str] = []
    staging = storage.staging_dir
    staging.mkdir(parents=True, exist_ok=True)
    for key, entry in archive.manifest.files.items():
        with tempfile.NamedTemporaryFile(dir=staging, delete=False) as out:
            source = archive.open(entry.member)
            while chunk := source.read(1 << 20):
                out.write(chunk)
        await storage.put(key, Path(out.name), entry.size)
        stored.append(key)
    return stored


async def _load_rows(conn: AsyncConnection, archive: Archive) -> None:
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    else:
        await conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
    for table in tables():
        entry = archive.manifest.tables.get(table.name)
        if entry is None:
            raise ArchiveError(f"the archive has no table {table.name}")
        try:
            plain = raw(table, entry.columns)
        except ValueError as exc:
            raise ArchiveError(str(exc)) from None
        if table.name in MIGRATION_ROWS:
            await conn.execute(delete(plain))
        batch: list[dict[str, object]] = []
        for line in archive.lines(entry.member):
            row = msgspec.json.decode(line)
            batch.append({n: values.decode(v) for n, v in zip(entry.columns, row, strict=True)})
            if len(batch) == BATCH:
                await conn.execute(insert(plain), batch)
                batch = []
        if batch:
            await conn.execute(insert(plain), batch)
    if conn.dialect.name != "sqlite":
        await conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")


async def restore(engine: AsyncEngine, storage: Storage, source: Path) -> Manifest:
    """Restore the archive at `source`; answer its manifest. Refuses before writing anything when
    the archive is damaged or the target is not empty."""
    archive = Archive(source)
    try:
        archive.verify()
        async with engine.connect() as conn:
            await _check_target(conn, archive.manifest, storage)
        stored = await _put_files(archive, storage)
        try:
            async with engine.begin() as conn:
                await _load_rows(conn, archive)
        except BaseException:
            for key in stored:
                await storage.delete(key)
            raise
        return archive.manifest
    finally:
        archive.close()
