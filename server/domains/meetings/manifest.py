"""The meetings domain as the app wires it in: meetings, video calls, their live rooms."""

from __future__ import annotations

from server.domains.meetings.controllers import MeetingsController, RoomsController, VideoCallsController
from server.domains.meetings.live.seats import close_due_rooms
from server.domains.meetings.sockets import events
from server.jobs import Job, Periodic
from server.manifest import Domain

CLOSE_DUE_ROOMS = "meetings.close_due_rooms"

DOMAIN = Domain(
    name="meetings",
    controllers=[MeetingsController, VideoCallsController, RoomsController],
    sockets=events,
    jobs=[Job(CLOSE_DUE_ROOMS, close_due_rooms, retries=3, timeout_seconds=120)],
    periodic=[Periodic(CLOSE_DUE_ROOMS, "* * * * *")],
)
