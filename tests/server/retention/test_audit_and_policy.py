"""Audit logs are kept 7 years and then deleted; every attachment owner is known to the purge;
notifications expire 90 days after they were sent; the nightly job runs the whole purge."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import AuditLog, Notification, Todo
from server.context import AppContext
from server.domains import manifests
from server.domains.maintenance.manifest import PURGE, PURGE_CRON, purge_job
from server.domains.notifications.services import notify
from server.retention import policy
from server.retention.cascades import ENTITY_TABLES, tables
from server.retention.run import run_purge
from tests.factories import make_todo
from tests.server.retention.helpers import NOW, deleted, ids, world


async def _audit_row(ctx: AppContext, created_at: datetime, action: str) -> int:
    async with ctx.transaction() as db:
        row = AuditLog(action=action, entity_type="todos", entity_id=1, created_at=created_at)
        db.add(row)
        await db.flush()
        return row.id


async def test_audit_rows_older_than_seven_years_go_and_younger_ones_stay(ctx: AppContext) -> None:
    seven_years_ago = policy.audit_cutoff(NOW)
    assert seven_years_ago == datetime(2023, 4, 1, 12, 0, tzinfo=UTC)
    old = await _audit_row(ctx, seven_years_ago - timedelta(seconds=1), "todos.old")
    young = await _audit_row(ctx, seven_years_ago + timedelta(days=1), "todos.young")

    report = await run_purge(ctx, now=NOW)

    left = await ids(ctx, AuditLog)
    assert old not in left and young in left
    assert report["audit_logs"] == 1
    again = await run_purge(ctx, now=NOW)
    assert again["audit_logs"] == 0


async def test_audit_rows_are_deleted_in_batches(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("server.retention.batches.BATCH", 2)
    for n in range(5):
        await _audit_row(ctx, NOW - timedelta(days=8 * 365 + n), f"todos.old{n}")

    report = await run_purge(ctx, now=NOW)

    assert report["audit_logs"] == 5
    async with ctx.sessionmaker() as db:
        actions = list(await db.scalars(select(AuditLog.action)))
    assert actions == ["system.purge"]


def test_a_leap_day_is_seven_years_before_the_28th() -> None:
    assert policy.years_before(datetime(2032, 2, 29, tzinfo=UTC), 7) == datetime(2025, 2, 28, tzinfo=UTC)


def test_every_entity_type_a_domain_hangs_files_on_has_a_known_table() -> None:
    owned = {kind for domain in manifests.DOMAINS for kind in domain.file_owners}
    assert owned <= set(ENTITY_TABLES), sorted(owned - set(ENTITY_TABLES))
    assert set(ENTITY_TABLES.values()) <= set(tables())


async def test_a_row_is_either_restorable_or_due_for_the_purge(ctx: AppContext) -> None:
    w = await world(ctx)
    async with ctx.transaction() as db:
        rows = {days: await make_todo(db, w.recruiter, **deleted(days)) for days in (89, 90, 91)}
    async with ctx.sessionmaker() as db:
        restorable = set(await db.scalars(select(Todo.id).where(policy.restorable(Todo, NOW))))
    assert restorable == {rows[89].id}
    await run_purge(ctx, now=NOW)
    assert await ids(ctx, Todo) == {rows[89].id}


async def test_a_notification_expires_90_days_after_it_was_sent_and_is_then_purged(ctx: AppContext) -> None:
    w = await world(ctx)
    async with ctx.transaction() as db:
        out = await notify(
            db, user_id=w.recruiter.id, type="todo_assigned", title="新しいタスク", message="…"
        )
        given = await notify(
            db,
            user_id=w.recruiter.id,
            type="todo_assigned",
            title="ずっと",
            message="…",
            expires_at=datetime.now(UTC) + timedelta(days=400),
        )
    assert out.expires_at is not None
    assert abs(out.expires_at - (out.created_at + policy.NOTIFICATION_LIFETIME)) < timedelta(seconds=5)

    await run_purge(ctx, now=out.expires_at - timedelta(seconds=1))
    assert await ids(ctx, Notification) == {out.id, given.id}
    report = await run_purge(ctx, now=out.expires_at)
    assert await ids(ctx, Notification) == {given.id}
    assert report["notifications"] == 1


async def test_the_nightly_job_runs_the_whole_purge_and_logs_each_step(
    ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    w = await world(ctx)
    real_now = datetime.now(UTC)
    async with ctx.transaction() as db:
        gone = await make_todo(db, w.recruiter, is_deleted=True, deleted_at=real_now - timedelta(days=91))
        kept = await make_todo(db, w.recruiter, is_deleted=True, deleted_at=real_now - timedelta(days=89))
    maintenance = next(domain for domain in manifests.DOMAINS if domain.name == "maintenance")
    assert [job.name for job in maintenance.jobs] == [PURGE]
    assert [(p.job, p.cron) for p in maintenance.periodic] == [(PURGE, PURGE_CRON)]

    with caplog.at_level(logging.INFO, logger="server.domains.maintenance.manifest"):
        await purge_job(ctx)

    assert await ids(ctx, Todo) == {kept.id}
    assert gone.id not in await ids(ctx, Todo)
    messages = [record.getMessage() for record in caplog.records]
    assert "retention purge: soft_deleted.todos deleted 1, kept 0" in messages
    assert any(m.startswith("retention purge done: deleted 1, kept 0") for m in messages)
