"""/api/meetings, /api/video-calls and /api/rooms: rooms over REST (who may do what: `policy`)."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import MeetingStatus, VideoCallStatus
from server.auth.principal import Principal
from server.domains.meetings.calls_service import VideoCallsService
from server.domains.meetings.join_service import JoinInfoService
from server.domains.meetings.meetings_service import MeetingsService
from server.domains.meetings.schemas import (
    CallInvite,
    CallParticipant,
    Invite,
    JoinInfo,
    MeetingCreate,
    MeetingOut,
    MeetingUpdate,
    Participant,
    ParticipantUpdate,
    RoomQuery,
    VideoCallCreate,
    VideoCallOut,
    VideoCallUpdate,
)
from server.listing import Limit, Offset, QueryId
from server.schemas import Page, parse

"""Ids are 32-bit; a larger number in a query would overflow the database's comparison."""


def provide_meetings(db: AsyncSession, principal: Principal) -> MeetingsService:
    return MeetingsService(db, principal)


def provide_calls(db: AsyncSession, principal: Principal, state: State) -> VideoCallsService:
    return VideoCallsService(db, principal, state.ctx.passwords)


def provide_join(db: AsyncSession, principal: Principal, state: State) -> JoinInfoService:
    return JoinInfoService(db, principal, state.ctx.settings)


class MeetingsController(Controller):
    path = "/api/meetings"
    tags = ["meetings"]
    dependencies = {"meetings": Provide(provide_meetings, sync_to_thread=False)}

    @get("/", summary="Meetings you manage or are invited to; starts_before is exclusive")
    async def list_meetings(
        self,
        meetings: MeetingsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "scheduled_start",
        status: MeetingStatus | None = None,
        interview_id: QueryId = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
    ) -> Page[MeetingOut]:
        query = parse(RoomQuery, starts_from=starts_from, starts_before=starts_before)
        return await meetings.search(
            query, status=status, interview_id=interview_id, limit=limit, offset=offset, sort=sort
        )

    @post("/", summary="Schedule a meeting (its room_id is generated); you become its host")
    async def create_meeting(self, data: MeetingCreate, meetings: MeetingsService) -> MeetingOut:
        return await meetings.create(data)

    @get("/{meeting_id:int}")
    async def read_meeting(self, meeting_id: int, meetings: MeetingsService) -> MeetingOut:
        return await meetings.get(meeting_id)

    @patch("/{meeting_id:int}")
    async def update_meeting(
        self, meeting_id: int, data: MeetingUpdate, meetings: MeetingsService
    ) -> MeetingOut:
        return await meetings.update(meeting_id, data)

    @post("/{meeting_id:int}/cancel", status_code=HTTP_200_OK, summary="Cancel a meeting not yet started")
    async def cancel_meeting(self, meeting_id: int, meetings: MeetingsService) -> MeetingOut:
        return await meetings.cancel(meeting_id)

    @delete("/{meeting_id:int}", summary="Erase a meeting that never took place")
    async def delete_meeting(self, meeting_id: int, meetings: MeetingsService) -> None:
        await meetings.delete(meeting_id)

    @post("/{meeting_id:int}/participants", summary="Invite someone with a role")
    async def invite(self, meeting_id: int, data: Invite, meetings: MeetingsService) -> Participant:
        return await meetings.invite(meeting_id, data)

    @patch("/{meeting_id:int}/participants/{participant_id:int}", summary="Change a role or can_record")
    async def update_participant(
        self, meeting_id: int, participant_id: int, data: ParticipantUpdate, meetings: MeetingsService
    ) -> Participant:
        return await meetings.update_participant(meeting_id, participant_id, data)

    @delete("/{meeting_id:int}/participants/{participant_id:int}", summary="Withdraw an invitation")
    async def remove_participant(
        self, meeting_id: int, participant_id: int, meetings: MeetingsService
    ) -> None:
        await meetings.remove_participant(meeting_id, participant_id)


class VideoCallsController(Controller):
    path = "/api/video-calls"
    tags = ["video calls"]
    dependencies = {"calls": Provide(provide_calls, sync_to_thread=False)}

    @get("/", summary="Calls you host or are invited to; starts_before is exclusive")
    async def list_calls(
        self,
        calls: VideoCallsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "scheduled_start",
        status: VideoCallStatus | None = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
    ) -> Page[VideoCallOut]:
        query = parse(RoomQuery, starts_from=starts_from, starts_before=starts_before)
        return await calls.search(query, status=status, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create a call (its room_code is generated); you host it unless host_id says")
    async def create_call(self, data: VideoCallCreate, calls: VideoCallsService) -> VideoCallOut:
        return await calls.create(data)

    @get("/{call_id:int}")
    async def read_call(self, call_id: int, calls: VideoCallsService) -> VideoCallOut:
        return await calls.get(call_id)

    @patch("/{call_id:int}")
    async def update_call(
        self, call_id: int, data: VideoCallUpdate, calls: VideoCallsService
    ) -> VideoCallOut:
        return await calls.update(call_id, data)

    @post("/{call_id:int}/cancel", status_code=HTTP_200_OK, summary="Cancel a call that has not started")
    async def cancel_call(self, call_id: int, calls: VideoCallsService) -> VideoCallOut:
        return await calls.cancel(call_id)

    @delete("/{call_id:int}", summary="Erase a call that never took place")
    async def delete_call(self, call_id: int, calls: VideoCallsService) -> None:
        await calls.delete(call_id)

    @post("/{call_id:int}/participants", summary="Invite someone from inside or outside the company")
    async def invite(self, call_id: int, data: CallInvite, calls: VideoCallsService) -> CallParticipant:
        return await calls.invite(call_id, data)

    @delete("/{call_id:int}/participants/{participant_id:int}", summary="Withdraw an invitation")
    async def remove_participant(self, call_id: int, participant_id: int, calls: VideoCallsService) -> None:
        await calls.remove_participant(call_id, participant_id)


class RoomsController(Controller):
    path = "/api/rooms"
    tags = ["rooms"]
    dependencies = {"join": Provide(provide_join, sync_to_thread=False)}

    @get("/{room_code:str}", summary="Join info of a meeting or call you may enter (404 otherwise)")
    async def read_join_info(self, room_code: str, join: JoinInfoService) -> JoinInfo:
        return await join.join_info(room_code)
