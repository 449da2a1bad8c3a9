"""Sign-in rows that protect nothing any more, deleted by `miraiworks purge`.

- A two-factor code past its `expires_at` can never be used: verification refuses it with
  `code_expired`, exactly as it refuses a code that no longer exists, and the challenge token
  naming it expires at the same moment.
- A refresh token is deleted only with its whole session (token family), once the session
  ended more than a grace period (the definition's 30 days of session data) ago: its newest
  token expired then, or every token of it was deactivated then and none changed since (a
  logout, a password change, a detected reuse: the session was revoked). Such a family can
  never be refreshed again (refresh refuses an expired or revoked token before issuing the
  next one), so no access token or session depends on it. Tokens of a live family are all
  kept, even long-expired rotated ones, because replaying one of them is what reuse
  detection catches to revoke the family. After the grace period, replaying a token of a
  purged family answers `invalid_token` instead of `token_reused`; both are 401, and the
  family was already dead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import RefreshToken, TwoFactorCode
from server.auth.principals import UNCHANGED

BATCH = 500


def _family(stored_token: str) -> str:
    return stored_token.partition(".")[0]


async def purge_expired_two_factor_codes(db: AsyncSession, now: datetime) -> int:
    """Delete the two-factor codes that expired at or before `now`; answer how many."""
    result = await db.execute(
        delete(TwoFactorCode)
        .where(TwoFactorCode.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def purge_dead_sessions(db: AsyncSession, expired_before: datetime) -> int:
    """Delete the refresh tokens of every family that ended before `expired_before`: its newest
    token expired before it, or all its tokens were inactive and unchanged since before it."""
    live = {
        _family(token)
        for token in await db.scalars(
            select(RefreshToken.token).where(
                RefreshToken.expires_at >= expired_before,
                or_(RefreshToken.is_active.is_(True), RefreshToken.updated_at >= expired_before),
            )
        )
    }
    ended = or_(
        RefreshToken.expires_at < expired_before,
        and_(RefreshToken.is_active.is_(False), RefreshToken.updated_at < expired_before),
    )
    old = await db.execute(select(RefreshToken.id, RefreshToken.token).where(ended))
    dead = [token_id for token_id, token in old if _family(token) not in live]
    deleted = 0
    for start in range(0, len(dead), BATCH):
        result = await db.execute(
            delete(RefreshToken)
            .where(RefreshToken.id.in_(dead[start : start + BATCH]), ended)
            # Ended and expired tokens only: no live session's principal changes.
            .execution_options(synchronize_session=False, principals=UNCHANGED)
        )
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted
