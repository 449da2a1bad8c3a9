"""A unit of work commits what it wrote and ends a read-only transaction without a commit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select, update

from models import Company
from models.enums import CompanyType
from server.context import AppContext
from tests.factories import make_company


class Endings:
    """Commits and rollbacks the engine's connections are asked for."""

    def __init__(self, ctx: AppContext) -> None:
        self.seen: list[str] = []
        self._engine = ctx.engine.sync_engine
        event.listen(self._engine, "commit", self._commit)
        event.listen(self._engine, "rollback", self._rollback)

    def _commit(self, _conn: Any) -> None:
        self.seen.append("commit")

    def _rollback(self, _conn: Any) -> None:
        self.seen.append("rollback")

    def close(self) -> None:
        event.remove(self._engine, "commit", self._commit)
        event.remove(self._engine, "rollback", self._rollback)


@pytest.fixture
def endings(ctx: AppContext) -> Any:
    found = Endings(ctx)
    yield found
    found.close()


async def test_a_unit_that_only_reads_ends_with_a_rollback_and_no_commit(
    ctx: AppContext, endings: Endings
) -> None:
    async with ctx.transaction() as db:
        assert await db.scalar(select(Company.id).limit(1)) is None
    assert endings.seen == ["rollback"]


async def test_a_unit_that_adds_a_row_commits_it(ctx: AppContext, endings: Endings) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db, CompanyType.EMPLOYER)
    assert endings.seen == ["commit"]
    async with ctx.sessionmaker() as db:
        assert await db.get(Company, company.id) is not None


async def test_a_unit_that_only_runs_an_update_statement_commits_it(
    ctx: AppContext, endings: Endings
) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db, CompanyType.EMPLOYER)
    async with ctx.transaction() as db:
        await db.execute(update(Company).where(Company.id == company.id).values(name="Renamed K.K."))
    assert endings.seen == ["commit", "commit"]
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(Company.name).where(Company.id == company.id)) == "Renamed K.K."


async def test_an_object_changed_but_not_flushed_is_still_committed(
    ctx: AppContext, endings: Endings
) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db, CompanyType.EMPLOYER)
    async with ctx.transaction() as db:
        found = await db.get_one(Company, company.id)
        found.name = "Changed K.K."
    assert endings.seen == ["commit", "commit"]
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(Company.name).where(Company.id == company.id)) == "Changed K.K."
