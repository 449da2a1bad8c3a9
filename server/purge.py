"""`miraiworks purge`, and the daily `maintenance.purge` job: delete rows that are pure leftovers,
in one transaction.

- notifications past their `expires_at` (already hidden from their user),
- two-factor codes past their `expires_at` (unusable),
- refresh tokens of sessions whose newest token expired more than a grace period ago
  (see `server.domains.auth.leftovers` for why that is safe).

The deletes are bulk statements, which the flush-based audit trail does not see; when
anything was deleted, one `system.purge` audit note records the counts per table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server import audit
from server.context import AppContext
from server.domains.auth.leftovers import purge_dead_sessions, purge_expired_two_factor_codes
from server.domains.notifications.services import purge_expired
from server.settings import Settings

PURGE_AGENT = "miraiworks purge"
REFRESH_TOKEN_GRACE = timedelta(days=30)


async def purge(
    settings: Settings, *, now: datetime | None = None, refresh_token_grace: timedelta = REFRESH_TOKEN_GRACE
) -> dict[str, int]:
    """Delete the leftovers as of `now` (default: the current time); answer the count per table."""
    ctx = AppContext.create(settings)
    try:
        return await purge_leftovers(ctx, now=now, refresh_token_grace=refresh_token_grace)
    finally:
        await ctx.close()


async def purge_leftovers(
    ctx: AppContext, *, now: datetime | None = None, refresh_token_grace: timedelta = REFRESH_TOKEN_GRACE
) -> dict[str, int]:
    """The purge in a context that is already running (the command's, or a job worker's).

    Running it twice deletes nothing the second time, so the daily job may be retried freely."""
    now = now or datetime.now(UTC)
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=PURGE_AGENT))
        counts = {
            "notifications": await purge_expired(db, now),
            "two_factor_codes": await purge_expired_two_factor_codes(db, now),
            "refresh_tokens": await purge_dead_sessions(db, now - refresh_token_grace),
        }
        if any(counts.values()):
            audit.note(
                db,
                "system.purge",
                "database",
                None,
                {
                    "deleted": counts,
                    "as_of": now.isoformat(),
                    "refresh_token_grace_days": refresh_token_grace.days,
                },
            )
    return counts
