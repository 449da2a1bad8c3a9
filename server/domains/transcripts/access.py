"""Who sees a meeting's transcripts and summaries: whoever sees the meeting, by its own rule.

That is the meetings policy's (`policy.meetings_listed`): the meeting's creator, its invited
participants (its hosts among them), the company_admins of its company and a system_admin —
the people who may see its recordings. Anyone else, another tenant or an uninvited colleague,
gets 404 exactly like a missing id, as for the meeting itself. Asking for a transcript or a
summary to be made again is managing the meeting (`rooms.may_manage`: its creator, its
company's admins, a system_admin); a participant who only sees it gets 403.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingSummary, MeetingTranscript
from server.auth.principal import Principal
from server.domains.meetings import policy
from server.domains.meetings.rooms import may_manage
from server.errors import Forbidden, NotFound

Artifact = TypeVar("Artifact", MeetingTranscript, MeetingSummary)
NAMES = {MeetingTranscript: "Transcript", MeetingSummary: "Summary"}


def readable(principal: Principal, model: type[Artifact]) -> ColumnElement[bool]:
    """The SQL condition of the transcripts (or summaries) a principal may read."""
    seen = select(Meeting.id).where(policy.meetings_listed(principal))
    return and_(model.meeting_id.in_(seen), model.is_deleted.is_(False))


async def load_meeting(db: AsyncSession, principal: Principal, meeting_id: int) -> Meeting:
    """The meeting, if the principal sees it; 404 otherwise."""
    meeting = await db.scalar(
        select(Meeting).where(Meeting.id == meeting_id, policy.meetings_listed(principal))
    )
    if meeting is None:
        raise NotFound(f"Meeting {meeting_id} was not found.")
    return meeting


async def managed_meeting(db: AsyncSession, principal: Principal, meeting_id: int) -> Meeting:
    """The meeting, if the principal manages it: 404 when unseen, 403 when only seen."""
    meeting = await load_meeting(db, principal, meeting_id)
    if not may_manage(principal, meeting.company_id, meeting.created_by):
        raise Forbidden(
            "Only the meeting's creator or an admin of its company asks for transcripts and summaries."
        )
    return meeting


async def load(db: AsyncSession, principal: Principal, model: type[Artifact], row_id: int) -> Artifact:
    """One transcript or summary the principal may read; 404 otherwise, like a missing id.

    Changes go through the meeting (`managed_meeting`): a request names the meeting first.
    """
    row: Artifact | None = await db.scalar(
        select(model).where(model.id == row_id, readable(principal, model))
    )
    if row is None:
        raise NotFound(f"{NAMES[model]} {row_id} was not found.")
    return row
