"""Recording consent as server state, for both room kinds.

- Only a host allowed to record may ask, and only in a room with recording enabled.
- Asking is consenting: the requester's own answer is yes. Everyone else present is asked; the
  recording starts when every present participant said yes, and one refusal cancels the request.
- A room that does not require consent (`recording_consent_required` false) starts recording at
  once; everyone present is told by `recording:state`.
- Someone arriving while a consent-requiring recording runs is asked first, and admitted only
  after consenting (`service.LiveRoom.join`).
- Recording stops when a host stops it, when anyone present withdraws their consent
  (`recording:consent {granted: false}` while recording: it stops at once for everyone), when
  the room empties, or when it ends. In a meeting, recording means a recorder peer captures the
  room (`recorder`, `server.domains.recordings`); a video call's recording is this state only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.enums import ParticipantStatus, ProcessingStatus, RecordingStatus
from server.domains.meetings.live import recorder, records
from server.domains.meetings.live.errors import NotInRoom
from server.domains.meetings.live.pushes import ConsentRequest, LobbyDenied, RecordingState
from server.domains.meetings.live.state import Member, Recording
from server.domains.recordings import rows
from server.errors import Conflict, Forbidden

if TYPE_CHECKING:
    from server.domains.meetings.live.service import LiveRoom

ACTIVE = (RecordingStatus.PENDING_CONSENT, RecordingStatus.RECORDING)


async def _set(live: LiveRoom, recording: Recording, refused_by: int | None = None) -> None:
    """Change the room's recording state. Reaching `recording` creates the stored recording (its
    row, and the job that runs its recorder); leaving it tells the recorder to stop at once."""
    status = RecordingStatus(recording.status)
    previous = await live.store.recording(live.key)
    file_status = None
    if status == RecordingStatus.RECORDING and recording.recording_id is None:
        recording.recording_id = await rows.begin(live.db, live.room, recording.requested_by)
        file_status = ProcessingStatus.PENDING if recording.recording_id else None
    elif status != RecordingStatus.RECORDING and previous.status == RecordingStatus.RECORDING:
        recorder.stop(live, previous)
        recording.recording_id = previous.recording_id
        file_status = ProcessingStatus.PROCESSING if previous.recording_id else None
    await live.store.set_recording(live.key, recording)
    await records.recording_status(live.db, live.room, status)
    state = RecordingState(
        status=status,
        requested_by=recording.requested_by,
        refused_by=refused_by,
        recording_id=recording.recording_id,
        file_status=file_status,
    )
    live.push("recording:state", state, to=live.channel)


async def request(live: LiveRoom, requester_id: int) -> None:
    me = await live.host(requester_id)
    if not live.room.recording_enabled:
        raise Forbidden("Recording is not enabled for this room.", code="recording_disabled")
    if not me.can_record:
        raise Forbidden("You may not record this room.", code="recording_not_allowed")
    current = await live.store.recording(live.key)
    if current.status in ACTIVE:
        raise Conflict(f"Recording is already {current.status}.", code="recording_busy")
    if not live.room.recording_consent_required:
        await _set(live, Recording(status=RecordingStatus.RECORDING, requested_by=requester_id))
        return
    await records.consent(live.db, live.room, requester_id, True)
    pending = Recording(
        status=RecordingStatus.PENDING_CONSENT, requested_by=requester_id, consents={requester_id: True}
    )
    await _set(live, pending)
    live.push(
        "recording:consent-request",
        ConsentRequest(requested_by=requester_id),
        to=live.channel,
        skip_sid=me.sid,
    )
    await settle(live, await live.joined_members())


async def answer(live: LiveRoom, participant_id: int, granted: bool) -> None:
    me = await live.store.get(live.key, participant_id)
    if me is None:
        raise NotInRoom()
    current = await live.store.recording(live.key)
    if me.waiting_for_consent:
        await records.consent(live.db, live.room, participant_id, granted)
        await _answer_at_the_door(live, me, current, granted)
        return
    if current.status == RecordingStatus.RECORDING and not granted:
        await records.consent(live.db, live.room, participant_id, False)
        stopped = Recording(status=RecordingStatus.STOPPED, requested_by=current.requested_by)
        await _set(live, stopped, refused_by=participant_id)
        return
    if current.status != RecordingStatus.PENDING_CONSENT:
        raise Conflict("No recording request is waiting for consent.", code="no_consent_request")
    await records.consent(live.db, live.room, participant_id, granted)
    if not granted:
        await _set(live, Recording(status=RecordingStatus.NOT_STARTED), refused_by=participant_id)
        return
    current.consents[participant_id] = True
    await live.store.set_recording(live.key, current)
    await settle(live, await live.joined_members())


async def _answer_at_the_door(live: LiveRoom, me: Member, current: Recording, granted: bool) -> None:
    if not granted:
        await live.store.drop(live.key, me.participant_id)
        await records.left(live.db, live.room, me.participant_id, ParticipantStatus.DECLINED)
        live.push("lobby:denied", LobbyDenied(reason="recording"), to=me.sid)
        return
    current.consents[me.participant_id] = True
    await live.store.set_recording(live.key, current)
    me.waiting_for_consent = False
    await live.admit_if_ready(me)


async def settle(live: LiveRoom, present: list[Member]) -> None:
    """Start a pending recording once everyone present has said yes."""
    current = await live.store.recording(live.key)
    if current.status != RecordingStatus.PENDING_CONSENT:
        return
    if all(current.consents.get(m.participant_id) is True for m in present):
        current.status = RecordingStatus.RECORDING
        await _set(live, current)


async def stop(live: LiveRoom, host_id: int) -> None:
    await live.host(host_id)
    current = await live.store.recording(live.key)
    if current.status not in ACTIVE:
        raise Conflict("Nothing is being recorded.", code="not_recording")
    await _set(live, Recording(status=RecordingStatus.STOPPED, requested_by=current.requested_by))


async def halt(live: LiveRoom) -> None:
    """Stop whatever is recorded or pending, with nobody left to ask (the room emptied)."""
    current = await live.store.recording(live.key)
    if current.status in ACTIVE:
        await _set(live, Recording(status=RecordingStatus.STOPPED, requested_by=current.requested_by))


async def lost(live: LiveRoom, recording_id: int) -> None:
    """The recorder of a running recording died: the room stops recording (a host may ask again)."""
    current = await live.store.recording(live.key)
    if current.status == RecordingStatus.RECORDING and current.recording_id == recording_id:
        await _set(live, Recording(status=RecordingStatus.STOPPED, requested_by=current.requested_by))
