"""One recording's recorder (of a meeting or a video call), from its job's start to its stored file.

Exactly one per recording, so one per room (a room runs one recording at a time): the job
queue runs `recordings.record` once per recording (its key), and the recorder first takes the
recording's lease (`capture.recorder_leases`), which it renews with its seat in the room. It
listens to its mailbox before it takes its seat, so no answer to its offers is missed; then it
watches the room twice a second (who is present, whether this recording still runs) and stops
on its mailbox's `stop` (a host's stop, a withdrawn consent, the room's end) or when the room
says it no longer records. Stopping closes the file, leaves the room and finalizes the
recording. If the process dies instead, the lease expires and another process finalizes what
was written (`signaling.recorder.sweeper`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from models.enums import RecordingStatus
from server.context import AppContext
from server.domains.meetings.live import mailbox
from server.domains.meetings.live.recorder import RECORDER_ID, address, is_recorder, recording_of
from server.domains.meetings.live.seats import LiveRooms
from server.domains.meetings.live.state import Standing
from server.domains.recordings import capture, lifecycle, takes
from server.domains.recordings.rows import spool_path
from server.domains.recordings.takes import Ref
from server.errors import AppError
from server.heartbeat import interval_for
from signaling.recorder.mixer import Mixer, Speaker
from signaling.recorder.peers import Peers

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.5
TICK_SECONDS = 0.02


class PeerRecorder:
    """`capture.Recorder`, as `server.asgi` and `miraiworks worker` install it."""

    async def record(self, ctx: AppContext, ref: Ref) -> None:
        leases, ttl, name = capture.recorder_leases(ctx), capture.ttl(ctx), ref.name
        if await leases.alive(name) or not await leases.grant(name, ttl):
            log.warning("recording %s already has a recorder (or a dead one): not started", name)
            return
        try:
            async with ctx.sessionmaker() as db:
                take = await takes.load(db, ref)
            if take is None:
                return
            async with mailbox.listen(ctx, address(take.room_key, ref.id)) as inbox:
                key = await lifecycle.start(ctx, ref)
                if key is None:
                    return
                session = Session(ctx, key, ref, inbox)
                try:
                    await session.run()
                finally:
                    await session.close()
            await lifecycle.finalize(ctx, ref, partial=False)
        finally:
            await leases.release(name)


class Session:
    def __init__(self, ctx: AppContext, key: str, ref: Ref, inbox: asyncio.Queue[Any]) -> None:
        self.ctx, self.key, self.ref, self.inbox = ctx, key, ref, inbox
        self.recording_id = ref.id
        self.mixer = Mixer(spool_path(ctx.storage, ref))
        self.peers = Peers(self.mixer, self._send, self._recorded, list(ctx.settings.ice_servers))
        self.stopping = asyncio.Event()
        self.stopped_at: float | None = None
        self._noted: set[int] = set()
        self._background: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        tasks = [
            asyncio.create_task(self._renew(), name="recorder lease"),
            asyncio.create_task(self._watch(), name="recorder watch"),
            asyncio.create_task(self._read_mail(), name="recorder mail"),
            asyncio.create_task(self._write(), name="recorder writer"),
        ]
        stopped = asyncio.create_task(self.stopping.wait())
        await asyncio.wait([stopped, *tasks], return_when=asyncio.FIRST_COMPLETED)
        self.stopped_at = time.monotonic()
        for task in tasks:
            task.cancel()
        stopped.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task  # a task that failed raises here: the recording still closes

    async def close(self) -> None:
        # The file ends when the recording stopped, with everyone still in the picture: the
        # peers are closed after it (a browser's connection can take seconds to shut down).
        await asyncio.to_thread(self.mixer.close, self.stopped_at)
        await self.peers.close()
        await asyncio.gather(*self._background, return_exceptions=True)
        async with self.ctx.transaction() as db:
            await LiveRooms(db, self.ctx).unseat_recorder(self.key, self.recording_id)

    async def _renew(self) -> None:
        leases, ttl = capture.recorder_leases(self.ctx), capture.ttl(self.ctx)
        while True:
            if await leases.renew([self.ref.name], ttl):
                log.error("recording %s: its lease was taken (this process stalled); stopping", self.ref.name)
                self.stopping.set()
                return
            await self.ctx.rooms.keep_alive([(self.key, RECORDER_ID)], ttl)
            await asyncio.sleep(interval_for(ttl))

    async def _watch(self) -> None:
        rooms = self.ctx.rooms
        while True:
            current = await rooms.recording(self.key)
            me = await rooms.get(self.key, RECORDER_ID)
            running = (
                current.status == RecordingStatus.RECORDING and current.recording_id == self.recording_id
            )
            if not running or me is None or recording_of(me) != self.recording_id:
                self.stopping.set()
                return
            present = {
                m.participant_id: m
                for m in await rooms.members(self.key)
                if m.standing is Standing.JOINED and not is_recorder(m)
            }
            linked = self.peers.sids()
            for participant_id, member in present.items():
                if linked.get(participant_id) != member.sid:
                    speaker = Speaker(name=member.display_name, user_id=member.user_id or None)
                    await self.peers.offer(participant_id, member.sid, speaker)
            for participant_id in linked.keys() - present.keys():
                await self.peers.drop(participant_id)
            await asyncio.sleep(WATCH_SECONDS)

    async def _read_mail(self) -> None:
        while True:
            message = await self.inbox.get()
            event, sender = message.get("event"), message.get("from")
            if event == "stop":
                self.stopping.set()
                return
            if not isinstance(sender, int):
                continue
            try:
                if event == "rtc:answer" and isinstance(message.get("sdp"), str):
                    await self.peers.answer(sender, message["sdp"])
                elif event == "rtc:ice":
                    await self.peers.ice(sender, message.get("candidate"))
            except Exception:
                log.warning("recording %s: bad %s from %s", self.recording_id, event, sender, exc_info=True)

    async def _write(self) -> None:
        while True:
            await asyncio.to_thread(self.mixer.tick)
            await asyncio.sleep(TICK_SECONDS)

    async def _send(self, participant_id: int, event: str, data: dict[str, Any]) -> bool:
        try:
            async with self.ctx.transaction() as db:
                await LiveRooms(db, self.ctx).relay_as(self.key, RECORDER_ID, participant_id, event, data)
        except AppError:
            return False
        return True

    def _recorded(self, participant_id: int) -> None:
        if participant_id in self._noted:
            return
        self._noted.add(participant_id)
        task = asyncio.create_task(lifecycle.recorded(self.ctx, self.ref, participant_id))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
