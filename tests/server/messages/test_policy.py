"""Who may message whom (server/domains/messages/policy.py), checked through `POST /api/messages`.

Every refusal answers exactly like a missing user (404 `recipient_not_found`, the same words)
and stores nothing; every allowed pair stores exactly one message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.enums import CompanyType, MeetingRole
from server.auth.passwords import Passwords
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import (
    make_company,
    make_interview,
    make_meeting,
    make_meeting_participant,
    make_message,
    make_position,
    make_user,
)
from tests.server.messages.helpers import send, stored
from tests.server.tenants import MISSING_ID, Callers, Tenants, assert_error

Extra = dict[str, User]
Arrange = Callable[[AsyncSession, Tenants, Passwords], Awaitable[Extra]]


def deleted() -> dict[str, Any]:
    return {"is_deleted": True, "deleted_at": datetime.now(UTC)}


# --- arrangements -----------------------------------------------------------------------------


async def nothing(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    return {}


async def _agency_interview_for_employer_position(db: AsyncSession, t: Tenants, **fields: Any) -> None:
    position = await make_position(db, t.employer_co, t.user("employer_admin"))
    await make_interview(db, t.home, t.user("recruiter"), position=position, **fields)


async def tie_by_interview_and_position(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The agency holds an interview for the employer's position."""
    await _agency_interview_for_employer_position(db, t)
    return {}


async def tie_by_interview_and_recruiter(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The employer holds an interview (no position) with the agency's recruiter."""
    await make_interview(db, t.employer_co, t.user("employer_admin"), recruiter=t.user("recruiter"))
    return {}


async def tie_by_position_and_recruiter(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """A third company's interview, for the employer's position, with the agency's recruiter."""
    third = await make_company(db, CompanyType.EMPLOYER, name="Third Employer")
    owner = await make_user(db, passwords, third, RoleName.COMPANY_ADMIN)
    position = await make_position(db, t.employer_co, t.user("employer_admin"))
    await make_interview(db, third, owner, position=position, recruiter=t.user("recruiter"))
    return {}


async def deleted_tie(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    await _agency_interview_for_employer_position(db, t, **deleted())
    return {}


async def tie_with_another_employer(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The home agency is tied to some other employer, not to `employer_co`."""
    another = await make_company(db, CompanyType.EMPLOYER, name="Another Employer")
    owner = await make_user(db, passwords, another, RoleName.COMPANY_ADMIN)
    position = await make_position(db, another, owner)
    await make_interview(db, t.home, t.user("recruiter"), position=position)
    return {}


async def interview_between_two_agencies(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    await make_interview(db, t.home, t.user("home_admin"), recruiter=t.user("other_user"))
    return {}


async def candidate_interview(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The candidate's interview with their own agency's recruiter (no meeting)."""
    await make_interview(
        db, t.home, t.user("recruiter"), candidate=t.user("candidate"), recruiter=t.user("recruiter")
    )
    return {}


async def candidate_interview_with_other_agency(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The candidate's interview held by another agency, with that agency's recruiter."""
    await make_interview(
        db, t.other, t.user("other_admin"), candidate=t.user("candidate"), recruiter=t.user("other_user")
    )
    return {}


async def _candidate_meeting(db: AsyncSession, t: Tenants, candidate: User, **fields: Any) -> None:
    """An interview of `candidate` for the employer's position with a meeting: the employer's
    admin hosts, the employer interviews, the home admin observes."""
    position = await make_position(db, t.employer_co, t.user("employer_admin"))
    interview = await make_interview(
        db,
        t.home,
        t.user("recruiter"),
        candidate=candidate,
        recruiter=t.user("recruiter"),
        position=position,
        **fields,
    )
    meeting = await make_meeting(db, t.home, t.user("recruiter"), interview)
    await make_meeting_participant(db, meeting, t.user("employer_admin"), MeetingRole.HOST)
    await make_meeting_participant(db, meeting, t.user("employer"), MeetingRole.INTERVIEWER)
    await make_meeting_participant(db, meeting, t.user("home_admin"), MeetingRole.OBSERVER)
    await make_meeting_participant(db, meeting, candidate, MeetingRole.CANDIDATE)


async def candidate_meeting(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    await _candidate_meeting(db, t, t.user("candidate"))
    return {}


async def deleted_candidate_meeting(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    await _candidate_meeting(db, t, t.user("candidate"), **deleted())
    return {}


async def another_candidates_meeting(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    fellow = await make_user(db, passwords, t.home, RoleName.CANDIDATE, first_name="fellow_candidate")
    await _candidate_meeting(db, t, fellow)
    return {"fellow_candidate": fellow}


async def team_meeting_without_interview(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The candidate and the employer share a meeting that belongs to no interview."""
    meeting = await make_meeting(db, t.home, t.user("recruiter"))
    await make_meeting_participant(db, meeting, t.user("employer"), MeetingRole.HOST)
    await make_meeting_participant(db, meeting, t.user("candidate"), MeetingRole.CANDIDATE)
    return {}


async def second_system_admin(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    return {"second_admin": await make_user(db, passwords, None, RoleName.SYSTEM_ADMIN)}


async def system_admin_wrote_first(db: AsyncSession, t: Tenants, passwords: Passwords) -> Extra:
    """The system_admin wrote to the recruiter and to the candidate (no one else)."""
    await make_message(db, t.user("system_admin"), t.user("recruiter"), "アカウントの確認をお願いします。")
    await make_message(db, t.user("system_admin"), t.user("candidate"), "ご登録ありがとうございます。")
    return {}


# --- cases ----------------------------------------------------------------------------------

TIES = [tie_by_interview_and_position, tie_by_interview_and_recruiter, tie_by_position_and_recruiter]

ALLOWED = [
    pytest.param("recruiter", "home_admin", nothing, id="same agency"),
    pytest.param("employer", "employer_admin", nothing, id="same employer"),
    *(
        pytest.param(sender, recipient, tie, id=f"{sender}->{recipient} tied by {tie.__name__[7:]}")
        for tie in TIES
        for sender, recipient in [("recruiter", "employer"), ("employer", "home_admin")]
    ),
    pytest.param("candidate", "recruiter", candidate_interview, id="candidate->recruiter of their interview"),
    pytest.param("recruiter", "candidate", candidate_interview, id="recruiter of their interview->candidate"),
    pytest.param(
        "candidate",
        "other_user",
        candidate_interview_with_other_agency,
        id="candidate->other agency's recruiter",
    ),
    pytest.param(
        "other_user",
        "candidate",
        candidate_interview_with_other_agency,
        id="other agency's recruiter->candidate",
    ),
    pytest.param("candidate", "employer_admin", candidate_meeting, id="candidate->host of their meeting"),
    pytest.param("candidate", "employer", candidate_meeting, id="candidate->interviewer of their meeting"),
    pytest.param("employer_admin", "candidate", candidate_meeting, id="host of their meeting->candidate"),
    pytest.param("employer", "candidate", candidate_meeting, id="interviewer of their meeting->candidate"),
    *(
        pytest.param("system_admin", who, nothing, id=f"system_admin->{who}")
        for who in ["home_admin", "recruiter", "candidate", "employer", "other_user"]
    ),
    pytest.param("recruiter", "system_admin", system_admin_wrote_first, id="recruiter answers system_admin"),
    pytest.param("candidate", "system_admin", system_admin_wrote_first, id="candidate answers system_admin"),
]

REFUSED = [
    *(
        pytest.param(sender, recipient, arrange, id=f"{sender}->{recipient} {arrange.__name__}")
        for arrange in [nothing, deleted_tie]
        for sender, recipient in [("recruiter", "employer"), ("employer", "home_admin")]
    ),
    pytest.param("recruiter", "employer", tie_with_another_employer, id="agency tied to another employer"),
    pytest.param(
        "other_user", "employer", tie_by_interview_and_position, id="another agency's user->tied employer"
    ),
    pytest.param(
        "recruiter", "other_admin", interview_between_two_agencies, id="two agencies are never tied"
    ),
    pytest.param(
        "employer", "candidate", tie_by_interview_and_position, id="company tie does not open candidates"
    ),
    pytest.param("candidate", "recruiter", nothing, id="candidate->own agency's recruiter without interview"),
    pytest.param("candidate", "home_admin", nothing, id="candidate->own agency's admin without interview"),
    pytest.param("recruiter", "candidate", nothing, id="recruiter->own agency's candidate without interview"),
    pytest.param(
        "home_admin", "candidate", candidate_interview, id="colleague of their recruiter->candidate"
    ),
    pytest.param(
        "candidate", "home_admin", candidate_interview, id="candidate->colleague of their recruiter"
    ),
    pytest.param(
        "candidate",
        "other_admin",
        candidate_interview_with_other_agency,
        id="candidate->admin of recruiter's agency",
    ),
    pytest.param("candidate", "home_admin", candidate_meeting, id="candidate->observer of their meeting"),
    pytest.param("home_admin", "candidate", candidate_meeting, id="observer of their meeting->candidate"),
    pytest.param(
        "candidate", "recruiter", deleted_candidate_meeting, id="candidate->recruiter of deleted interview"
    ),
    pytest.param(
        "candidate", "employer_admin", deleted_candidate_meeting, id="candidate->host of deleted interview"
    ),
    pytest.param(
        "candidate", "employer_admin", another_candidates_meeting, id="candidate->host of another's meeting"
    ),
    pytest.param(
        "candidate", "recruiter", another_candidates_meeting, id="candidate->recruiter of another's interview"
    ),
    pytest.param(
        "candidate", "fellow_candidate", another_candidates_meeting, id="candidate->another candidate"
    ),
    pytest.param(
        "employer", "candidate", team_meeting_without_interview, id="meeting without interview does not tie"
    ),
    pytest.param(
        "candidate", "employer", team_meeting_without_interview, id="candidate->meeting host, no interview"
    ),
    pytest.param("system_admin", "second_admin", second_system_admin, id="system_admin->user of no company"),
    *(
        pytest.param(who, "system_admin", nothing, id=f"{who}->system_admin who never wrote")
        for who in ["home_admin", "recruiter", "candidate", "employer"]
    ),
    pytest.param(
        "employer", "system_admin", system_admin_wrote_first, id="system_admin wrote to others only"
    ),
    *(
        pytest.param(who, who, nothing, id=f"{who}->themselves")
        for who in ["recruiter", "candidate", "home_admin", "system_admin"]
    ),
]


async def _arrange(ctx: AppContext, tenants: Tenants, arrange: Arrange) -> Extra:
    async with ctx.transaction() as db:
        return await arrange(db, tenants, ctx.passwords)


def _id_of(tenants: Tenants, extra: Extra, who: str) -> int:
    return extra[who].id if who in extra else tenants.user(who).id


@pytest.mark.parametrize(("sender", "recipient", "arrange"), ALLOWED)
async def test_an_allowed_pair_stores_the_message(
    callers: Callers, tenants: Tenants, ctx: AppContext, sender: str, recipient: str, arrange: Arrange
) -> None:
    extra = await _arrange(ctx, tenants, arrange)
    before = len(await stored(ctx))
    to = _id_of(tenants, extra, recipient)

    r = await send(callers, sender, to, "面接の日程についてご相談です。")

    assert r.status_code == 201, r.text
    rows = await stored(ctx)
    assert len(rows) == before + 1
    assert (rows[-1].id, rows[-1].sender_id, rows[-1].recipient_id) == (
        r.json()["id"],
        tenants.user(sender).id,
        to,
    )


@pytest.mark.parametrize(("sender", "recipient", "arrange"), REFUSED)
async def test_a_refused_pair_answers_like_a_missing_user_and_stores_nothing(
    callers: Callers, tenants: Tenants, ctx: AppContext, sender: str, recipient: str, arrange: Arrange
) -> None:
    extra = await _arrange(ctx, tenants, arrange)
    await callers.sign_in(sender)
    before = await stored(ctx)
    to = _id_of(tenants, extra, recipient)

    r = await send(callers, sender, to, "面接の日程についてご相談です。")

    body = assert_error(r, 404, "recipient_not_found")
    assert body["detail"] == f"User {to} was not found or cannot be messaged."
    assert [m.id for m in await stored(ctx)] == [m.id for m in before]


@pytest.mark.parametrize("sender", ["recruiter", "candidate", "system_admin"])
async def test_a_missing_recipient_is_not_found(callers: Callers, ctx: AppContext, sender: str) -> None:
    r = await send(callers, sender, MISSING_ID)

    body = assert_error(r, 404, "recipient_not_found")
    assert body["detail"] == f"User {MISSING_ID} was not found or cannot be messaged."
    assert await stored(ctx) == []


USER_STATES: dict[str, dict[str, Any]] = {
    "suspended": {"is_suspended": True, "suspended_at": datetime.now(UTC)},
    "inactive": {"is_active": False},
    "deleted": deleted(),
}
COMPANY_STATES: dict[str, dict[str, Any]] = {
    "deactivated company": {"is_active": "0"},
    "deleted company": deleted(),
}
STATES = [
    *((sender, state) for state in USER_STATES for sender in ["home_admin", "system_admin"]),
    *(("system_admin", state) for state in COMPANY_STATES),
]


async def _recipient_in_state(ctx: AppContext, tenants: Tenants, sender: str, state: str | None) -> User:
    """A colleague of `sender` (for the system_admin, a user of a fresh employer) in `state`:
    suspended, inactive or deleted, or with a deactivated or deleted company (None: usable)."""
    async with ctx.transaction() as db:
        if state in COMPANY_STATES:
            company = await make_company(db, CompanyType.EMPLOYER, **COMPANY_STATES[state])
            return await make_user(db, ctx.passwords, company, RoleName.EMPLOYER)
        company = tenants.home if sender == "home_admin" else await make_company(db, CompanyType.EMPLOYER)
        return await make_user(
            db, ctx.passwords, company, RoleName.RECRUITER, **USER_STATES.get(state or "", {})
        )


@pytest.mark.parametrize("sender", ["home_admin", "system_admin"])
async def test_a_usable_colleague_can_be_messaged(
    callers: Callers, tenants: Tenants, ctx: AppContext, sender: str
) -> None:
    """The control of the test below: the same recipient, before anything happened to them."""
    colleague = await _recipient_in_state(ctx, tenants, sender, None)

    r = await send(callers, sender, colleague.id)

    assert r.status_code == 201, r.text
    assert [m.recipient_id for m in await stored(ctx)] == [colleague.id]


@pytest.mark.parametrize(("sender", "state"), STATES)
async def test_a_recipient_who_cannot_sign_in_cannot_be_messaged(
    callers: Callers, tenants: Tenants, ctx: AppContext, sender: str, state: str
) -> None:
    colleague = await _recipient_in_state(ctx, tenants, sender, state)

    r = await send(callers, sender, colleague.id)

    body = assert_error(r, 404, "recipient_not_found")
    assert body["detail"] == f"User {colleague.id} was not found or cannot be messaged."
    assert await stored(ctx) == []
