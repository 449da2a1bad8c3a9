"""Video calls over REST: rooms joined by a short code, optionally behind a password (rules: `policy`).

The `room_code` is generated here once and never changes. A call's password is hashed with the
app's argon2 settings (`ctx.passwords`), the same check signaling runs on `room:join`; neither the
password nor its hash ever leaves this module. The host (`host_id`, the creator by default)
manages the call together with its company's admins. Invitation rows are optional: the staff of
the call's company may enter anyway; an invitation lets in someone from outside it (a candidate)
and puts the call on the invitee's list, and the invitee is notified (`invitations`).
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import User, VideoCall, VideoCallParticipant
from models.enums import CallRole, VideoCallStatus
from server.auth.passwords import Passwords
from server.auth.principal import Principal
from server.domains.meetings import policy
from server.domains.meetings.codes import new_room_code
from server.domains.meetings.invitations import tell_invitees
from server.domains.meetings.rooms import call_room, may_manage
from server.domains.meetings.schemas import (
    MAX_SETTINGS_BYTES,
    CallInvite,
    CallParticipant,
    RoomQuery,
    VideoCallCreate,
    VideoCallOut,
    VideoCallUpdate,
)
from server.errors import Conflict, Forbidden, NotFound
from server.listing import order_by, paginate
from server.schemas import Page, apply

SORTABLE = {
    "id": VideoCall.id,
    "scheduled_start": VideoCall.scheduled_start,
    "created_at": VideoCall.created_at,
}
CLOSED = (VideoCallStatus.ENDED, VideoCallStatus.CANCELLED)
_OUT_FIELDS = [f for f in VideoCallOut.__struct_fields__ if f != "participants"]
_PARTICIPANT_FIELDS = CallParticipant.__struct_fields__


def _participant(row: VideoCallParticipant) -> CallParticipant:
    return CallParticipant(**{field: getattr(row, field) for field in _PARTICIPANT_FIELDS})


def _check_settings(settings: dict[str, Any] | None) -> None:
    if settings is not None and len(msgspec.json.encode(settings)) > MAX_SETTINGS_BYTES:
        raise policy.invalid("settings", f"at most {MAX_SETTINGS_BYTES} bytes of JSON")


class VideoCallsService:
    def __init__(self, db: AsyncSession, principal: Principal, passwords: Passwords) -> None:
        self.db = db
        self.principal = principal
        self.passwords = passwords

    # Reading

    async def search(
        self, query: RoomQuery, *, status: VideoCallStatus | None, limit: int, offset: int, sort: str
    ) -> Page[VideoCallOut]:
        statement = select(VideoCall).where(policy.calls_listed(self.principal))
        if status is not None:
            statement = statement.where(VideoCall.status == status)
        if query.starts_from is not None:
            statement = statement.where(VideoCall.scheduled_start >= query.starts_from)
        if query.starts_before is not None:
            statement = statement.where(VideoCall.scheduled_start < query.starts_before)
        calls, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=await self._out_many(calls), total=total)

    async def get(self, call_id: int) -> VideoCallOut:
        return await self._out(await self._visible(call_id))

    async def _visible(self, call_id: int) -> VideoCall:
        call = await self.db.scalar(
            select(VideoCall).where(VideoCall.id == call_id, policy.calls_readable(self.principal))
        )
        if call is None:
            raise NotFound(f"VideoCall {call_id} was not found.")
        return call

    async def _managed(self, call_id: int, *, open_only: bool = True) -> VideoCall:
        call = await self._visible(call_id)
        if not may_manage(self.principal, call.company_id, call.host_id):
            raise Forbidden("Only the call's host or an admin of its company manages it.")
        if open_only and call.status in CLOSED:
            raise Conflict(f"This call is {call.status}.", code="call_closed")
        return call

    async def _out(self, call: VideoCall) -> VideoCallOut:
        return (await self._out_many([call]))[0]

    async def _out_many(self, calls: list[VideoCall]) -> list[VideoCallOut]:
        rows = await self.db.scalars(
            select(VideoCallParticipant)
            .where(VideoCallParticipant.video_call_id.in_([c.id for c in calls]))
            .order_by(VideoCallParticipant.id)
        )
        participants: dict[int, list[CallParticipant]] = {}
        for row in rows:
            participants.setdefault(row.video_call_id, []).append(_participant(row))
        return [
            VideoCallOut(
                **{field: getattr(call, field) for field in _OUT_FIELDS},
                participants=participants.get(call.id, []),
            )
            for call in calls
        ]

    # Writing

    async def create(self, data: VideoCallCreate) -> VideoCallOut:
        data = policy.in_utc(data)
        company_id = await policy.owning_company(self.db, self.principal, data.company_id)
        policy.check_window(data.scheduled_start, data.scheduled_end)
        _check_settings(data.settings)
        if data.password_required != (data.room_password is not None):
            message = (
                "required with password_required" if data.password_required else "needs password_required"
            )
            raise policy.invalid("room_password", message)
        host_id = data.host_id or self.principal.user_id
        await policy.require_host(self.db, host_id, company_id)
        invited = await self._check_invites(data.participants, company_id, host_id)
        call = VideoCall(
            room_code=new_room_code(),
            title=data.title,
            description=data.description,
            host_id=host_id,
            scheduled_start=data.scheduled_start,
            scheduled_end=data.scheduled_end,
            max_participants=data.max_participants,
            recording_enabled=data.recording_enabled,
            password_required=data.password_required,
            room_password=self.passwords.hash(data.room_password) if data.room_password else None,
            waiting_room=data.waiting_room,
            settings=data.settings,
            company_id=company_id,
        )
        self.db.add(call)
        await self.db.flush()
        self.db.add_all(
            VideoCallParticipant(
                video_call_id=call.id, user_id=user.id, display_name=_name(user), role=CallRole(invite.role)
            )
            for invite, user in invited
        )
        await self.db.flush()
        await tell_invitees(
            self.db,
            call_room(call),
            [(user.id, invite.role.value) for invite, user in invited],
            actor_id=self.principal.user_id,
        )
        return await self._out(call)

    async def _check_invites(
        self, invites: list[CallInvite], company_id: int, host_id: int
    ) -> list[tuple[CallInvite, User]]:
        seen: set[int] = set()
        found = []
        for index, invite in enumerate(invites):
            field = f"participants[{index}].user_id"
            if invite.user_id in seen:
                raise policy.invalid(field, "invited twice")
            seen.add(invite.user_id)
            found.append((invite, await self._invitee(invite.user_id, company_id, host_id, field)))
        return found

    async def _invitee(self, user_id: int, company_id: int, host_id: int, field: str) -> User:
        if user_id == host_id:
            raise policy.invalid(field, "the host is in the call already")
        await policy.require_invitable(self.db, user_id, company_id, field=field)
        return await self.db.get_one(User, user_id)

    async def update(self, call_id: int, data: VideoCallUpdate) -> VideoCallOut:
        data = policy.in_utc(data)
        call = await self._managed(call_id)
        start = call.scheduled_start if data.scheduled_start is msgspec.UNSET else data.scheduled_start
        end = call.scheduled_end if data.scheduled_end is msgspec.UNSET else data.scheduled_end
        policy.check_window(start, end)
        if data.settings is not msgspec.UNSET:
            _check_settings(data.settings)
        if data.host_id is not msgspec.UNSET:
            await policy.require_host(self.db, data.host_id, call.company_id)
        self._set_password(call, data)
        apply(
            call, msgspec.structs.replace(data, room_password=msgspec.UNSET, password_required=msgspec.UNSET)
        )
        await self.db.flush()
        return await self._out(call)

    def _set_password(self, call: VideoCall, data: VideoCallUpdate) -> None:
        """Switching the password off drops the hash; switching it on needs a password."""
        required = (
            call.password_required if data.password_required is msgspec.UNSET else data.password_required
        )
        given = data.room_password
        if given is not msgspec.UNSET and not required:
            raise policy.invalid("room_password", "needs password_required")
        if required and given is msgspec.UNSET and call.room_password is None:
            raise policy.invalid("room_password", "required with password_required")
        call.password_required = required
        if not required:
            call.room_password = None
        elif given is not msgspec.UNSET:
            call.room_password = self.passwords.hash(given)

    async def cancel(self, call_id: int) -> VideoCallOut:
        """Cancel a call that has not started; cancelling a cancelled one changes nothing."""
        call = await self._managed(call_id, open_only=False)
        if call.status is not VideoCallStatus.CANCELLED:
            if call.status is not VideoCallStatus.SCHEDULED:
                raise Conflict(f"This call is {call.status}.", code="call_started")
            call.status = VideoCallStatus.CANCELLED
            await self.db.flush()
        return await self._out(call)

    async def delete(self, call_id: int) -> None:
        """Erase a call that never took place; one that did is kept (cancel it instead)."""
        call = await self._managed(call_id, open_only=False)
        started = call.actual_start is not None
        if started or call.status not in (VideoCallStatus.SCHEDULED, VideoCallStatus.CANCELLED):
            raise Conflict("A call that took place is kept.", code="call_started")
        rows = await self.db.scalars(
            select(VideoCallParticipant).where(VideoCallParticipant.video_call_id == call.id)
        )
        for row in rows:
            await self.db.delete(row)
        # The invitations go first, each with its audit row, before the database's cascade could.
        await self.db.flush()
        await self.db.delete(call)
        await self.db.flush()

    # Participants

    async def invite(self, call_id: int, data: CallInvite) -> CallParticipant:
        call = await self._managed(call_id)
        user = await self._invitee(data.user_id, call.company_id, call.host_id, "user_id")
        taken = await self.db.scalar(
            select(VideoCallParticipant.id).where(
                VideoCallParticipant.video_call_id == call.id, VideoCallParticipant.user_id == data.user_id
            )
        )
        if taken is not None:
            raise Conflict("This user is invited already.", code="already_invited")
        row = VideoCallParticipant(
            video_call_id=call.id, user_id=user.id, display_name=_name(user), role=CallRole(data.role)
        )
        self.db.add(row)
        await self.db.flush()
        await tell_invitees(
            self.db, call_room(call), [(user.id, data.role.value)], actor_id=self.principal.user_id
        )
        return _participant(row)

    async def remove_participant(self, call_id: int, participant_id: int) -> None:
        call = await self._managed(call_id)
        row = await self.db.scalar(
            select(VideoCallParticipant).where(
                VideoCallParticipant.id == participant_id, VideoCallParticipant.video_call_id == call.id
            )
        )
        if row is None:
            raise NotFound(f"Participant {participant_id} was not found.")
        await self.db.delete(row)
        await self.db.flush()


def _name(user: User) -> str:
    """The display name signaling also gives (family name first, as in Japan)."""
    return f"{user.last_name} {user.first_name}"[:100]
