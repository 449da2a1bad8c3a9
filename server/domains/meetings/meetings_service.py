"""Meetings over REST: scheduling, invitations and cancellation (rules: `policy`).

Every invitee is notified (`invitations`), in the transaction of the invitation.

A meeting's `room_id` is generated here once and never changes; signaling finds the room by it.
Its live fields (`actual_start`, `recording_status`, participants' `joined_at`...) belong to
signaling and are only read here. A meeting is never erased once it took place: cancelling
keeps it (and its history), deleting is for one that never started.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, User
from models.enums import MeetingRole, MeetingStatus, MeetingType, ParticipantStatus
from server.auth.principal import Principal
from server.domains.meetings import policy
from server.domains.meetings.codes import new_room_id
from server.domains.meetings.invitations import tell_invitees
from server.domains.meetings.rooms import may_manage, meeting_room
from server.domains.meetings.schemas import (
    Invite,
    MeetingCreate,
    MeetingOut,
    MeetingUpdate,
    Participant,
    ParticipantUpdate,
    RoomQuery,
)
from server.errors import Conflict, Forbidden, NotFound
from server.listing import order_by, paginate
from server.schemas import Page, apply

SORTABLE = {"id": Meeting.id, "scheduled_start": Meeting.scheduled_start, "created_at": Meeting.created_at}
CLOSED = (MeetingStatus.COMPLETED, MeetingStatus.CANCELLED)
_OUT_FIELDS = [f for f in MeetingOut.__struct_fields__ if f not in {"participants", "access_code_required"}]


def _participant(row: MeetingParticipant, user: User) -> Participant:
    return Participant(
        id=row.id,
        user_id=row.user_id,
        first_name=user.first_name,
        last_name=user.last_name,
        role=row.role,
        status=row.status,
        can_record=row.can_record,
        recording_consent=row.recording_consent,
        joined_at=row.joined_at,
        left_at=row.left_at,
    )


class MeetingsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    # Reading

    async def search(
        self,
        query: RoomQuery,
        *,
        status: MeetingStatus | None,
        interview_id: int | None,
        limit: int,
        offset: int,
        sort: str,
    ) -> Page[MeetingOut]:
        statement = select(Meeting).where(policy.meetings_listed(self.principal))
        if status is not None:
            statement = statement.where(Meeting.status == status)
        if interview_id is not None:
            statement = statement.where(Meeting.interview_id == interview_id)
        if query.starts_from is not None:
            statement = statement.where(Meeting.scheduled_start >= query.starts_from)
        if query.starts_before is not None:
            statement = statement.where(Meeting.scheduled_start < query.starts_before)
        meetings, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=await self._out_many(meetings), total=total)

    async def get(self, meeting_id: int) -> MeetingOut:
        return await self._out(await self._visible(meeting_id))

    async def _visible(self, meeting_id: int) -> Meeting:
        meeting = await self.db.scalar(
            select(Meeting).where(Meeting.id == meeting_id, policy.meetings_listed(self.principal))
        )
        if meeting is None:
            raise NotFound(f"Meeting {meeting_id} was not found.")
        return meeting

    async def _managed(self, meeting_id: int, *, open_only: bool = True) -> Meeting:
        """The meeting, if the principal manages it: 404 when they cannot see it, 403 when only see."""
        meeting = await self._visible(meeting_id)
        if not may_manage(self.principal, meeting.company_id, meeting.created_by):
            raise Forbidden("Only the meeting's creator or an admin of its company manages it.")
        if open_only and meeting.status in CLOSED:
            raise Conflict(f"This meeting is {meeting.status}.", code="meeting_closed")
        return meeting

    async def _out(self, meeting: Meeting) -> MeetingOut:
        return (await self._out_many([meeting]))[0]

    async def _out_many(self, meetings: list[Meeting]) -> list[MeetingOut]:
        rows = await self.db.execute(
            select(MeetingParticipant, User)
            .join(User, User.id == MeetingParticipant.user_id)
            .where(MeetingParticipant.meeting_id.in_([m.id for m in meetings]))
            .order_by(MeetingParticipant.id)
        )
        participants: dict[int, list[Participant]] = {}
        for row, user in rows.tuples():
            participants.setdefault(row.meeting_id, []).append(_participant(row, user))
        answers = []
        for meeting in meetings:
            values = {field: getattr(meeting, field) for field in _OUT_FIELDS}
            if not may_manage(self.principal, meeting.company_id, meeting.created_by):
                values["access_code"] = msgspec.UNSET
            answers.append(
                MeetingOut(
                    **values,
                    access_code_required=bool(meeting.access_code),
                    participants=participants.get(meeting.id, []),
                )
            )
        return answers

    # Writing

    async def create(self, data: MeetingCreate) -> MeetingOut:
        data = policy.in_utc(data)
        company_id = await policy.owning_company(self.db, self.principal, data.company_id)
        policy.check_window(data.scheduled_start, data.scheduled_end)
        if data.interview_id is not None:
            await policy.require_interview(self.db, data.interview_id, company_id)
        await self._check_invites(data.participants, company_id, data.interview_id)
        default_type = MeetingType.INTERVIEW if data.interview_id is not None else MeetingType.TEAM
        meeting = Meeting(
            interview_id=data.interview_id,
            title=data.title,
            description=data.description,
            meeting_type=data.meeting_type or default_type,
            scheduled_start=data.scheduled_start,
            scheduled_end=data.scheduled_end,
            room_id=new_room_id(),
            access_code=data.access_code,
            recording_enabled=data.recording_enabled,
            transcription_enabled=data.transcription_enabled,
            auto_summary=data.auto_summary,
            company_id=company_id,
            created_by=self.principal.user_id,
        )
        self.db.add(meeting)
        await self.db.flush()
        host = MeetingParticipant(
            meeting_id=meeting.id,
            user_id=self.principal.user_id,
            role=MeetingRole.HOST,
            status=ParticipantStatus.ACCEPTED,
            can_record=True,
        )
        invited = [
            MeetingParticipant(meeting_id=meeting.id, user_id=i.user_id, role=i.role, can_record=i.can_record)
            for i in data.participants
        ]
        self.db.add_all([host, *invited])
        await self.db.flush()
        await tell_invitees(
            self.db,
            meeting_room(meeting),
            [(i.user_id, i.role.value) for i in data.participants],
            actor_id=self.principal.user_id,
        )
        return await self._out(meeting)

    async def _check_invites(
        self, invites: Iterable[Invite], company_id: int, interview_id: int | None
    ) -> None:
        seen = {self.principal.user_id}
        for index, invite in enumerate(invites):
            field = f"participants[{index}].user_id"
            if invite.user_id in seen:
                raise policy.invalid(field, "invited twice (the creator is the host already)")
            seen.add(invite.user_id)
            await policy.require_invitable(self.db, invite.user_id, company_id, interview_id, field)

    async def update(self, meeting_id: int, data: MeetingUpdate) -> MeetingOut:
        data = policy.in_utc(data)
        meeting = await self._managed(meeting_id)
        start = meeting.scheduled_start if data.scheduled_start is msgspec.UNSET else data.scheduled_start
        end = meeting.scheduled_end if data.scheduled_end is msgspec.UNSET else data.scheduled_end
        policy.check_window(start, end)
        if data.interview_id is not msgspec.UNSET and data.interview_id is not None:
            await policy.require_interview(self.db, data.interview_id, meeting.company_id)
        apply(meeting, data)
        await self.db.flush()
        return await self._out(meeting)

    async def cancel(self, meeting_id: int) -> MeetingOut:
        """Cancel a meeting that has not started; cancelling a cancelled one changes nothing."""
        meeting = await self._managed(meeting_id, open_only=False)
        if meeting.status is not MeetingStatus.CANCELLED:
            if meeting.status is not MeetingStatus.SCHEDULED:
                raise Conflict(f"This meeting is {meeting.status}.", code="meeting_started")
            meeting.status = MeetingStatus.CANCELLED
            await self.db.flush()
        return await self._out(meeting)

    async def delete(self, meeting_id: int) -> None:
        """Erase a meeting that never took place; one that did is kept (cancel it instead)."""
        meeting = await self._managed(meeting_id, open_only=False)
        started = meeting.actual_start is not None
        if started or meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED):
            raise Conflict("A meeting that took place is kept.", code="meeting_started")
        rows = await self.db.scalars(
            select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)
        )
        for row in rows:
            await self.db.delete(row)
        # The invitations go first, each with its audit row, before the database's cascade could.
        await self.db.flush()
        await self.db.delete(meeting)
        await self.db.flush()

    # Participants

    async def invite(self, meeting_id: int, data: Invite) -> Participant:
        meeting = await self._managed(meeting_id)
        await policy.require_invitable(self.db, data.user_id, meeting.company_id, meeting.interview_id)
        taken = await self.db.scalar(
            select(MeetingParticipant.id).where(
                MeetingParticipant.meeting_id == meeting.id, MeetingParticipant.user_id == data.user_id
            )
        )
        if taken is not None:
            raise Conflict("This user is invited already.", code="already_invited")
        row = MeetingParticipant(
            meeting_id=meeting.id, user_id=data.user_id, role=data.role, can_record=data.can_record
        )
        self.db.add(row)
        await self.db.flush()
        await tell_invitees(
            self.db, meeting_room(meeting), [(data.user_id, data.role.value)], actor_id=self.principal.user_id
        )
        return _participant(row, await self.db.get_one(User, data.user_id))

    async def update_participant(
        self, meeting_id: int, participant_id: int, data: ParticipantUpdate
    ) -> Participant:
        row = await self._participant_row(await self._managed(meeting_id), participant_id)
        apply(row, data)
        await self.db.flush()
        return _participant(row, await self.db.get_one(User, row.user_id))

    async def remove_participant(self, meeting_id: int, participant_id: int) -> None:
        row = await self._participant_row(await self._managed(meeting_id), participant_id)
        await self.db.delete(row)
        await self.db.flush()

    async def _participant_row(self, meeting: Meeting, participant_id: int) -> MeetingParticipant:
        row = await self.db.scalar(
            select(MeetingParticipant).where(
                MeetingParticipant.id == participant_id, MeetingParticipant.meeting_id == meeting.id
            )
        )
        if row is None:
            raise NotFound(f"Participant {participant_id} was not found.")
        return row
