"""Ending login sessions. A session is a refresh-token family (the access token's `sid`); an
access token works only while its family has a live refresh token (`principal.session_is_live`).

Ending a session deactivates its refresh tokens, so its access tokens stop at once and stay
dead whatever later happens to the account: a suspended or deleted user who is let back in
signs in again, and the tokens issued before never work again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import RefreshToken
from server.auth.principals import user_scope


def _of_family(family: str) -> ColumnElement[bool]:
    return RefreshToken.token.startswith(f"{family}.", autoescape=True)


async def end_sessions(
    db: AsyncSession, user_id: int, *, family: str | None = None, except_family: str | None = None
) -> int:
    """End one session of the user (`family`), or every one but `except_family`, or all of them;
    returns how many refresh tokens were deactivated."""
    statement = update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.is_active.is_(True))
    if family is not None:
        statement = statement.where(_of_family(family))
    if except_family is not None:
        statement = statement.where(~_of_family(except_family))
    result = await db.execute(
        statement.values(is_active=False, updated_at=datetime.now(UTC)),
        execution_options={"principals": user_scope(user_id)},
    )
    ended: int = result.rowcount  # type: ignore[attr-defined]
    return ended
