"""POST /api/messages/{id}/restore: only the sender deletes a message, so only the sender brings
it back, within 90 days of the deletion. Its recipient, a system_admin, a colleague, a live
message, one deleted longer ago and a missing id get 404, exactly like a missing id."""

from __future__ import annotations

import pytest

from models import Attachment, AuditLog, Message
from server.context import AppContext
from tests.factories import make_message
from tests.server.retention.restoring import assert_each_restores, days_ago, restore_audits, set_deleted
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, Tenants, assert_matrix

PATH = "/api/messages/{target}/restore"
NOT_FOUND = "Message {id} was not found."


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, object]:
    user = tenants.user
    times = {"gone": days_ago(10), "almost": days_ago(89), "long_gone": days_ago(91), "foreign": days_ago(1)}
    recruiter, candidate = user("recruiter"), user("candidate")
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_message(db, recruiter, candidate, "面接の日程について"),
            "almost": await make_message(db, recruiter, candidate, "書類を受け取りました"),
            "long_gone": await make_message(db, recruiter, candidate, "古い連絡"),
            "live": await make_message(db, recruiter, candidate, "よろしくお願いします"),
            "foreign": await make_message(db, user("other_user"), user("other_admin"), "社内連絡"),
        }
    for name, row in rows.items():
        callers.names[name] = row.id
        if name in times:
            await set_deleted(ctx, Message, row.id, times[name])
    return dict(times)


REFUSED = [
    Expect("anonymous", "gone", 401, "invalid_token"),
    Expect("candidate", "gone", 404, "not_found"),
    Expect("home_admin", "gone", 404, "not_found"),
    Expect("system_admin", "gone", 404, "not_found"),
    Expect("other_user", "gone", 404, "not_found"),
    Expect("other_admin", "foreign", 404, "not_found"),
    Expect("recruiter", "foreign", 404, "not_found"),
    Expect("recruiter", "long_gone", 404, "not_found"),
    Expect("recruiter", "live", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]
MATRIX: Matrix = [("POST", PATH, NO_BODY, REFUSED)]
ALLOWED = [("recruiter", "gone"), ("recruiter", "almost"), ("other_user", "foreign")]


async def test_refusals_answer_exactly_and_change_nothing(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (Message, Attachment, AuditLog), not_found=NOT_FOUND)


async def test_only_the_sender_restores_the_message(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_each_restores(callers, ctx, Message, PATH, ALLOWED, deleted_at)  # type: ignore[arg-type]


async def test_a_restored_message_is_read_again_by_both_parties_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    assert (await callers.call("candidate", "GET", "/api/messages/{gone}")).status_code == 404

    restored = await callers.call("recruiter", "POST", PATH.format(target="{gone}"))

    assert restored.status_code == 200, restored.text
    assert restored.json()["content"] == "面接の日程について"
    assert (await callers.call("candidate", "GET", "/api/messages/{gone}")).status_code == 200
    assert (await callers.call("recruiter", "POST", PATH.format(target="{gone}"))).status_code == 404
    gone = int(callers.path("{gone}"))
    assert await restore_audits(ctx, "messages", gone) == [callers.tenants.user("recruiter").id]
