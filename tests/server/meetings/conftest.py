"""Rooms of every kind the meetings tests start from, named for path templates.

- `meeting`: the home agency's, created by `recruiter` (its host), `candidate` invited as candidate,
  with access code `246810`;
- `admin_meeting`: the home agency's, created by `home_admin`; `recruiter` and `candidate` are not
  invited;
- `other_meeting`: the other agency's, created by `other_user`;
- `call`: the home agency's, hosted by `recruiter`, `candidate` invited;
- `admin_call`: the home agency's, hosted by `home_admin`, nobody invited;
- `other_call`: the other agency's, hosted by `other_user`.
Participant rows: `candidate_seat` (candidate in `meeting`), `call_seat` (candidate in `call`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import Meeting, VideoCall
from models.enums import MeetingRole
from server.context import AppContext
from tests.factories import make_call_participant, make_meeting, make_meeting_participant, make_video_call
from tests.server.tenants import Callers, Tenants

ACCESS_CODE = "246810"


@dataclass(frozen=True)
class Arranged:
    meeting: Meeting
    admin_meeting: Meeting
    other_meeting: Meeting
    call: VideoCall
    admin_call: VideoCall
    other_call: VideoCall
    candidate_seat: int
    call_seat: int


@pytest.fixture
async def arranged(ctx: AppContext, tenants: Tenants, callers: Callers) -> Arranged:
    user = tenants.user
    async with ctx.transaction() as db:
        meeting = await make_meeting(db, tenants.home, user("recruiter"), access_code=ACCESS_CODE)
        await make_meeting_participant(db, meeting, user("recruiter"), MeetingRole.HOST, can_record=True)
        seat = await make_meeting_participant(db, meeting, user("candidate"), MeetingRole.CANDIDATE)
        admin_meeting = await make_meeting(db, tenants.home, user("home_admin"))
        await make_meeting_participant(db, admin_meeting, user("home_admin"), MeetingRole.HOST)
        other_meeting = await make_meeting(db, tenants.other, user("other_user"))
        call = await make_video_call(db, tenants.home, user("recruiter"))
        call_seat = await make_call_participant(db, call, user("candidate"))
        admin_call = await make_video_call(db, tenants.home, user("home_admin"))
        other_call = await make_video_call(db, tenants.other, user("other_user"))
    rooms = Arranged(
        meeting=meeting,
        admin_meeting=admin_meeting,
        other_meeting=other_meeting,
        call=call,
        admin_call=admin_call,
        other_call=other_call,
        candidate_seat=seat.id,
        call_seat=call_seat.id,
    )
    callers.names.update(
        meeting=meeting.id,
        admin_meeting=admin_meeting.id,
        other_meeting=other_meeting.id,
        call=call.id,
        admin_call=admin_call.id,
        other_call=other_call.id,
        candidate_seat=seat.id,
        call_seat=call_seat.id,
    )
    return rooms
