"""The room events of the meetings domain's live rooms (both kinds): parse, call one method of
`LiveRooms`, answer the ack. Pushes and room changes are the service's effects, sent after commit."""

from __future__ import annotations

import msgspec

from server.domains.meetings.live.payloads import (
    Candidate,
    Consent,
    Description,
    Join,
    MediaUpdate,
    Nothing,
    Target,
)
from server.domains.meetings.live.seats import LiveRooms
from server.ratelimit import Limit
from server.sockets import Ack, EventLimit, SocketCall, SocketEvents

JOINS = EventLimit(per_socket=Limit(10, 10), per_user=Limit(20, 10))
CONTROL = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))
RELAY = EventLimit(per_socket=Limit(400, 10), per_user=Limit(800, 10))
MEDIA = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))

events = SocketEvents()


def rooms(call: SocketCall) -> LiveRooms:
    return LiveRooms(call.db, call.ctx, call.principal)


@events.on("room:join", Join, JOINS)
async def join(call: SocketCall, data: Join) -> Ack:
    return await rooms(call).join(call.sid, data.room_code, data.password)


@events.on("room:leave", Nothing, CONTROL)
async def leave(call: SocketCall, _: Nothing) -> Ack:
    await rooms(call).leave(call.sid)
    return {}


@events.on("lobby:admit", Target, CONTROL)
async def admit(call: SocketCall, data: Target) -> Ack:
    await rooms(call).admit(call.sid, data.participant_id)
    return {}


@events.on("lobby:deny", Target, CONTROL)
async def deny(call: SocketCall, data: Target) -> Ack:
    await rooms(call).deny(call.sid, data.participant_id)
    return {}


@events.on("rtc:offer", Description, RELAY)
async def offer(call: SocketCall, data: Description) -> Ack:
    await rooms(call).relay(call.sid, data.to, "rtc:offer", {"sdp": data.sdp, "type": "offer"})
    return {}


@events.on("rtc:answer", Description, RELAY)
async def answer(call: SocketCall, data: Description) -> Ack:
    await rooms(call).relay(call.sid, data.to, "rtc:answer", {"sdp": data.sdp, "type": "answer"})
    return {}


@events.on("rtc:ice", Candidate, RELAY)
async def ice(call: SocketCall, data: Candidate) -> Ack:
    await rooms(call).relay(call.sid, data.to, "rtc:ice", {"candidate": data.candidate})
    return {}


@events.on("participant:update", MediaUpdate, MEDIA)
async def update(call: SocketCall, data: MediaUpdate) -> Ack:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    await rooms(call).update(call.sid, changes)
    return {}


@events.on("host:mute", Target, CONTROL)
async def mute(call: SocketCall, data: Target) -> Ack:
    await rooms(call).mute(call.sid, data.participant_id)
    return {}


@events.on("host:remove", Target, CONTROL)
async def remove(call: SocketCall, data: Target) -> Ack:
    await rooms(call).remove(call.sid, data.participant_id)
    return {}


@events.on("host:lobby", Target, CONTROL)
async def to_lobby(call: SocketCall, data: Target) -> Ack:
    await rooms(call).to_lobby(call.sid, data.participant_id)
    return {}


@events.on("room:end", Nothing, CONTROL)
async def end(call: SocketCall, _: Nothing) -> Ack:
    await rooms(call).end(call.sid)
    return {}


@events.on("recording:request", Nothing, CONTROL)
async def request_recording(call: SocketCall, _: Nothing) -> Ack:
    await rooms(call).request_recording(call.sid)
    return {}


@events.on("recording:consent", Consent, CONTROL)
async def consent(call: SocketCall, data: Consent) -> Ack:
    await rooms(call).answer_consent(call.sid, data.granted)
    return {}


@events.on("recording:stop", Nothing, CONTROL)
async def stop_recording(call: SocketCall, _: Nothing) -> Ack:
    await rooms(call).stop_recording(call.sid)
    return {}
