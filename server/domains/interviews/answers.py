"""The answers about interviews: each as its caller may see it (the candidate's leaves out the
interviewers' fields), with the room of its meeting and the moves the caller may make now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview
from server.auth.principal import Principal
from server.domains.interviews.access import Rights, interviewing, manages, rights
from server.domains.interviews.moves import actions
from server.domains.interviews.schemas import InterviewOut
from server.domains.interviews.values import interview_out
from server.domains.meetings.interview_meetings import rooms_of


async def answer(db: AsyncSession, principal: Principal, interview: Interview) -> InterviewOut:
    return await answer_granted(db, principal, interview, await rights(db, principal, interview))


async def answer_granted(
    db: AsyncSession, principal: Principal, interview: Interview, granted: Rights
) -> InterviewOut:
    """`answer` when the caller's rights on it are known already."""
    rooms = await rooms_of(db, [interview.id])
    return interview_out(
        interview,
        candidate_view=granted.candidate,
        room=rooms.get(interview.id),
        actions=actions(interview, manage=granted.manage, user_id=principal.user_id),
    )


async def answer_many(
    db: AsyncSession, principal: Principal, interviews: list[Interview]
) -> list[InterviewOut]:
    """The same as `answer` for a page of interviews, in three queries whatever its length."""
    ids = [interview.id for interview in interviews]
    rooms = await rooms_of(db, ids)
    me = principal.user_id
    interviewer_of: set[int] = set()
    if ids:
        interviewer_of = set(
            await db.scalars(select(Interview.id).where(Interview.id.in_(ids), interviewing(me)))
        )
    answers = []
    for interview in interviews:
        inside = (
            manages(principal, interview) or interview.recruiter_id == me or interview.id in interviewer_of
        )
        candidate_view = interview.candidate_id == me and not inside
        answers.append(
            interview_out(
                interview,
                candidate_view=candidate_view,
                room=rooms.get(interview.id),
                actions=actions(interview, manage=manages(principal, interview), user_id=me),
            )
        )
    return answers
