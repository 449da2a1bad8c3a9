"""Reading one consistent snapshot of every table, then the objects its rows name.

MySQL/MariaDB: `START TRANSACTION WITH CONSISTENT SNAPSHOT` under REPEATABLE READ, so writers go
on while every table is read as of one instant (InnoDB); on MariaDB the binlog position of that
very snapshot is recorded (`binlog_snapshot_file/position`), on MySQL the position read right
after it. SQLite: one read transaction. Objects are immutable once written (their key is their
sha256), so reading them after the snapshot gives exactly the bytes the rows name.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from sqlalchemy import Table, column, select, text
from sqlalchemy import table as table_clause
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.expression import TableClause

import models
from server.backup import values
from server.backup.archive import FileEntry, Manifest, TableEntry, sha256_of, write
from server.storage import MissingObject, Storage

FILE_COLUMN = "file_path"
"""Every table that stores bytes names their object key in a column of this name."""


def tables() -> Sequence[Table]:
    return models.Base.metadata.sorted_tables


def raw(table: Table, columns: Sequence[str] | None = None) -> TableClause:
    """The table without its column types: values pass to and from the driver untouched."""
    names = [c.name for c in table.columns] if columns is None else list(columns)
    unknown = set(names) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name} has no column {sorted(unknown)[0]!r}")
    return table_clause(table.name, *(column(name) for name in names))


async def _snapshot(conn: AsyncConnection) -> dict[str, str] | None:
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN")
        await conn.exec_driver_sql("SELECT count(*) FROM sqlite_master")  # WAL: the snapshot starts here
        return None
    await conn.exec_driver_sql("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    await conn.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT")
    try:
        rows = (await conn.execute(text("SHOW STATUS LIKE 'binlog_snapshot_%'"))).all()
        found = {str(name): str(value) for name, value in rows}
        if found.get("binlog_snapshot_file"):
            return found
        status = (await conn.exec_driver_sql("SHOW MASTER STATUS")).mappings().first()
        return {k: str(v) for k, v in status.items()} if status else None
    except DBAPIError:  # no binary log, or no privilege to see it
        return None


async def revision_of(conn: AsyncConnection) -> str | None:
    try:
        return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except DBAPIError:
        return None


async def _dump_table(conn: AsyncConnection, table: Table, target: Path, keys: set[str]) -> TableEntry:
    columns = [str(column.name) for column in table.columns]
    plain = raw(table)
    statement = select(*plain.columns).order_by(*(plain.c[c.name] for c in table.primary_key.columns))
    file_index = columns.index(FILE_COLUMN) if FILE_COLUMN in columns else None
    rows = 0
    with target.open("wb") as out:
        result = await conn.stream(statement)
        async for row in result:
            out.write(msgspec.json.encode([values.encode(v) for v in row]) + b"\n")
            rows += 1
            if file_index is not None and row[file_index]:
                keys.add(str(row[file_index]))
    return TableEntry(
        member=f"tables/{table.name}.jsonl", columns=columns, rows=rows, sha256=sha256_of(target)
    )


async def _dump_files(storage: Storage, keys: set[str], staging: Path, manifest: Manifest) -> None:
    for key in sorted(keys):
        member = f"files/{key}"
        target = staging / member
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            stored = await storage.open(key)
        except MissingObject:
            manifest.missing_files.append(key)
            continue
        with target.open("wb") as out:
            async for chunk in stored.chunks:
                out.write(chunk)
        manifest.files[key] = FileEntry(member=member, size=target.stat().st_size, sha256=sha256_of(target))


async def backup(engine: AsyncEngine, storage: Storage, destination: Path) -> Manifest:
    """Write the archive of the database and its objects to `destination`; answer its manifest."""
    with tempfile.TemporaryDirectory(prefix="miraiworks-backup-") as scratch:
        staging = Path(scratch)
        (staging / "tables").mkdir()
        keys: set[str] = set()
        async with engine.connect() as conn:
            binlog = await _snapshot(conn)
            manifest = Manifest(
                created_at=datetime.now(UTC).isoformat(),
                dialect=conn.dialect.name,
                revision=await revision_of(conn),
                binlog=binlog,
            )
            for table in tables():
                manifest.tables[table.name] = await _dump_table(
                    conn, table, staging / "tables" / f"{table.name}.jsonl", keys
                )
            await conn.rollback()
        await _dump_files(storage, keys, staging, manifest)
        write(destination, staging, manifest)
    return manifest
