"""Scratch databases of the schema tests' own: a new MariaDB/MySQL database or an SQLite file.

The migration helpers (`server.migrate`) take the app's URLs (`mysql://`, `sqlite://`); the
inspection helpers here use synchronous drivers (PyMySQL, pysqlite) on the same database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.backends import mysql_server_url

# Not the definition's collation, so a table only gets utf8mb4_unicode_ci by asking for it.
SCRATCH_COLLATION = "utf8mb4_general_ci"


def sync_url(database_url: str) -> str:
    """The synchronous SQLAlchemy URL of an app database URL."""
    scheme, rest = database_url.split("://", 1)
    if scheme.startswith(("mysql", "mariadb")):
        return f"mysql+pymysql://{rest}?charset=utf8mb4"
    return f"sqlite://{rest}"


@contextmanager
def sync_engine(database_url: str) -> Iterator[Engine]:
    engine = sa.create_engine(sync_url(database_url))
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def mysql_database() -> Iterator[str]:
    """A new empty database `mw_schema_<random>` on the MySQL/MariaDB server, dropped afterwards.

    Yields its `mysql://` URL. Skips (or fails under CI=true) when no server is reachable.
    """
    netloc = urlsplit(mysql_server_url()).netloc
    name = f"mw_schema_{secrets.token_hex(4)}"
    with sync_engine(f"mysql://{netloc}/") as server:
        with server.begin() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE {SCRATCH_COLLATION}")
        try:
            yield f"mysql://{netloc}/{name}"
        finally:
            with server.begin() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")


def table_names(database_url: str) -> set[str]:
    with sync_engine(database_url) as engine:
        return set(sa.inspect(engine).get_table_names())
