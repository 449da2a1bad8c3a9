"""The recorder's seat in a live room: a participant of its own kind that everyone sees as
"recording" (`participant:joined` with role `recorder` and no user).

- One per room: its participant id is the same fixed id in every room (`RECORDER_ID`, the
  largest id, which no participant row reaches; the browser's mesh lets the larger id offer,
  so the recorder is always the offerer).
- It never counts towards `max_participants`, never inherits the host seat, and a room with
  only the recorder left is empty (`service.LiveRoom.joined_members` leaves it out).
- Its `sid` is its mailbox address (`mailbox`), which names the recording it captures.
- Its seat is a member lease like anyone's; the recorder renews it. When its process dies, the
  sweep lets it depart like anyone, and the recording is finalized from what was written
  (`server.domains.recordings.lifecycle`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from models.enums import RecordingStatus
from server.domains.meetings.live import mailbox
from server.domains.meetings.live.pushes import ParticipantLeft
from server.domains.meetings.live.state import Member, Recording, Standing
from server.domains.meetings.rooms import Seat
from server.schemas import MAX_ID

if TYPE_CHECKING:
    from server.domains.meetings.live.service import LiveRoom

RECORDER_ID = MAX_ID
RECORDER_ROLE = "recorder"
RECORDER_NAME = "Recording"
_PREFIX = "recorder:"


def is_recorder(member: Member) -> bool:
    return member.participant_id == RECORDER_ID


def address(key: str, recording_id: int) -> str:
    """A recorder's mailbox: its room and its recording (ids of the two kinds' rows overlap)."""
    return f"{_PREFIX}{key}:{recording_id}"


def recording_of(member: Member) -> int | None:
    """The recording a recorder's seat captures (from its address)."""
    raw = member.sid.rpartition(":")[2]
    return int(raw) if is_recorder(member) and member.sid.startswith(_PREFIX) and raw.isdigit() else None


async def seat(live: LiveRoom, recording_id: int) -> bool:
    """Seat the recorder of `recording_id`, if that recording is still the one running."""
    from server.domains.meetings.live.service import public

    current = await live.store.recording(live.key)
    if current.status != RecordingStatus.RECORDING or current.recording_id != recording_id:
        return False
    member = Member(
        participant_id=RECORDER_ID,
        user_id=0,
        display_name=RECORDER_NAME,
        sid=address(live.key, recording_id),
        seat=Seat.PARTICIPANT,
        role=RECORDER_ROLE,
        standing=Standing.JOINED,
        since=time.time(),
        muted=True,
        video=False,
    )
    await live.store.put(live.key, member, live.ttl)
    live.push("participant:joined", public(member), to=live.channel)
    return True


async def unseat(live: LiveRoom, recording_id: int) -> None:
    """The recorder of `recording_id` leaves (stopped, or its process died)."""
    member = await live.store.get(live.key, RECORDER_ID)
    if member is None or recording_of(member) != recording_id:
        return
    await live.store.drop(live.key, RECORDER_ID)
    live.push("participant:left", ParticipantLeft(participant_id=RECORDER_ID, reason="left"), to=live.channel)


def stop(live: LiveRoom, recording: Recording) -> None:
    """Tell the recorder of a recording that just stopped to stop at once."""
    if recording.status == RecordingStatus.RECORDING and recording.recording_id is not None:
        mailbox.send(live.db, address(live.key, recording.recording_id), {"event": "stop"})
