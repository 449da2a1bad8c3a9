"""`miraiworks purge`: one line per step as it goes (deleted, kept), then the totals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from models import Message, Notification, Todo
from server.cli import main
from server.context import AppContext
from server.settings import Settings
from tests.factories import make_message, make_todo
from tests.server.retention.helpers import ids, world


def test_the_purge_command_has_help() -> None:
    result = CliRunner().invoke(main, ["purge", "--help"])

    assert result.exit_code == 0, result.output
    assert "--refresh-token-grace-days" in result.output
    assert "expired notifications" in result.output
    assert "soft-deleted 90 days ago" in " ".join(result.output.split())


def test_the_purge_command_refuses_a_negative_grace_period() -> None:
    result = CliRunner().invoke(main, ["purge", "--refresh-token-grace-days", "-1"])

    assert result.exit_code == 2
    assert "-1" in result.output


def _env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "VAR_DIR": str(tmp_path / "cli-var"),
        "STORAGE_DIR": str(settings.storage_dir),
        "REDIS_URL": settings.redis_url or "",
    }


async def test_the_purge_command_shows_each_step_and_the_totals(
    ctx: AppContext, settings: Settings, tmp_path: Path
) -> None:
    w = await world(ctx)
    now = datetime.now(UTC)
    async with ctx.transaction() as db:
        await make_todo(db, w.recruiter, is_deleted=True, deleted_at=now - timedelta(days=91))
        recent = await make_todo(db, w.recruiter, is_deleted=True, deleted_at=now - timedelta(days=89))
        parent = await make_message(
            db, w.admin, w.recruiter, "question", is_deleted=True, deleted_at=now - timedelta(days=100)
        )
        await make_message(db, w.recruiter, w.admin, "answer", parent_message_id=parent.id)
    env = _env(settings, tmp_path)

    # The command runs its own event loop, so it runs in a thread of its own here.
    result = await asyncio.to_thread(CliRunner().invoke, main, ["purge"], env=env)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("purging ")
    steps = {line.split()[0]: line.split()[1:] for line in lines[1:-1]}
    assert steps["notifications"] == ["deleted", "0", "kept", "0"]
    assert steps["soft_deleted.todos"] == ["deleted", "1", "kept", "0"]
    assert steps["soft_deleted.messages"] == ["deleted", "0", "kept", "1"]
    assert list(steps)[:4] == ["notifications", "two_factor_codes", "refresh_tokens", "audit_logs"]
    assert list(steps)[-2:] == ["orphaned.attachments", "files"]
    assert lines[-1] == "total: deleted 1 rows and 0 file objects, kept 1 rows"
    assert await ids(ctx, Todo) == {recent.id}
    assert parent.id in await ids(ctx, Message)

    again = await asyncio.to_thread(CliRunner().invoke, main, ["purge"], env=env)

    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "total: deleted 0 rows and 0 file objects, kept 1 rows"
    assert await ids(ctx, Notification) == set()
