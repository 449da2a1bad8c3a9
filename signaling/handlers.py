"""Room events over Socket.IO, on the shared envelope of `realtime.protocol`.

This process remembers which room each of its sockets sits in (`seats`) and keeps those
members alive in the shared store. A socket that closes leaves its seat for `GRACE_SECONDS`,
so a reconnect (a new socket of the same participant) picks it up; after that, or after the
TTL when this whole process dies, any process's sweep removes the member.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import msgspec

from realtime.connection import Connections
from realtime.protocol import Ack, Call, EventLimit, Gateway, Outbox
from server.domains.meetings.rooms import Room, Rooms, load_room
from server.ratelimit import Limit
from signaling.rooms import NotInRoom, RoomLife
from signaling.schemas import Candidate, Consent, Description, Join, MediaUpdate, Nothing, Target
from signaling.state import Member, RoomStore, create_room_store

log = logging.getLogger(__name__)

GRACE_SECONDS = 10.0
JOINS = EventLimit(per_socket=Limit(10, 10), per_user=Limit(20, 10))
CONTROL = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))
RELAY = EventLimit(per_socket=Limit(400, 10), per_user=Limit(800, 10))
MEDIA = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))


class Signaling:
    def __init__(self, gateway: Gateway, connections: Connections) -> None:
        self.gateway = gateway
        self.sio = gateway.sio
        self.ctx = gateway.ctx
        self.store: RoomStore = create_room_store(self.ctx.redis)
        self.ttl = float(self.ctx.settings.presence_ttl_seconds)
        self.grace = min(GRACE_SECONDS, self.ttl)
        self.seats: dict[str, tuple[Room, int]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        connections.closing.append(self.socket_closed)
        self._register()

    def life(self, call: Call, room: Room) -> RoomLife:
        return RoomLife(self.sio, self.store, call.db, call.outbox, room, self.ttl)

    def seat_of(self, sid: str) -> tuple[Room, int]:
        seat = self.seats.get(sid)
        if seat is None:
            raise NotInRoom()
        return seat

    def _register(self) -> None:
        on = self.gateway.on

        @on("room:join", Join, JOINS)
        async def join(call: Call, data: Join) -> Ack:
            seated = self.seats.get(call.sid)
            if seated is not None and seated[0].code != data.room_code:
                await self._leave(call)  # one socket, one room: joining another leaves this one
            entry = await Rooms(call.db, call.principal).enter(
                data.room_code, data.password, self.ctx.passwords
            )
            answer = await self.life(call, entry.room).join(entry, call.sid)
            self.seats[call.sid] = (entry.room, entry.participant_id)
            return answer

        @on("room:leave", Nothing, CONTROL)
        async def leave(call: Call, _: Nothing) -> Ack:
            await self._leave(call)
            return {}

        @on("lobby:admit", Target, CONTROL)
        async def admit(call: Call, data: Target) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).admit(me, data.participant_id)
            return {}

        @on("lobby:deny", Target, CONTROL)
        async def deny(call: Call, data: Target) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).deny(me, data.participant_id)
            return {}

        async def relay(call: Call, event: str, to: int, payload: dict[str, Any]) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).relay(me, to, event, payload)
            return {}

        @on("rtc:offer", Description, RELAY)
        async def offer(call: Call, data: Description) -> Ack:
            return await relay(call, "rtc:offer", data.to, {"sdp": data.sdp, "type": "offer"})

        @on("rtc:answer", Description, RELAY)
        async def answer(call: Call, data: Description) -> Ack:
            return await relay(call, "rtc:answer", data.to, {"sdp": data.sdp, "type": "answer"})

        @on("rtc:ice", Candidate, RELAY)
        async def ice(call: Call, data: Candidate) -> Ack:
            return await relay(call, "rtc:ice", data.to, {"candidate": data.candidate})

        @on("participant:update", MediaUpdate, MEDIA)
        async def update(call: Call, data: MediaUpdate) -> Ack:
            room, me = self.seat_of(call.sid)
            life = self.life(call, room)
            changes = msgspec.structs.asdict(data)
            await life.update(
                await life.member(me), {k: v for k, v in changes.items() if v is not msgspec.UNSET}
            )
            return {}

        @on("host:mute", Target, CONTROL)
        async def mute(call: Call, data: Target) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).mute(me, data.participant_id)
            return {}

        @on("host:remove", Target, CONTROL)
        async def remove(call: Call, data: Target) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).remove(me, data.participant_id)
            self._forget(data.participant_id, room)
            return {}

        @on("room:end", Nothing, CONTROL)
        async def end(call: Call, _: Nothing) -> Ack:
            room, me = self.seat_of(call.sid)
            life = self.life(call, room)
            await life.host(me)
            await life.end(by=me)
            self._forget_room(room)
            return {}

        @on("recording:request", Nothing, CONTROL)
        async def request_recording(call: Call, _: Nothing) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).request_recording(me)
            return {}

        @on("recording:consent", Consent, CONTROL)
        async def consent(call: Call, data: Consent) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).consent(me, data.granted)
            return {}

        @on("recording:stop", Nothing, CONTROL)
        async def stop_recording(call: Call, _: Nothing) -> Ack:
            room, me = self.seat_of(call.sid)
            await self.life(call, room).stop_recording(me)
            return {}

    async def _leave(self, call: Call) -> None:
        room, me = self.seat_of(call.sid)
        del self.seats[call.sid]
        member = await self.store.get(room.key, me)
        if member is not None and member.sid == call.sid:
            await self.sio.leave_room(call.sid, f"room:{room.key}")
            await self.life(call, room).depart(member)

    def _forget(self, participant_id: int, room: Room) -> None:
        for sid, (seat_room, seat_id) in list(self.seats.items()):
            if seat_room.key == room.key and seat_id == participant_id:
                del self.seats[sid]

    def _forget_room(self, room: Room) -> None:
        for sid, (seat_room, _) in list(self.seats.items()):
            if seat_room.key == room.key:
                del self.seats[sid]

    async def socket_closed(self, sid: str) -> None:
        """Keep the seat for the grace period; the sweep removes it unless the person comes back."""
        seat = self.seats.pop(sid, None)
        if seat is not None:
            room, participant_id = seat
            member = await self.store.get(room.key, participant_id)
            if member is not None and member.sid == sid:
                await self.store.keep_alive([(room.key, participant_id)], self.grace)

    # --- the heartbeat ---------------------------------------------------------------------

    def start(self) -> None:
        self._sweeper = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper

    async def _beat(self) -> None:
        interval = max(0.2, self.ttl / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.store.keep_alive([(room.key, pid) for room, pid in self.seats.values()], self.ttl)
                for key, member in await self.store.claim_expired():
                    await self._expire(key, member)
            except Exception:
                log.exception("room heartbeat failed; retrying")

    async def _expire(self, key: str, member: Member) -> None:
        log.warning(
            "participant %s of %s expired: its socket closed or its process stopped",
            member.participant_id,
            key,
        )
        outbox = Outbox()
        async with self.ctx.transaction() as db:
            room = await load_room(db, key)
            if room is None:
                return
            await RoomLife(self.sio, self.store, db, outbox, room, self.ttl).depart(member)
        await outbox.send(self.sio)
