"""Reading back what the interview routes stored: meetings and their seats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import Meeting, MeetingParticipant
from server.context import AppContext


async def meetings_of(ctx: AppContext, interview_id: int) -> list[dict[str, Any]]:
    """Every meeting of the interview, oldest first, with its seats as {user_id: (role, can_record)}."""
    async with ctx.sessionmaker() as db:
        rows = list(
            await db.scalars(select(Meeting).where(Meeting.interview_id == interview_id).order_by(Meeting.id))
        )
        found = []
        for meeting in rows:
            seats = await db.scalars(
                select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)
            )
            found.append(
                {
                    "status": meeting.status.value,
                    "room_id": meeting.room_id,
                    "start": meeting.scheduled_start.isoformat(),
                    "end": meeting.scheduled_end.isoformat(),
                    "type": meeting.meeting_type.value,
                    "company_id": meeting.company_id,
                    "seats": {seat.user_id: (seat.role.value, seat.can_record) for seat in seats},
                }
            )
        return found
