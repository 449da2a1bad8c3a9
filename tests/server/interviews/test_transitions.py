"""The status machine: every pair of states, through the route that makes the move.

pending_schedule -> scheduled (POST .../schedule) -> confirmed -> in_progress -> completed
(POST .../status), cancelled from every open state; anything else is 409 `illegal_transition`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from models.enums import InterviewStatus
from server.context import AppContext
from tests.factories import make_interview
from tests.server.interviews.conftest import END, START, at
from tests.server.tenants import Callers, Tenants

S = InterviewStatus
LEGAL = {
    (S.PENDING_SCHEDULE, S.SCHEDULED),
    (S.SCHEDULED, S.CONFIRMED),
    (S.CONFIRMED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.PENDING_SCHEDULE, S.CANCELLED),
    (S.SCHEDULED, S.CANCELLED),
    (S.CONFIRMED, S.CANCELLED),
    (S.IN_PROGRESS, S.CANCELLED),
}
PAIRS = [(start, target) for start in S for target in S]


async def arrange(ctx: AppContext, tenants: Tenants, status: InterviewStatus, n: int) -> int:
    """An interview of the home agency in `status`, each on its own day so none overlap."""
    shift = timedelta(days=n)
    scheduled = status is not S.PENDING_SCHEDULE
    async with ctx.transaction() as db:
        interview = await make_interview(
            db,
            tenants.home,
            tenants.user("recruiter"),
            candidate=tenants.user("candidate"),
            recruiter=tenants.user("recruiter"),
            status=status,
            scheduled_start=START + shift if scheduled else None,
            scheduled_end=END + shift if scheduled else None,
        )
    return interview.id


def expected(start: InterviewStatus, target: InterviewStatus) -> tuple[int, str]:
    if (start, target) in LEGAL:
        return 200, target.value
    return 409, "illegal_transition"


@pytest.mark.parametrize("start", list(S), ids=[s.value for s in S])
async def test_each_move_from_a_state_is_made_or_refused(
    callers: Callers, ctx: AppContext, tenants: Tenants, start: InterviewStatus
) -> None:
    """All six targets from one state (one parametrized case per starting state keeps the 36
    pairs in six quick tests); every refusal leaves the interview as it was."""
    got, wanted = [], []
    for n, target in enumerate(S):
        interview_id = await arrange(ctx, tenants, start, n)
        path = f"/api/interviews/{interview_id}"
        if target is S.SCHEDULED:
            body: dict[str, Any] = {"scheduled_start": at(f"2031-0{n + 1}-01 10:00")}
            response = await callers.call("recruiter", "POST", f"{path}/schedule", json=body)
        else:
            response = await callers.call("recruiter", "POST", f"{path}/status", json={"status": target})
        answer = response.json()
        got.append(
            (start.value, target.value, response.status_code, answer.get("code", answer.get("status")))
        )
        code, outcome = expected(start, target)
        if target is S.SCHEDULED and start in (S.SCHEDULED, S.CONFIRMED):
            code, outcome = 200, start.value  # a move: the schedule changes, the status stays
        wanted.append((start.value, target.value, code, outcome))
        after = await callers.call("recruiter", "GET", path)
        if code == 409:
            assert after.json()["status"] == start.value
    assert got == wanted


async def test_the_status_route_does_not_schedule(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    interview_id = await arrange(ctx, tenants, S.PENDING_SCHEDULE, 0)
    response = await callers.call(
        "recruiter", "POST", f"/api/interviews/{interview_id}/status", json={"status": "scheduled"}
    )
    assert (response.status_code, response.json()["code"]) == (409, "schedule_required")


async def test_the_candidate_confirms_and_does_nothing_else(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    interview_id = await arrange(ctx, tenants, S.SCHEDULED, 0)
    path = f"/api/interviews/{interview_id}/status"
    refused = await callers.call("candidate", "POST", path, json={"status": "in_progress"})
    assert refused.status_code == 403
    confirmed = await callers.call("candidate", "POST", path, json={"status": "confirmed"})
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")
    again = await callers.call("candidate", "POST", path, json={"status": "confirmed"})
    assert (again.status_code, again.json()["code"]) == (409, "illegal_transition")


async def test_starting_and_completing_record_when(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    interview_id = await arrange(ctx, tenants, S.CONFIRMED, 0)
    path = f"/api/interviews/{interview_id}/status"
    started = (await callers.call("recruiter", "POST", path, json={"status": "in_progress"})).json()
    assert started["actual_start"] is not None and started["actual_end"] is None
    done = (await callers.call("home_admin", "POST", path, json={"status": "completed"})).json()
    assert done["actual_start"] == started["actual_start"]
    assert done["actual_end"] >= done["actual_start"]
