"""Who may see a recording: the room's hosts, its company's admins, and the participants who
were recorded in it (their media reached the recorder: `rows.RECORDED` audit rows). Anyone else
gets 404, exactly as for a recording that does not exist; another tenant above all.

Hosts are the meeting's creator, its participants in the host role, its company's
company_admins and system_admins (the people `rooms.Rooms` seats as hosts). A recorded
participant reads and downloads; deleting is for hosts (403 for the recorded, who can see it).
Participants may come from another company (a candidate's agency), so the rule is this
relation, not the tenant scope of the principal's company.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Meeting, MeetingParticipant, MeetingRecording
from models.enums import MeetingRole
from server.auth.principal import Principal
from server.domains.recordings.rows import RECORDED
from server.errors import Forbidden, NotFound

Standing = Literal["host", "participant"]


def not_found() -> NotFound:
    return NotFound("No such recording.", code="recording_not_found")


async def standing(db: AsyncSession, principal: Principal, meeting: Meeting) -> Standing | None:
    """What the principal is to a meeting's recordings: a host, a participant, or nothing."""
    company_admin = principal.company_id == meeting.company_id and principal.is_company_admin
    if principal.is_system_admin or company_admin or meeting.created_by == principal.user_id:
        return "host"
    role = await db.scalar(
        select(MeetingParticipant.role).where(
            MeetingParticipant.meeting_id == meeting.id, MeetingParticipant.user_id == principal.user_id
        )
    )
    if role is None:
        return None
    return "host" if role is MeetingRole.HOST else "participant"


async def recorded_in(db: AsyncSession, user_id: int, meeting_id: int) -> set[int]:
    """The recordings of a meeting in which this user's media was recorded."""
    ids = select(MeetingRecording.id).where(MeetingRecording.meeting_id == meeting_id)
    notes = await db.execute(
        select(AuditLog.entity_id, AuditLog.metadata_).where(
            AuditLog.action == RECORDED,
            AuditLog.entity_type == "meeting_recordings",
            AuditLog.entity_id.in_(ids),
        )
    )
    return {
        entity_id
        for entity_id, about in notes
        if entity_id is not None and isinstance(about, dict) and about.get("user_id") == user_id
    }


async def readable(db: AsyncSession, principal: Principal, meeting: Meeting) -> ColumnElement[bool]:
    """The SQL condition of the meeting's recordings the principal may see; 404 for a stranger."""
    found = await standing(db, principal, meeting)
    if found is None:
        raise NotFound("No such meeting.", code="meeting_not_found")
    if found == "host":
        return true()
    return MeetingRecording.id.in_(await recorded_in(db, principal.user_id, meeting.id))


async def load(
    db: AsyncSession, principal: Principal, recording_id: int, *, write: bool = False
) -> MeetingRecording:
    row = await db.get(MeetingRecording, recording_id)
    if row is None or row.is_deleted:
        raise not_found()
    meeting = await db.get_one(Meeting, row.meeting_id)
    found = await standing(db, principal, meeting)
    if found == "participant" and row.id not in await recorded_in(db, principal.user_id, meeting.id):
        found = None
    if found is None:
        raise not_found()
    if write and found != "host":
        raise Forbidden("Only the meeting's hosts may delete its recordings.", code="not_host")
    return row
