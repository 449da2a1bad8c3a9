"""`miraiworks seed-demo`: an account of every role, idempotent, and something in every table."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import models
from models import User
from server.auth.passwords import Passwords
from server.demo import seed
from server.settings import Settings

ROLES = {"system_admin", "company_admin", "recruiter", "employer", "candidate"}


async def _row_counts(session: AsyncSession) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in models.Base.metadata.sorted_tables:
        counts[table.name] = await session.scalar(select(func.count()).select_from(table)) or 0
    await session.rollback()  # end the read transaction so the next one sees later commits
    return counts


async def _hash_of(session: AsyncSession, email: str) -> str | None:
    hashed = await session.scalar(select(User.hashed_password).where(User.email == email))
    await session.rollback()
    return hashed


async def test_seed_returns_an_account_of_every_role_that_logs_in_with_the_password(
    settings: Settings, session: AsyncSession
) -> None:
    accounts = await seed(settings, "demo-pass-1")

    assert {account.role for account in accounts} == ROLES
    assert len({account.email for account in accounts}) == len(accounts)
    passwords = Passwords(settings)
    for account in accounts:
        assert passwords.verify(await _hash_of(session, account.email), "demo-pass-1"), account.email


async def test_seeding_twice_duplicates_nothing(settings: Settings, session: AsyncSession) -> None:
    first = await seed(settings, "demo-pass-1")
    after_first = await _row_counts(session)

    second = await seed(settings, "demo-pass-1")
    after_second = await _row_counts(session)

    assert after_second == after_first
    assert second == first


async def test_seeding_leaves_no_table_empty(settings: Settings, session: AsyncSession) -> None:
    await seed(settings, "demo-pass-1")

    counts = await _row_counts(session)

    assert [name for name, count in counts.items() if count == 0] == []


async def test_reseeding_with_another_password_replaces_the_old_one(
    settings: Settings, session: AsyncSession
) -> None:
    await seed(settings, "old-password")
    after_first = await _row_counts(session)

    accounts = await seed(settings, "new-password")

    passwords = Passwords(settings)
    for account in accounts:
        hashed = await _hash_of(session, account.email)
        assert passwords.verify(hashed, "new-password"), account.email
        assert not passwords.verify(hashed, "old-password"), account.email
    # Only the audit trail may grow: a password change is worth recording.
    after_second = await _row_counts(session)
    after_first.pop("audit_logs")
    after_second.pop("audit_logs")
    assert after_second == after_first
