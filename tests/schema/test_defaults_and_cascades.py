"""The database itself fills in defaults, applies the ON DELETE rules and refuses duplicates.

Runs on the backend the `database_url` fixture gives (SQLite, or MariaDB/MySQL with
DATABASE_URL). Rows go in through SQLAlchemy Core with only their required columns (see
tests/schema/rows.py), so every default read back was put there by the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import MagicMock

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

import models
from server.context import AppContext
from server.errors import ErrorBody, handle_exception
from tests.backends import DATABASE_URL
from tests.schema.rows import ROLE_PREFIX, WORLD_ROWS, World, insert, table_of
from tests.schema.seed_definition import EXTRA_TABLES, TABLE_NAMES, Column, definition

ALL_TABLES = (*TABLE_NAMES, *EXTRA_TABLES)
NOW = object()
"""Marks a column whose default is the current time."""
EXTRA_DEFAULTS: dict[str, dict[str, Any]] = {
    "meeting_recordings": {"status": "pending"},
    "meeting_transcripts": {"language": "ja", "status": "pending"},
    "meeting_summaries": {"status": "pending"},
    "interview_notes": {"visibility": "private"},
}
"""The defaults of the tables the definition does not define, besides soft deletion and timestamps."""
ON_MYSQL = (DATABASE_URL or "").startswith(("mysql", "mariadb"))
UNIQUE_KEYS = [
    ("users", ("email",)),
    ("roles", ("name",)),
    ("meetings", ("room_id",)),
    ("todo_attachments", ("stored_filename",)),
    ("attachments", ("stored_filename",)),
    ("resumes", ("public_slug",)),
    ("exam_sessions", ("session_token",)),
    ("mbti_test_sessions", ("session_token",)),
    ("refresh_tokens", ("token",)),
    ("video_calls", ("room_code",)),
    ("user_roles", ("user_id", "role_id")),
    ("meeting_participants", ("meeting_id", "user_id")),
    ("todo_viewers", ("todo_id", "user_id")),
    ("calendar_connections", ("user_id", "provider", "external_account_id")),
    ("calendar_integrations", ("connection_id", "external_event_id")),
    ("user_settings", ("user_id", "setting_key")),
]


def _python_default(column: Column) -> Any:
    default = column.default
    if default is None or default == "NOW()":
        return NOW if default else None
    if default in {"TRUE", "FALSE"}:
        return default == "TRUE"
    return default.strip("'") if default.startswith("'") else int(default)


def _expected_defaults(name: str) -> dict[str, Any]:
    if name in definition():
        return {c.name: _python_default(c) for c in definition()[name].columns.values()}
    table = models.Base.metadata.tables[name]
    timestamps = {c: NOW for c in ("created_at", "updated_at") if c in table.c}
    return dict.fromkeys(table.c.keys()) | {"is_deleted": False} | timestamps | EXTRA_DEFAULTS[name]


def _required_columns(table: sa.Table) -> set[str]:
    return {c.name for c in table.c if not c.nullable and c.server_default is None and not c.primary_key}


async def _counts(conn: AsyncConnection, world: World) -> dict[str, int]:
    """Rows per table; of roles only the world's own (the built-in ones and, on MySQL, other tests' stay)."""
    counts = {}
    for name in ALL_TABLES:
        table = table_of(name)
        query = sa.select(sa.func.count()).select_from(table)
        if name == "roles":
            query = query.where(table.c.id == world.ids["roles"])
        counts[name] = (await conn.execute(query)).scalar_one()
    return counts


def _unchanged_but(**changed: int) -> dict[str, int]:
    """The world's row counts (one per table, two users) with some changed."""
    return dict.fromkeys(ALL_TABLES, 1) | {"users": 2} | changed


async def _row(conn: AsyncConnection, name: str, row_id: int) -> dict[str, Any]:
    table = table_of(name)
    return dict((await conn.execute(sa.select(table).where(table.c.id == row_id))).mappings().one())


@pytest.fixture
async def conn(ctx: AppContext) -> AsyncIterator[AsyncConnection]:
    """A connection of the app's engine (SQLite gets PRAGMA foreign_keys=ON there), autocommitting."""
    async with ctx.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield autocommit
        roles = table_of("roles")
        await autocommit.execute(sa.delete(roles).where(roles.c.name.startswith(f"{ROLE_PREFIX}-")))


@pytest.fixture
async def world(conn: AsyncConnection) -> World:
    return await World.build(conn)


@pytest.mark.parametrize("name", ALL_TABLES)
def test_factory_gives_the_required_columns_plus_only_parent_ids(name: str) -> None:
    table = table_of(name)
    given = set(WORLD_ROWS[name](dict.fromkeys([*ALL_TABLES, "owner"], 1)))
    parents = {c.name for c in table.c if c.foreign_keys}
    assert _required_columns(table) - given == set()
    assert given - _required_columns(table) <= parents


@pytest.mark.parametrize("name", ALL_TABLES)
async def test_minimal_row_reads_back_with_the_database_defaults(conn: AsyncConnection, name: str) -> None:
    before = datetime.now(UTC)
    world = await World.build(conn)
    after = datetime.now(UTC)
    row = await _row(conn, name, world.ids[name])

    expected = _expected_defaults(name) | world.values[name] | {"id": world.ids[name]}
    stamped = sorted(column for column, value in expected.items() if value is NOW)
    assert {c: v for c, v in row.items() if c not in stamped} == {
        c: v for c, v in expected.items() if c not in stamped
    }
    # SQLite's CURRENT_TIMESTAMP has whole seconds; a second each side covers that.
    window = (before - timedelta(seconds=1), after + timedelta(seconds=1))
    assert {c: row[c].tzinfo for c in stamped} == dict.fromkeys(stamped, UTC)
    assert [c for c in stamped if not window[0] <= row[c] <= window[1]] == []


@pytest.mark.xfail(
    ON_MYSQL,
    raises=IntegrityError,
    strict=True,
    reason="InnoDB checks video_calls.host_id (no ON DELETE rule) when the company's CASCADE reaches "
    "users, before it reaches video_calls: error 1451 on fk_video_calls_host_id_users",
)
async def test_deleting_a_company_removes_everything_it_owns(conn: AsyncConnection, world: World) -> None:
    await conn.execute(
        sa.delete(table_of("companies")).where(table_of("companies").c.id == world.ids["companies"])
    )
    assert await _counts(conn, world) == dict.fromkeys(ALL_TABLES, 0) | {"roles": 1}


async def test_deleting_a_position_keeps_its_interviews_without_it(
    conn: AsyncConnection, world: World
) -> None:
    await conn.execute(sa.delete(table_of("positions")))
    assert await _counts(conn, world) == _unchanged_but(positions=0)
    assert (await _row(conn, "interviews", world.ids["interviews"]))["position_id"] is None


async def test_deleting_an_interview_keeps_its_meetings_without_it(
    conn: AsyncConnection, world: World
) -> None:
    await conn.execute(sa.delete(table_of("interviews")))
    assert await _counts(conn, world) == _unchanged_but(interviews=0, interview_notes=0)
    assert (await _row(conn, "meetings", world.ids["meetings"]))["interview_id"] is None


async def test_deleting_a_todo_removes_its_viewers_attachments_and_extension_requests(
    conn: AsyncConnection, world: World
) -> None:
    await conn.execute(sa.delete(table_of("todos")))
    assert await _counts(conn, world) == _unchanged_but(
        todos=0, todo_viewers=0, todo_attachments=0, todo_extension_requests=0
    )


async def test_deleting_a_user_applies_each_defined_rule_of_its_references(
    conn: AsyncConnection, world: World
) -> None:
    references = [
        (table.name, column, fk.on_delete)
        for table in definition().values()
        for column, fk in table.foreign_keys.items()
        if fk.table == "users" and fk.on_delete
    ]
    member = world.ids["users"]
    assert {(t, c) for t, c, _ in references if world.values[t].get(c) != member} == set()

    await conn.execute(sa.delete(table_of("users")).where(table_of("users").c.id == member))

    cascaded = {t: 0 for t, _, rule in references if rule == "CASCADE"}
    # Beyond the direct references: a connection's events, and the member's interview notes.
    gone = cascaded | {"calendar_integrations": 0, "interview_notes": 0}
    assert await _counts(conn, world) == _unchanged_but(users=1, **gone)
    set_null = {
        (t, c): (await _row(conn, t, world.ids[t]))[c] for t, c, rule in references if rule == "SET NULL"
    }
    assert set_null == {
        ("interviews", "candidate_id"): None,
        ("interviews", "recruiter_id"): None,
        ("todos", "assigned_user_id"): None,
        ("video_call_participants", "user_id"): None,
        ("audit_logs", "user_id"): None,
    }


@pytest.mark.parametrize(("name", "key"), UNIQUE_KEYS, ids=[name for name, _ in UNIQUE_KEYS])
async def test_duplicate_unique_key_is_refused_and_maps_to_409(
    conn: AsyncConnection, world: World, name: str, key: tuple[str, ...]
) -> None:
    assert key in definition()[name].uniques
    table = table_of(name)
    first = world.values[name]
    if name == "resumes":  # public_slug is NULL in a minimal row, and NULLs never collide
        first = {"public_slug": "aki-sato"}
        await conn.execute(sa.update(table).where(table.c.id == world.ids[name]).values(first))
    duplicate = world.another(name) | {column: first[column] for column in key}

    with pytest.raises(IntegrityError) as refused:
        await insert(conn, table, duplicate)

    same_key = sa.select(table.c.id, *(table.c[c] for c in key)).where(*(table.c[c] == first[c] for c in key))
    assert (await conn.execute(same_key)).all() == [(world.ids[name], *(first[c] for c in key))]
    assert await _counts(conn, world) == _unchanged_but()
    response = handle_exception(MagicMock(), refused.value)
    assert response.status_code == 409
    assert response.content == ErrorBody(409, "conflict", "This conflicts with an existing record.")
