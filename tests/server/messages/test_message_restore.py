"""POST /api/messages/{id}/restore: only the sender deletes a message, so only the sender brings
it back, within 90 days of the deletion. Its recipient, a system_admin, a colleague, a live
message, one deleted longer ago and a missing id get 404, exactly like a missing id."""

from __future__ import annotations

import pytest

from models import Attachment, AuditLog, Message
from server.context import AppContext
from tests.factories import make_message
from tests.server.retention.restoring import (
    ANONYMOUS,
    DeletedAt,
    RestoreRoute,
    name_and_delete,
    not_found,
    window_refusals,
)
from tests.server.tenants import Callers, Tenants


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> DeletedAt:
    user = tenants.user
    recruiter, candidate = user("recruiter"), user("candidate")
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_message(db, recruiter, candidate, "面接の日程について"),
            "almost": await make_message(db, recruiter, candidate, "書類を受け取りました"),
            "long_gone": await make_message(db, recruiter, candidate, "古い連絡"),
            "live": await make_message(db, recruiter, candidate, "よろしくお願いします"),
            "foreign": await make_message(db, user("other_user"), user("other_admin"), "社内連絡"),
        }
    return await name_and_delete(ctx, callers, Message, rows)


RESTORE = RestoreRoute(
    model=Message,
    path="/api/messages/{target}/restore",
    not_found="Message {id} was not found.",
    refused=[
        ANONYMOUS,
        *not_found("gone", "candidate", "home_admin", "system_admin", "other_user"),
        *not_found("foreign", "other_admin", "recruiter"),
        *window_refusals("recruiter"),
    ],
    allowed=[("recruiter", "gone"), ("recruiter", "almost"), ("other_user", "foreign")],
    unchanged=(Message, Attachment, AuditLog),
)

test_refusals_answer_exactly_and_change_nothing = RESTORE.refusals_test()
test_only_the_sender_restores_the_message = RESTORE.restores_test()


async def test_a_restored_message_is_read_again_by_both_parties_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: DeletedAt
) -> None:
    assert (await callers.call("candidate", "GET", "/api/messages/{gone}")).status_code == 404

    restored = await RESTORE.restore(callers, "recruiter", "gone")

    assert restored["content"] == "面接の日程について"
    assert (await callers.call("candidate", "GET", "/api/messages/{gone}")).status_code == 200
    await RESTORE.assert_restored_once(callers, ctx, "recruiter", "gone")
