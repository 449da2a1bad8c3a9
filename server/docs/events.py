"""What the events document says beyond the domains' declared client events.

The client events themselves (name, payload struct, rate limits) come from the manifests'
`SocketEvents`. This module names the rest, for `server.docs.asyncapi`:

- the events the realtime transport answers itself (`auth:renew`), whose payloads live in
  `realtime/` (which `server` does not import; a test holds the two together);
- the fields each event's ack carries on success;
- every push the server sends, with its payload struct (the live room's live in
  `server.domains.meetings.live.pushes`, where the service builds them).

A test fails when the code registers a client event or pushes an event this document lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from server.domains.exams.schemas import (
    RecordedAck,
    SessionAck,
    Submitted,
    Tick,
    ViolationPush,
    WatchAck,
)
from server.domains.meetings.live.pushes import (
    ConsentRequest,
    Knock,
    LobbyDenied,
    LobbyReturned,
    Participant,
    ParticipantLeft,
    ParticipantUpdated,
    RecordingState,
    Removed,
    RoomEnded,
    RoomSnapshot,
)
from server.domains.messages.schemas import MessageOut, ReadReceipt
from server.domains.notifications.schemas import NotificationOut
from server.presence import UserPresence


# `auth:renew {token}`, as `realtime.credentials.Renewal` validates it (no docstring: the schemas match).
class Renewal(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]


@dataclass(frozen=True, slots=True)
class TransportEvent:
    name: str
    payload: type[msgspec.Struct]
    summary: str


TRANSPORT_EVENTS = (
    TransportEvent(
        "auth:renew",
        Renewal,
        "Renew the socket's access token before it expires; any other user's or session's token is "
        "refused (`invalid_token`) and changes nothing.",
    ),
)


SUMMARIES: dict[str, str] = {
    "message:send": "Send a message (stored, then pushed); a repeated `client_nonce` answers the stored one.",
    "message:read": "Mark messages read (one, or every one up to `up_to`); the sender gets `message:read`.",
    "typing:start": "Tell someone you may message that you are typing (never stored).",
    "typing:stop": "Tell them you stopped typing.",
    "presence:set": "Set yourself `online` or `away`; your company hears `presence`.",
    "room:join": "Enter a meeting or video call by its room code: joined, or waiting in the lobby.",
    "room:leave": "Leave the room you are in.",
    "lobby:admit": "Host: let a waiting participant in (also brings back one sent to the lobby).",
    "lobby:deny": "Host: turn a waiting participant away.",
    "rtc:offer": "Relay an SDP offer to one participant of the same room.",
    "rtc:answer": "Relay an SDP answer to one participant of the same room.",
    "rtc:ice": "Relay an ICE candidate to one participant of the same room.",
    "participant:update": "Change your media state (muted, video, screen, quality); the room hears it.",
    "host:mute": "Host: mute a participant.",
    "host:remove": "Host: remove a participant (they must be admitted again to come back).",
    "host:lobby": "Host: send a participant back to the lobby.",
    "room:end": "Host: end the room for everyone.",
    "recording:request": "Host allowed to record: ask everyone present for consent (asking is consenting).",
    "recording:consent": "Answer a consent request; one refusal cancels it.",
    "recording:stop": "Host: stop the recording.",
}
"""What each client event does, for events whose handler has no docstring (a docstring wins)."""


class TypingSignal(msgspec.Struct, kw_only=True, rename={"sender": "from"}):
    sender: int
    typing: bool


class SessionExpired(msgspec.Struct, kw_only=True):
    code: Literal["token_expired"]


class ServerReconnect(msgspec.Struct, kw_only=True):
    reason: Literal["shutdown"]
    """Why: this server process is stopping (`realtime.stopping`)."""


class RelayedDescription(msgspec.Struct, kw_only=True, rename={"sender": "from"}):
    sender: int
    """The participant id of the sender."""
    sdp: str
    type: Literal["offer", "answer"]


class RelayedCandidate(msgspec.Struct, kw_only=True, rename={"sender": "from"}):
    sender: int
    candidate: dict[str, Any] | str | None


class ExpiresIn(msgspec.Struct, kw_only=True):
    expires_in: int
    """Seconds until the renewed token expires."""


class PresenceStatus(msgspec.Struct, kw_only=True):
    status: Literal["online", "away"]


class MessageAck(msgspec.Struct, kw_only=True):
    message: MessageOut


class ReceiptAck(msgspec.Struct, kw_only=True):
    receipt: ReadReceipt


ACKS: dict[str, type[msgspec.Struct]] = {
    "message:send": MessageAck,
    "message:read": ReceiptAck,
    "presence:set": PresenceStatus,
    "auth:renew": ExpiresIn,
    "room:join": RoomSnapshot,
    "exam:join": SessionAck,
    "exam:answer": SessionAck,
    "exam:move": SessionAck,
    "exam:submit": SessionAck,
    "exam:event": RecordedAck,
    "exam:watch": WatchAck,
}
"""The fields an event's `{ok: true, request_id, ...}` ack adds; every other event's adds none."""


@dataclass(frozen=True, slots=True)
class PushDoc:
    name: str
    payload: type[Any]
    summary: str


PUSHES = (
    PushDoc("message:new", MessageOut, "A message to you, or one you sent from another socket."),
    PushDoc("message:read", ReadReceipt, "Your messages were read (to the sender's sockets)."),
    PushDoc("typing", TypingSignal, "Someone you may message started or stopped typing to you."),
    PushDoc("presence", UserPresence, "A user of your company went online, away or offline."),
    PushDoc("notification:new", NotificationOut, "A notification was stored for you."),
    PushDoc(
        "session:expired",
        SessionExpired,
        "The socket's access token expired without `auth:renew`; the socket is closed right after.",
    ),
    PushDoc(
        "server:reconnect",
        ServerReconnect,
        "This server is stopping: the socket is closed once its events in progress are acked; connect "
        "again (the Socket.IO client does on its own), another server answers. Live-room seats are kept "
        "for the usual grace period.",
    ),
    PushDoc("participant:joined", Participant, "Someone was admitted to the room you are in."),
    PushDoc("participant:left", ParticipantLeft, "Someone left, was removed or was sent back to the lobby."),
    PushDoc("participant:updated", ParticipantUpdated, "A participant's media state or seat changed."),
    PushDoc("lobby:knock", Knock, "To hosts: someone waits in the lobby (`lobby:admit` / `lobby:deny`)."),
    PushDoc(
        "lobby:admitted", RoomSnapshot, "You were let in from the lobby: the room as `room:join` answers it."
    ),
    PushDoc("lobby:denied", LobbyDenied, "A host refused you, or you refused the running recording."),
    PushDoc("lobby:returned", LobbyReturned, "A host sent you back to the lobby."),
    PushDoc("rtc:offer", RelayedDescription, "An SDP offer relayed from another participant."),
    PushDoc("rtc:answer", RelayedDescription, "An SDP answer relayed from another participant."),
    PushDoc("rtc:ice", RelayedCandidate, "An ICE candidate relayed from another participant (null: end)."),
    PushDoc(
        "recording:consent-request",
        ConsentRequest,
        "A host asks to record: answer with `recording:consent {granted}`.",
    ),
    PushDoc("recording:state", RecordingState, "The room's recording status changed."),
    PushDoc("room:ended", RoomEnded, "The room is over; its sockets leave it."),
    PushDoc("removed", Removed, "A host removed you from the room."),
    PushDoc(
        "exam:tick",
        Tick,
        "Every minute, to a live exam session's sockets and watchers: the server's remaining seconds.",
    ),
    PushDoc("exam:violation", ViolationPush, "To staff watching a session: a proctoring event was recorded."),
    PushDoc(
        "exam:submitted",
        Submitted,
        "The session was handed in, by its candidate or by the server at the deadline (`reason`).",
    ),
)
