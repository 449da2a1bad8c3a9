"""The migrations build the whole schema, take it down again, and agree with the models.

Each check runs on SQLite and on MariaDB/MySQL, every time in a scratch database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import models
from server import migrate
from tests.schema.scratch import mysql_database, sync_engine, table_names
from tests.schema.seed_definition import EXTRA_TABLES, TABLE_NAMES

ALL_TABLES = {*TABLE_NAMES, *EXTRA_TABLES}
ROLES = {"system_admin", "company_admin", "recruiter", "employer", "candidate"}
backends = pytest.mark.parametrize("backend", ["sqlite", "mysql"])


@contextmanager
def scratch_database(backend: str, directory: Path) -> Iterator[str]:
    """An empty database of the backend; yields its app URL."""
    if backend == "mysql":
        with mysql_database() as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'scratch.db'}"


@pytest.fixture(scope="module", params=["sqlite", "mysql"])
def head_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scratch database of each backend, migrated to head once for the module."""
    with scratch_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        migrate.upgrade("head", url)
        yield url


def _roles(url: str) -> dict[str, bool]:
    with sync_engine(url) as engine, engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, is_active FROM roles"))
        return {name: bool(is_active) for name, is_active in rows}


def _version(url: str) -> list[str]:
    with sync_engine(url) as engine, engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def test_upgrade_to_head_creates_the_31_tables_and_the_five_roles(head_url: str) -> None:
    assert len(ALL_TABLES) == 31
    assert table_names(head_url) == ALL_TABLES | {"alembic_version"}
    assert _roles(head_url) == dict.fromkeys(ROLES, True)
    assert _version(head_url) == ["0002"]


def test_models_and_migrated_schema_have_no_difference(head_url: str) -> None:
    with sync_engine(head_url) as engine, engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, models.Base.metadata) == []


@backends
def test_downgrade_to_base_removes_every_table_and_upgrade_rebuilds_them(
    backend: str, tmp_path: Path
) -> None:
    with scratch_database(backend, tmp_path) as url:
        migrate.upgrade("head", url)

        migrate.downgrade("base", url)
        assert table_names(url) <= {"alembic_version"}
        if table_names(url):
            assert _version(url) == []

        migrate.upgrade("head", url)
        assert table_names(url) == ALL_TABLES | {"alembic_version"}
        assert _roles(url) == dict.fromkeys(ROLES, True)
        assert _version(url) == ["0002"]
