"""The meetings domain as the app wires it in."""

from __future__ import annotations

from server.domains.meetings.controllers import MeetingsController, RoomsController, VideoCallsController
from server.manifest import Domain

DOMAIN = Domain(
    name="meetings",
    controllers=[MeetingsController, VideoCallsController, RoomsController],
)
