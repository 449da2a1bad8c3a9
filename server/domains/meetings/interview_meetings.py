"""The video meeting of an online interview, kept in step with the interview.

The meetings domain owns every meeting row; the interviews domain calls `sync_meeting` after
each change of an interview instead of writing meetings itself.

An online interview gets a `meetings` row (with a fresh `room_id`) once it has a schedule, with
its recruiter as host (allowed to record) and its candidate as candidate. Moving the interview
moves the meeting; changing its recruiter hands the host seat over; cancelling or deleting the
interview, or making it other than online, cancels the meeting. Once the interview is under way
or over, its meeting is the live room's business and is left alone. Rescheduling keeps the
meeting, its invitations and its settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, Meeting, MeetingParticipant
from models.enums import (
    InterviewStatus,
    InterviewType,
    MeetingRole,
    MeetingStatus,
    MeetingType,
    ParticipantStatus,
)
from server.domains.meetings.codes import new_room_id

LIVE = (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
HELD = (InterviewStatus.IN_PROGRESS, InterviewStatus.COMPLETED)


async def live_meeting(db: AsyncSession, interview_id: int) -> Meeting | None:
    meeting: Meeting | None = await db.scalar(
        select(Meeting)
        .where(Meeting.interview_id == interview_id, Meeting.status.in_(LIVE))
        .order_by(Meeting.id.desc())
        .limit(1)
    )
    return meeting


async def rooms_of(db: AsyncSession, interview_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """Each interview's newest meeting that was not cancelled: (meeting id, room id)."""
    if not interview_ids:
        return {}
    rows = await db.execute(
        select(Meeting.interview_id, Meeting.id, Meeting.room_id)
        .where(Meeting.interview_id.in_(interview_ids), Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.id)
    )
    return {
        interview_id: (meeting_id, room_id)
        for interview_id, meeting_id, room_id in rows.tuples()
        if interview_id is not None
    }


async def sync_meeting(
    db: AsyncSession, interview: Interview, actor_id: int, *, previous_recruiter_id: int | None = None
) -> None:
    meeting = await live_meeting(db, interview.id)
    wanted = (
        interview.interview_type is InterviewType.ONLINE
        and interview.status is not InterviewStatus.CANCELLED
        and not interview.is_deleted
    )
    if not wanted:
        if meeting is not None and meeting.status is MeetingStatus.SCHEDULED:
            meeting.status = MeetingStatus.CANCELLED
            await db.flush()
        return
    if interview.status in HELD or interview.scheduled_start is None or interview.scheduled_end is None:
        return
    if meeting is None:
        meeting = Meeting(
            interview_id=interview.id,
            title=interview.title,
            description=interview.description,
            meeting_type=MeetingType.INTERVIEW,
            scheduled_start=interview.scheduled_start,
            scheduled_end=interview.scheduled_end,
            room_id=new_room_id(),
            company_id=interview.company_id,
            created_by=actor_id,
        )
        db.add(meeting)
        await db.flush()
    elif meeting.status is MeetingStatus.SCHEDULED:
        meeting.title = interview.title
        meeting.scheduled_start = interview.scheduled_start
        meeting.scheduled_end = interview.scheduled_end
    await _seat_people(db, meeting, interview, previous_recruiter_id)
    await db.flush()


async def _seat_people(
    db: AsyncSession, meeting: Meeting, interview: Interview, previous_recruiter_id: int | None
) -> None:
    rows = await db.scalars(select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id))
    seats = {row.user_id: row for row in rows}
    handed_over = previous_recruiter_id is not None and previous_recruiter_id != interview.recruiter_id
    old_host = seats.get(previous_recruiter_id) if handed_over and previous_recruiter_id else None
    if old_host is not None and old_host.role is MeetingRole.HOST and old_host.joined_at is None:
        await db.delete(old_host)
    wanted = [
        (interview.recruiter_id, MeetingRole.HOST, True),
        (interview.candidate_id, MeetingRole.CANDIDATE, False),
    ]
    for user_id, role, can_record in wanted:
        if user_id is None or user_id in seats:
            continue
        status = ParticipantStatus.ACCEPTED if role is MeetingRole.HOST else ParticipantStatus.INVITED
        db.add(
            MeetingParticipant(
                meeting_id=meeting.id, user_id=user_id, role=role, status=status, can_record=can_record
            )
        )
