"""Alembic environment: async, reads DATABASE_URL through the app's settings."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import DefaultClause
from sqlalchemy.engine import Connection

import models
from models.types import JSONText, StrEnumType, UTCDateTime, utc_now, utc_now_on_update
from server.db import create_engine
from server.settings import Settings, async_database_url

target_metadata = models.Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render the app's column types as the plain types they store, so revisions never import enums."""
    if type_ == "type":
        if isinstance(obj, StrEnumType):
            return f"sa.String(length={obj.length})"
        if isinstance(obj, JSONText):
            autogen_context.imports.add("from models.types import LongText")
            return "LongText" if obj.long else "sa.Text()"
        if isinstance(obj, UTCDateTime):
            autogen_context.imports.add("from models.types import UTCDateTime")
            return "UTCDateTime()"
    if type_ == "server_default" and isinstance(obj, DefaultClause):
        for construct in (utc_now, utc_now_on_update):
            if isinstance(obj.arg, construct):
                autogen_context.imports.add(f"from models.types import {construct.__name__}")
                return f"{construct.__name__}()"
    return False


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
        render_item=render_item,
        literal_binds=url is not None,
    )


def _database_url() -> str:
    """An explicit URL (tests, tools) wins over DATABASE_URL."""
    return context.config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    _configure(url=_database_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(async_database_url(_database_url()), pool_size=1)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run_sync)
            await conn.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
