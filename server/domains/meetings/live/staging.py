"""The room store as one transaction sees it: reads see its own writes, and the writes reach
the shared store only after the commit.

A join writes the database (the participant row) and the shared store (the member). If the
shared write happened first and the commit then failed, every process would see a participant
the database never had. So the live-room service works on a `StagedRoomStore`: writes are
kept in order and replayed on the real store by one after-commit effect, and dropped with the
other effects when the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from server import effects
from server.domains.meetings.live.state import (
    Member,
    Recording,
    RelayEnds,
    RoomStore,
    read_relay_ends,
)

Write = Callable[[RoomStore], Awaitable[object]]


class StagedRoomStore:
    def __init__(self, store: RoomStore, db: AsyncSession) -> None:
        self.store = store
        self.db = db
        self._writes: list[Write] = []
        self._members: dict[str, dict[int, Member | None]] = {}
        """Members this transaction put (a copy) or dropped (None), by room."""
        self._cleared: set[str] = set()
        self._bans: dict[tuple[str, int], bool] = {}
        self._recording: dict[str, Recording] = {}

    def _stage(self, write: Write) -> None:
        if not self._writes:
            effects.after_commit(self.db, self._flush, "room state")
        self._writes.append(write)

    async def _flush(self) -> None:
        for write in self._writes:
            await write(self.store)
        self._writes.clear()

    # --- reads: this transaction's writes over the shared state -----------------------------

    async def get(self, room: str, participant_id: int) -> Member | None:
        staged = self._members.get(room, {})
        if participant_id in staged:
            found = staged[participant_id]
            return msgspec.structs.replace(found) if found is not None else None
        if room in self._cleared:
            return None
        return await self.store.get(room, participant_id)

    async def members(self, room: str) -> list[Member]:
        shared = [] if room in self._cleared else await self.store.members(room)
        staged = self._members.get(room, {})
        found = {m.participant_id: m for m in shared if m.participant_id not in staged}
        found.update({pid: msgspec.structs.replace(m) for pid, m in staged.items() if m is not None})
        return list(found.values())

    async def seat(self, sid: str) -> tuple[str, int] | None:
        for room, staged in self._members.items():
            for pid, member in staged.items():
                if member is not None and member.sid == sid:
                    return room, pid
        held = await self.store.seat(sid)
        return None if held is not None and self._gone(*held) else held

    async def relay_ends(self, sid: str, to: int) -> RelayEnds | None:
        if self._members or self._cleared:
            return await read_relay_ends(self, sid, to)
        return await self.store.relay_ends(sid, to)

    def _gone(self, room: str, participant_id: int) -> bool:
        """Whether this transaction dropped the member or cleared its room."""
        staged = self._members.get(room, {})
        return room in self._cleared or (participant_id in staged and staged[participant_id] is None)

    async def is_banned(self, room: str, user_id: int) -> bool:
        if (room, user_id) in self._bans:
            return self._bans[(room, user_id)]
        return False if room in self._cleared else await self.store.is_banned(room, user_id)

    async def recording(self, room: str) -> Recording:
        if room in self._recording:
            found = self._recording[room]
            return msgspec.structs.replace(found, consents=dict(found.consents))
        return Recording() if room in self._cleared else await self.store.recording(room)

    # --- writes: staged, replayed after the commit ------------------------------------------

    async def put(self, room: str, member: Member, expires_in: float) -> None:
        copy = msgspec.structs.replace(member)
        self._members.setdefault(room, {})[member.participant_id] = copy
        self._stage(lambda store: store.put(room, copy, expires_in))

    async def drop(self, room: str, participant_id: int, sid: str | None = None) -> Member | None:
        present = await self.get(room, participant_id)
        if present is not None and sid is not None and present.sid != sid:
            return None
        self._members.setdefault(room, {})[participant_id] = None
        # Replayed with the same condition: a new socket may take the seat before the commit.
        self._stage(lambda store: store.drop(room, participant_id, sid))
        return present

    async def ban(self, room: str, user_id: int, banned: bool) -> None:
        self._bans[(room, user_id)] = banned
        self._stage(lambda store: store.ban(room, user_id, banned))

    async def set_recording(self, room: str, recording: Recording) -> None:
        copy = msgspec.structs.replace(recording, consents=dict(recording.consents))
        self._recording[room] = copy
        self._stage(lambda store: store.set_recording(room, copy))

    async def clear(self, room: str) -> None:
        self._cleared.add(room)
        self._members.pop(room, None)
        self._recording.pop(room, None)
        for key in [k for k in self._bans if k[0] == room]:
            del self._bans[key]
        self._stage(lambda store: store.clear(room))
