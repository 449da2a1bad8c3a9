"""`actions` in every answer about an interview: the moves its caller may make now, and they
tell the truth: each offered move succeeds through its route, and each one not offered is refused.

The interview's managers get `schedule` while it is pending, scheduled or confirmed, and every
status move the machine allows; its candidate gets `confirm` of a scheduled interview, nothing else.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.enums import InterviewStatus
from server.context import AppContext
from tests.server.interviews.conftest import at
from tests.server.interviews.test_transitions import arrange
from tests.server.tenants import Callers, Tenants

S = InterviewStatus
ACTIONS = ["schedule", "confirm", "start", "complete", "cancel"]
TARGET = {"confirm": "confirmed", "start": "in_progress", "complete": "completed", "cancel": "cancelled"}
OFFERED = {
    ("recruiter", S.PENDING_SCHEDULE): ["schedule", "cancel"],
    ("recruiter", S.SCHEDULED): ["schedule", "confirm", "cancel"],
    ("recruiter", S.CONFIRMED): ["schedule", "start", "cancel"],
    ("recruiter", S.IN_PROGRESS): ["complete", "cancel"],
    ("candidate", S.SCHEDULED): ["confirm"],
}


def move(interview_id: int, action: str, n: int) -> tuple[str, str, dict[str, Any]]:
    path = f"/api/interviews/{interview_id}"
    if action == "schedule":
        return "POST", f"{path}/schedule", {"scheduled_start": at(f"2032-{n % 12 + 1:02d}-03 10:00")}
    return "POST", f"{path}/status", {"status": TARGET[action]}


@pytest.mark.parametrize("status", list(S), ids=[s.value for s in S])
async def test_the_offered_moves_are_exactly_the_ones_that_succeed(
    callers: Callers, ctx: AppContext, tenants: Tenants, status: InterviewStatus
) -> None:
    got, wanted = [], []
    for who in ("recruiter", "candidate"):
        offered = OFFERED.get((who, status), [])
        for n, action in enumerate(ACTIONS):
            interview_id = await arrange(ctx, tenants, status, n + (10 if who == "candidate" else 0))
            one = await callers.call(who, "GET", f"/api/interviews/{interview_id}")
            listed = await callers.call(who, "GET", "/api/interviews", params={"limit": 100})
            [in_list] = [i for i in listed.json()["items"] if i["id"] == interview_id]
            assert one.json()["actions"] == in_list["actions"] == offered, (who, status)
            method, path, body = move(interview_id, action, n)
            response = await callers.call(who, method, path, json=body)
            got.append((who, action, response.status_code == 200))
            wanted.append((who, action, action in offered))
            if response.status_code == 200:
                assert (
                    response.json()["actions"]
                    == (await callers.call(who, "GET", f"/api/interviews/{interview_id}")).json()["actions"]
                )
    assert got == wanted


async def test_another_tenant_sees_no_interview_and_so_no_moves(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    interview_id = await arrange(ctx, tenants, S.SCHEDULED, 0)
    response = await callers.call("other_admin", "GET", f"/api/interviews/{interview_id}")
    assert response.status_code == 404
