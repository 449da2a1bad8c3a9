"""An agency proposes its candidate to an employer's position, and the employer interviews them.

Rules: server/auth/relations.py (what the proposal lets each side see) and
server/domains/candidates/proposals.py (who proposes what).
"""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from models import Attachment, Interview, Notification, Position, Resume
from models.enums import PositionStatus
from server.context import AppContext
from tests.factories import make_position, make_resume
from tests.server.tenants import Callers, Tenants, assert_error, error_fields, snapshot

START = datetime(2031, 4, 7, 1, 0, tzinfo=UTC)


@pytest.fixture
async def offer(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, Any]:
    """The employer's published position, the candidate's active and private resumes, and more."""
    candidate = tenants.user("candidate")
    async with ctx.transaction() as db:
        position = await make_position(
            db, tenants.employer_co, tenants.user("employer_admin"), status=PositionStatus.PUBLISHED
        )
        draft_position = await make_position(db, tenants.employer_co, tenants.user("employer_admin"))
        agency_position = await make_position(
            db, tenants.other, tenants.user("other_admin"), status=PositionStatus.PUBLISHED
        )
        shared = await make_resume(db, candidate, status="active", visibility="company", title="職務経歴書")
        unshared = await make_resume(db, candidate, status="active", visibility="company", title="Resume")
        private = await make_resume(db, candidate, status="active", visibility="private")
        draft = await make_resume(db, candidate, status="draft", visibility="company")
    rows = {
        "position": position.id,
        "draft_position": draft_position.id,
        "agency_position": agency_position.id,
        "shared": shared.id,
        "unshared": unshared.id,
        "private": private.id,
        "draft": draft.id,
    }
    callers.names.update(rows)
    return rows


def proposal(offer: dict[str, Any], tenants: Tenants, **changes: Any) -> dict[str, Any]:
    body = {
        "candidate_id": tenants.user("candidate").id,
        "resume_id": offer["shared"],
        "message": "強く推薦します。",
    }
    return {**body, **changes}


async def status_of(callers: Callers, who: str, path: str) -> int:
    return (await callers.call(who, "GET", path)).status_code


async def employer_view(callers: Callers, tenants: Tenants, offer: dict[str, Any]) -> dict[str, int]:
    candidate = tenants.user("candidate").id
    return {
        "candidate": await status_of(callers, "employer_admin", f"/api/candidates/{candidate}"),
        "shared": await status_of(callers, "employer_admin", f"/api/resumes/{offer['shared']}"),
        "shared.pdf": await status_of(callers, "employer", f"/api/resumes/{offer['shared']}/rirekisho.pdf"),
        "unshared": await status_of(callers, "employer_admin", f"/api/resumes/{offer['unshared']}"),
    }


async def notified(ctx: AppContext, user_id: int, type: str) -> list[Notification]:
    async with ctx.sessionmaker() as db:
        return list(
            (
                await db.scalars(
                    select(Notification).where(Notification.user_id == user_id, Notification.type == type)
                )
            ).all()
        )


async def test_a_proposed_candidate_is_interviewed_by_the_employer(
    ctx: AppContext, callers: Callers, tenants: Tenants, offer: dict[str, Any]
) -> None:
    candidate = tenants.user("candidate")
    assert await employer_view(callers, tenants, offer) == {
        "candidate": 404,
        "shared": 404,
        "shared.pdf": 404,
        "unshared": 404,
    }

    hello = {"to": tenants.user("employer_admin").id, "content": "ご提案の件です。"}
    assert_error(
        await callers.call("recruiter", "POST", "/api/messages", json=hello), 404, "recipient_not_found"
    )

    response = await callers.call(
        "recruiter", "POST", "/api/positions/{position}/proposals", json=proposal(offer, tenants)
    )
    assert response.status_code == 201, response.text
    interview = response.json()
    assert (
        interview["status"],
        interview["company_id"],
        interview["candidate_id"],
        interview["position_id"],
    ) == (
        "pending_schedule",
        tenants.employer_co.id,
        candidate.id,
        offer["position"],
    )
    assert interview["recruiter_id"] is None
    iid = interview["id"]
    assert [n.action_url for n in await notified(ctx, candidate.id, "candidate_proposed")] == [
        f"/interviews/{iid}"
    ]
    assert len(await notified(ctx, tenants.user("employer_admin").id, "candidate_proposed")) == 1

    # While the interview is open the employer sees the candidate (no contact details) and that resume only.
    assert await employer_view(callers, tenants, offer) == {
        "candidate": 200,
        "shared": 200,
        "shared.pdf": 200,
        "unshared": 404,
    }
    seen = (await callers.call("employer_admin", "GET", f"/api/candidates/{candidate.id}")).json()
    assert (seen["email"], seen["phone"], seen["last_name"]) == (None, None, candidate.last_name)
    listed = (await callers.call("employer", "GET", f"/api/candidates/{candidate.id}/resumes")).json()
    assert [item["id"] for item in listed["items"]] == [offer["shared"]]
    assert (await callers.call("employer", "GET", "/api/candidates")).json()["total"] == 1
    assert_error(
        await callers.call("employer_admin", "PATCH", f"/api/resumes/{offer['shared']}", json={"title": "x"}),
        403,
        "forbidden",
    )

    sent = await callers.call("employer_admin", "GET", f"/api/interviews/{iid}/proposal")
    assert sent.status_code == 200, sent.text
    assert {k: sent.json()[k] for k in ("interview_id", "resume_id", "candidate_id", "proposed_by")} == {
        "interview_id": iid,
        "resume_id": offer["shared"],
        "candidate_id": candidate.id,
        "proposed_by": tenants.user("recruiter").id,
    }
    document = await callers.call("employer_admin", "GET", f"/api/interviews/{iid}/proposal/document")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    text = (
        await asyncio.to_thread(
            subprocess.run, ["pdftotext", "-", "-"], input=document.content, capture_output=True, check=True
        )
    ).stdout
    assert candidate.last_name in text.decode()

    # The agency follows the interview and talks with the employer; another agency sees nothing.
    assert (await callers.call("recruiter", "POST", "/api/messages", json=hello)).status_code == 201
    assert await status_of(callers, "recruiter", f"/api/interviews/{iid}") == 200
    assert await status_of(callers, "home_admin", f"/api/interviews/{iid}") == 200
    assert await status_of(callers, "candidate", f"/api/interviews/{iid}") == 200
    assert await status_of(callers, "other_admin", f"/api/interviews/{iid}") == 404
    assert await status_of(callers, "other_admin", f"/api/interviews/{iid}/proposal") == 404
    agency_list = (
        await callers.call("recruiter", "GET", f"/api/candidates/{candidate.id}/interviews")
    ).json()
    assert [item["id"] for item in agency_list["items"]] == [iid]
    assert_error(
        await callers.call(
            "recruiter",
            "POST",
            f"/api/interviews/{iid}/schedule",
            json={"scheduled_start": START.isoformat()},
        ),
        403,
        "forbidden",
    )

    # The employer schedules and runs it; the candidate is told.
    scheduled = await callers.call(
        "employer_admin",
        "POST",
        f"/api/interviews/{iid}/schedule",
        json={"scheduled_start": START.isoformat()},
    )
    assert scheduled.status_code == 200, scheduled.text
    assert (scheduled.json()["status"], scheduled.json()["recruiter_id"]) == (
        "scheduled",
        tenants.user("employer_admin").id,
    )
    assert len(await notified(ctx, candidate.id, "interview_scheduled")) == 1
    for status in ("confirmed", "in_progress"):
        moved = await callers.call(
            "employer_admin", "POST", f"/api/interviews/{iid}/status", json={"status": status}
        )
        assert moved.status_code == 200, moved.text
    assert (await employer_view(callers, tenants, offer))["shared"] == 200
    done = await callers.call(
        "employer_admin", "POST", f"/api/interviews/{iid}/status", json={"status": "completed"}
    )
    assert done.status_code == 200, done.text

    # Over: the resume is no longer shared; the candidate stays in the employer's directory.
    assert await employer_view(callers, tenants, offer) == {
        "candidate": 200,
        "shared": 404,
        "shared.pdf": 404,
        "unshared": 404,
    }
    assert await status_of(callers, "employer_admin", f"/api/interviews/{iid}/proposal/document") == 404
    assert await status_of(callers, "recruiter", f"/api/interviews/{iid}/proposal/document") == 200


async def test_what_cannot_be_proposed_changes_nothing(
    ctx: AppContext, callers: Callers, tenants: Tenants, offer: dict[str, Any]
) -> None:
    await callers.sign_in("recruiter", "employer_admin", "candidate", "other_user", "other_admin")
    before = await snapshot(ctx, Interview, Attachment, Notification, Resume, Position)
    path = "/api/positions/{position}/proposals"
    body = proposal(offer, tenants)
    for who, status, code in [
        ("employer_admin", 403, "forbidden"),
        ("employer", 403, "forbidden"),
        ("candidate", 403, "forbidden"),
        ("anonymous", 401, "invalid_token"),
    ]:
        assert_error(await callers.call(who, "POST", path, json=body), status, code)
    for position in ("draft_position", "agency_position", "missing"):
        assert_error(
            await callers.call("recruiter", "POST", f"/api/positions/{{{position}}}/proposals", json=body),
            404,
            "not_found",
        )
    for who, changes, field in [
        ("other_user", {}, "candidate_id"),  # another agency's candidate
        ("recruiter", {"candidate_id": tenants.user("recruiter").id}, "candidate_id"),
        ("recruiter", {"resume_id": offer["private"]}, "resume_id"),
        ("recruiter", {"resume_id": offer["draft"]}, "resume_id"),
        ("recruiter", {"resume_id": 2_000_000_000}, "resume_id"),
    ]:
        refused = await callers.call(who, "POST", path, json=proposal(offer, tenants, **changes))
        assert_error(refused, 422, "validation_error")
        assert error_fields(refused) == [field]
    assert await snapshot(ctx, Interview, Attachment, Notification, Resume, Position) == before


async def test_a_candidate_is_proposed_to_a_position_once_while_open(
    callers: Callers, tenants: Tenants, offer: dict[str, Any]
) -> None:
    path = "/api/positions/{position}/proposals"
    first = await callers.call("recruiter", "POST", path, json=proposal(offer, tenants))
    assert first.status_code == 201, first.text
    assert_error(
        await callers.call("home_admin", "POST", path, json=proposal(offer, tenants)), 409, "already_proposed"
    )
    cancel = await callers.call(
        "employer_admin", "POST", f"/api/interviews/{first.json()['id']}/status", json={"status": "cancelled"}
    )
    assert cancel.status_code == 200, cancel.text
    again = await callers.call(
        "recruiter", "POST", path, json=proposal(offer, tenants, resume_id=offer["unshared"])
    )
    assert again.status_code == 201, again.text
    assert (await callers.call("employer", "GET", f"/api/resumes/{offer['unshared']}")).status_code == 200
    assert (await callers.call("employer", "GET", f"/api/resumes/{offer['shared']}")).status_code == 404
