"""The purge's first steps: expired notifications, expired 2FA codes and the refresh tokens of
sessions that ended more than 30 days ago (expired or revoked)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Notification, RefreshToken, TwoFactorCode, User
from models.enums import TwoFactorMethod
from server.context import AppContext
from server.retention.run import purge
from server.settings import Settings
from tests.server.notifications.helpers import add, two_users

NOW = datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
STEPS = ("notifications", "two_factor_codes", "refresh_tokens")


def _token(family: str) -> str:
    return f"{family}.{secrets.token_hex(32)}"


async def _sign_in_leftovers(ctx: AppContext, user: User) -> dict[str, list[int]]:
    """2FA codes and refresh tokens on both sides of the purge lines, by what should happen to them."""
    dead, live, recent = secrets.token_hex(12), secrets.token_hex(12), secrets.token_hex(12)
    revoked, revoked_recently = secrets.token_hex(12), secrets.token_hex(12)
    async with ctx.transaction() as db:
        codes = {
            "expired": TwoFactorCode(
                user_id=user.id,
                code="111111",
                method=TwoFactorMethod.EMAIL,
                expires_at=NOW - timedelta(minutes=1),
            ),
            "expiring now": TwoFactorCode(
                user_id=user.id, code="222222", method=TwoFactorMethod.EMAIL, expires_at=NOW
            ),
            "valid": TwoFactorCode(
                user_id=user.id,
                code="333333",
                method=TwoFactorMethod.EMAIL,
                expires_at=NOW + timedelta(minutes=5),
            ),
        }
        tokens = {
            # A session whose newest token expired 31 days ago: gone.
            "dead old": RefreshToken(
                user_id=user.id, token=_token(dead), expires_at=NOW - 60 * DAY, is_active=False
            ),
            "dead newest": RefreshToken(user_id=user.id, token=_token(dead), expires_at=NOW - 31 * DAY),
            # A live session keeps even its long-expired rotated tokens, for reuse detection.
            "live rotated": RefreshToken(
                user_id=user.id, token=_token(live), expires_at=NOW - 90 * DAY, is_active=False
            ),
            "live newest": RefreshToken(user_id=user.id, token=_token(live), expires_at=NOW + 10 * DAY),
            # A session that died 29 days ago is still within the grace period.
            "recently dead": RefreshToken(user_id=user.id, token=_token(recent), expires_at=NOW - 29 * DAY),
            # A session revoked (logout) 31 days ago ended then, though its token would still be valid.
            "revoked long ago": RefreshToken(
                user_id=user.id,
                token=_token(revoked),
                expires_at=NOW + 5 * DAY,
                is_active=False,
                updated_at=NOW - 31 * DAY,
            ),
            # One revoked 29 days ago is kept a day longer.
            "revoked recently": RefreshToken(
                user_id=user.id,
                token=_token(revoked_recently),
                expires_at=NOW + 5 * DAY,
                is_active=False,
                updated_at=NOW - 29 * DAY,
            ),
        }
        db.add_all([*codes.values(), *tokens.values()])
        await db.flush()
    return {
        "codes purged": [codes["expired"].id, codes["expiring now"].id],
        "codes kept": [codes["valid"].id],
        "tokens purged": [tokens["dead old"].id, tokens["dead newest"].id, tokens["revoked long ago"].id],
        "tokens kept": [
            tokens["live rotated"].id,
            tokens["live newest"].id,
            tokens["recently dead"].id,
            tokens["revoked recently"].id,
        ],
    }


async def _ids(session: AsyncSession, model: type[Notification | TwoFactorCode | RefreshToken]) -> list[int]:
    return sorted(await session.scalars(select(model.id)))


async def test_purge_deletes_exactly_the_expired_notifications(
    ctx: AppContext, settings: Settings, session: AsyncSession
) -> None:
    owner, other = await two_users(ctx)
    expired = await add(ctx, owner, "expired", expires_at=NOW - timedelta(seconds=1))
    expiring_now = await add(ctx, other, "expiring now", expires_at=NOW)
    later = await add(ctx, owner, "later", expires_at=NOW + timedelta(seconds=1))
    much_later = await add(ctx, other, "much later", expires_at=NOW + 365 * DAY)

    counts = await purge(settings, now=NOW)

    assert counts["notifications"] == 2
    assert await _ids(session, Notification) == sorted([later.id, much_later.id])
    assert expired.id not in await _ids(session, Notification)
    assert expiring_now.id not in await _ids(session, Notification)


async def test_purge_deletes_expired_codes_and_dead_sessions_only(
    ctx: AppContext, settings: Settings, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    rows = await _sign_in_leftovers(ctx, owner)

    counts = await purge(settings, now=NOW)

    assert [counts[step] for step in STEPS] == [0, 2, 3]
    assert await _ids(session, TwoFactorCode) == sorted(rows["codes kept"])
    assert await _ids(session, RefreshToken) == sorted(rows["tokens kept"])


async def test_a_shorter_grace_period_also_deletes_recently_dead_sessions(
    ctx: AppContext, settings: Settings, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    rows = await _sign_in_leftovers(ctx, owner)

    counts = await purge(settings, now=NOW, refresh_token_grace=timedelta(days=7))

    assert counts["refresh_tokens"] == 5
    assert await _ids(session, RefreshToken) == sorted(rows["tokens kept"][:2])


async def test_purge_writes_one_audit_note_with_the_counts(
    ctx: AppContext, settings: Settings, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    await add(ctx, owner, "expired", expires_at=NOW - DAY)
    await _sign_in_leftovers(ctx, owner)

    await purge(settings, now=NOW)

    notes = list(await session.scalars(select(AuditLog).where(AuditLog.action == "system.purge")))
    assert len(notes) == 1
    assert notes[0].entity_type == "database"
    assert notes[0].user_agent == "miraiworks purge"
    assert notes[0].metadata_ == {
        "deleted": {"notifications": 1, "two_factor_codes": 2, "refresh_tokens": 3},
        "kept": {},
        "as_of": NOW.isoformat(),
        "refresh_token_grace_days": 30,
        "soft_delete_days": 90,
        "audit_log_years": 7,
    }


async def test_purging_nothing_changes_nothing_and_writes_no_audit_note(
    ctx: AppContext, settings: Settings, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    kept = await add(ctx, owner, "much later", expires_at=NOW + 365 * DAY)

    counts = await purge(settings, now=NOW)

    assert (counts.total_deleted, counts.total_kept) == (0, 0)
    assert await _ids(session, Notification) == [kept.id]
    assert await session.scalar(select(AuditLog).where(AuditLog.action == "system.purge")) is None
