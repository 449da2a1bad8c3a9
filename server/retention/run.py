"""The purge, step by step: `miraiworks purge` and the nightly `maintenance.purge` job run this.

1. `notifications`: notifications past their `expires_at` (already hidden from their user);
2. `two_factor_codes`: two-factor codes past their `expires_at` (unusable);
3. `refresh_tokens`: the tokens of sign-in sessions that ended more than 30 days ago
   (`server.domains.auth.leftovers`);
4. `audit_logs`: audit rows older than 7 years;
5. `soft_deleted.<table>`: rows soft-deleted 90 days ago or earlier, children first, with their
   attachments (`soft_deleted`);
6. `orphaned.attachments`: attachments of entities the database deleted by a cascade (`orphans`);
7. `files`: objects whose last row went in steps 5 and 6 (`files`).

Every step commits in batches, so an interrupted purge keeps what it did and the next run goes
on; running it twice deletes nothing the second time. The deletes are bulk statements, which
the flush-based audit trail does not see: one `system.purge` audit note per run records what
was deleted and kept, when anything was.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from server import audit
from server.context import AppContext
from server.domains.auth.leftovers import purge_dead_sessions, purge_expired_two_factor_codes
from server.domains.notifications.services import purge_expired
from server.retention import policy
from server.retention.batches import delete_in_batches
from server.retention.cascades import tables
from server.retention.orphans import purge_orphaned_attachments
from server.retention.report import FILES, Progress, Report, Step, quiet
from server.retention.soft_deleted import purge_soft_deleted
from server.settings import Settings

PURGE_AGENT = "miraiworks purge"
REFRESH_TOKEN_GRACE = policy.SESSION_RETENTION


async def purge(
    settings: Settings,
    *,
    now: datetime | None = None,
    refresh_token_grace: timedelta = REFRESH_TOKEN_GRACE,
    progress: Progress = quiet,
) -> Report:
    """Purge as of `now` (default: the current time) in a context of its own."""
    ctx = AppContext.create(settings)
    try:
        return await run_purge(ctx, now=now, refresh_token_grace=refresh_token_grace, progress=progress)
    finally:
        await ctx.close()


async def run_purge(
    ctx: AppContext,
    *,
    now: datetime | None = None,
    refresh_token_grace: timedelta = REFRESH_TOKEN_GRACE,
    progress: Progress = quiet,
) -> Report:
    """The purge in a context that is already running (the command's, or a job worker's)."""
    now = now or policy.utcnow()
    report = Report()
    try:
        await _steps(ctx, now, refresh_token_grace, report, progress)
    except Exception as exc:  # what was done so far is committed: note it, then fail
        await _note(ctx, report, now, refresh_token_grace, interrupted=repr(exc))
        raise
    await _note(ctx, report, now, refresh_token_grace)
    return report


async def _steps(
    ctx: AppContext, now: datetime, grace: timedelta, report: Report, progress: Progress
) -> None:
    async with ctx.transaction() as db:
        report.add(Step("notifications", await purge_expired(db, now)), progress)
    async with ctx.transaction() as db:
        report.add(Step("two_factor_codes", await purge_expired_two_factor_codes(db, now)), progress)
    async with ctx.transaction() as db:
        report.add(Step("refresh_tokens", await purge_dead_sessions(db, now - grace)), progress)
    audit_logs = tables()["audit_logs"]
    old = audit_logs.c.created_at < policy.audit_cutoff(now)
    report.add(Step("audit_logs", await delete_in_batches(ctx, audit_logs, old)), progress)
    files_step = Step(FILES)
    await purge_soft_deleted(ctx, now, report, progress, files_step)
    report.add(await purge_orphaned_attachments(ctx, files_step), progress)
    report.add(files_step, progress)


async def _note(
    ctx: AppContext, report: Report, now: datetime, grace: timedelta, interrupted: str | None = None
) -> None:
    if not (report.total_deleted or report.total_kept or interrupted):
        return
    details: dict[str, object] = {
        "deleted": {name: count for name, count in report.deleted.items() if count},
        "kept": report.kept,
        "as_of": now.isoformat(),
        "refresh_token_grace_days": grace.days,
        "soft_delete_days": policy.SOFT_DELETE_RETENTION.days,
        "audit_log_years": policy.AUDIT_LOG_YEARS,
    }
    if interrupted is not None:
        details["interrupted"] = interrupted[:500]
    try:
        async with ctx.transaction() as db:
            audit.set_actor(db, audit.AuditActor(user_agent=PURGE_AGENT))
            audit.note(db, "system.purge", "database", None, details)
    except Exception:
        if interrupted is None:
            raise
