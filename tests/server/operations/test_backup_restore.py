"""`miraiworks backup` and `miraiworks restore`: every table and object comes back exactly.

On MariaDB the restore goes into a database of its own, created and migrated here; on the
embedded default into a new SQLite file; the store is a new directory each time.
"""

from __future__ import annotations

import asyncio
import io
import tarfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import User
from server import migrate
from server.backup.archive import ArchiveError
from server.backup.dump import backup, raw, tables
from server.backup.restore import RestoreRefused, restore
from server.cli import main
from server.context import AppContext
from server.db import create_engine
from server.demo import seed
from server.domains.files.services import FileKeeper
from server.settings import Settings
from server.storage import Storage
from server.storage.local import LocalStorage
from tests.factories import make_attachment

PDF = b"%PDF-1.4\n" + "履歴書".encode() * 400 + b"\n%%EOF\n"


async def _drop_mysql(url: str) -> None:
    import pymysql

    parts = urlsplit(url)
    connection = pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root")
    try:
        with connection.cursor() as cursor:
            name = parts.path.strip("/")
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        connection.close()


@pytest.fixture
async def empty_database(database_url: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated database with no rows but the migrations' own, beside the test's."""
    if database_url.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}"
    else:
        parts = urlsplit(database_url)
        url = urlunsplit(parts._replace(path=parts.path + "_restored"))
        await asyncio.to_thread(asyncio.run, _drop_mysql(url))
    await asyncio.to_thread(migrate.upgrade, "head", url)
    engine = create_engine(url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def filled(ctx: AppContext, settings: Settings) -> str:
    """The demo data, plus a stored PDF that two rows share; answers the object's key."""
    await seed(settings, "miraiworks-demo")
    async with ctx.transaction() as db:
        owner = await db.scalar(select(User).where(User.company_id.is_not(None)).limit(1))
        assert owner is not None and owner.company_id is not None
        stored = await FileKeeper(db, None, ctx.storage, settings).keep_generated(  # type: ignore[arg-type]
            PDF, "履歴書.pdf", "application/pdf", owner.company_id
        )
        for _ in range(2):
            await make_attachment(
                db, owner, file_path=stored.file_path, file_size=len(PDF), file_hash=stored.file_hash
            )
    return stored.file_path


async def contents(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    state = {}
    async with engine.connect() as conn:
        for table in tables():
            plain = raw(table)
            order = [plain.c[c.name] for c in table.primary_key.columns]
            state[table.name] = [
                tuple(row) for row in await conn.execute(select(*plain.columns).order_by(*order))
            ]
    return state


async def object_bytes(storage: Storage, key: str) -> bytes:
    stored = await storage.open(key)
    return b"".join([chunk async for chunk in stored.chunks])


async def test_a_backup_restores_every_row_and_object_into_an_empty_database(
    ctx: AppContext, filled: str, empty_database: AsyncEngine, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    manifest = await backup(ctx.engine, ctx.storage, archive)
    assert manifest.tables["users"].rows >= 5 and manifest.tables["attachments"].rows >= 2
    assert filled in manifest.files and filled not in manifest.missing_files
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"

    store = LocalStorage(tmp_path / "restored-files")
    restored = await restore(empty_database, store, archive)
    assert restored.revision == manifest.revision
    assert await contents(empty_database) == await contents(ctx.engine)
    assert await object_bytes(store, filled) == PDF


async def test_a_restore_refuses_a_database_or_store_that_is_not_empty(
    ctx: AppContext, filled: str, empty_database: AsyncEngine, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    await backup(ctx.engine, ctx.storage, archive)
    with pytest.raises(RestoreRefused, match="empty database: companies has rows"):
        await restore(ctx.engine, LocalStorage(tmp_path / "other-files"), archive)
    with pytest.raises(RestoreRefused, match="empty store"):
        await restore(empty_database, ctx.storage, archive)
    assert all(not rows for name, rows in (await contents(empty_database)).items() if name != "roles")


async def test_an_altered_archive_is_refused_before_anything_is_written(
    ctx: AppContext, filled: str, empty_database: AsyncEngine, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    await backup(ctx.engine, ctx.storage, archive)
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            payload = data.read() if data else b""
            if member.name == "tables/users.jsonl":
                payload = payload.replace(b"@", b"#", 1)
            member.size = len(payload)
            target.addfile(member, io.BytesIO(payload))
    store = LocalStorage(tmp_path / "restored-files")
    with pytest.raises(ArchiveError, match=r"tables/users\.jsonl does not match its checksum"):
        await restore(empty_database, store, altered)
    assert not await store.exists(filled)
    assert (await contents(empty_database))["users"] == []


def test_the_commands_write_and_restore_an_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`miraiworks backup --output` then `miraiworks restore` on the embedded default."""
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    for path in (source, target):
        migrate.upgrade("head", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    runner = CliRunner()
    archive = tmp_path / "nightly.tar.gz"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{source}")
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "files-a"))
    monkeypatch.setenv("PASSWORD_TIME_COST", "1")
    monkeypatch.setenv("PASSWORD_MEMORY_KIB", "8")
    assert runner.invoke(main, ["seed-demo"]).exit_code == 0
    done = runner.invoke(main, ["backup", "--output", str(archive)])
    assert done.exit_code == 0, done.output
    assert f"{archive}: " in done.output and "files" in done.output
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "files-b"))
    back = runner.invoke(main, ["restore", str(archive)])
    assert back.exit_code == 0, back.output
    again = runner.invoke(main, ["restore", str(archive)])
    assert again.exit_code == 1 and "restore needs an empty database" in again.output
