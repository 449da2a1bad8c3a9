"""What the live room pushes and answers: the payloads as structs, so the events document
(`server.docs`) describes the very shapes the service sends."""

from __future__ import annotations

from typing import Literal

import msgspec

from models.enums import ProcessingStatus, RecordingStatus
from server.domains.meetings.rooms import Seat


class Participant(msgspec.Struct, kw_only=True):
    participant_id: int
    user_id: int | None
    """Null for the recorder (role `recorder`), which is nobody's account."""
    display_name: str
    seat: Seat
    role: str
    muted: bool
    video: bool
    screen: bool
    quality: str | None


class ParticipantUpdated(Participant, kw_only=True):
    by: int | None
    """Who changed it: the participant themselves (null), or the host who muted them."""


class ParticipantLeft(msgspec.Struct, kw_only=True):
    participant_id: int
    reason: Literal["left", "removed", "lobby"]


class Knock(msgspec.Struct, kw_only=True):
    participant_id: int
    user_id: int
    display_name: str


class LobbyDenied(msgspec.Struct, kw_only=True):
    reason: Literal["host", "recording"]


class LobbyReturned(msgspec.Struct, kw_only=True):
    by: int
    participant_id: int


class RoomInfo(msgspec.Struct, kw_only=True):
    kind: str
    code: str | None
    title: str
    recording: str
    """The recording status: not_started, pending_consent, recording, stopped."""


class You(msgspec.Struct, kw_only=True):
    participant_id: int
    seat: Seat
    role: str
    can_record: bool


class RoomSnapshot(msgspec.Struct, kw_only=True):
    """The `room:join` ack and the `lobby:admitted` push."""

    status: Literal["joined", "lobby"]
    room: RoomInfo
    participants: list[Participant]
    you: You


class ConsentRequest(msgspec.Struct, kw_only=True):
    requested_by: int | None


class RecordingState(msgspec.Struct, kw_only=True, omit_defaults=True):
    status: RecordingStatus
    requested_by: int | None
    refused_by: int | None = None
    """Set when one participant's refusal cancelled the request, or their withdrawal stopped it."""
    recording_id: int | None = None
    """The recording's row once it exists (a meeting's `/api/recordings/{id}`, a video call's
    `/api/video-calls/{call}/recordings/{id}`)."""
    file_status: ProcessingStatus | None = None
    """The stored recording's own status: pending, processing, ready, partial, failed."""
    download_url: str | None = None
    """Where its file is served once stored (to those who may see it: hosts and the recorded)."""


class RoomEnded(msgspec.Struct, kw_only=True):
    by: int | None
    """The host who ended it; null when its window closed or it emptied after its end."""


class Removed(msgspec.Struct, kw_only=True):
    by: int
