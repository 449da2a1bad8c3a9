"""The recorder's WebRTC side: one receive-only aiortc connection per recorded participant.

The recorder always offers (its participant id is the largest, and the browser's mesh lets the
larger id offer), with one audio and one video transceiver, receive-only; its own candidates
travel inside the SDP, the participant's come as `rtc:ice`. A new socket of the same
participant (a reconnect) gets a fresh offer. Media is handed to the mixer frame by frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp

from server.settings import IceServer
from signaling.recorder.mixer import Mixer, Speaker

log = logging.getLogger(__name__)

Send = Callable[[int, str, dict[str, Any]], Awaitable[bool]]
"""Relay one event to a participant; False when they are no longer in the room."""


@dataclass
class Link:
    sid: str
    pc: RTCPeerConnection
    early: list[dict[str, Any] | None] = field(default_factory=list)
    pumps: list[asyncio.Task[None]] = field(default_factory=list)


def configuration(servers: list[IceServer]) -> RTCConfiguration:
    return RTCConfiguration(
        iceServers=[RTCIceServer(urls=s.urls, username=s.username, credential=s.credential) for s in servers]
    )


class Peers:
    def __init__(
        self,
        mixer: Mixer,
        send: Send,
        on_media: Callable[[int], None],
        ice_servers: list[IceServer],
    ) -> None:
        self.mixer = mixer
        self.send = send
        self.on_media = on_media
        """Called at the first frame of each participant (they are being recorded)."""
        self.ice_servers = ice_servers
        self.links: dict[int, Link] = {}

    def sids(self) -> dict[int, str]:
        return {pid: link.sid for pid, link in self.links.items()}

    async def offer(self, participant_id: int, sid: str, speaker: Speaker | None = None) -> None:
        await self.drop(participant_id)
        pc = RTCPeerConnection(configuration(self.ice_servers))
        link = Link(sid=sid, pc=pc)
        self.links[participant_id] = link
        self.mixer.add(participant_id, speaker)

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            link.pumps.append(asyncio.create_task(self._pump(participant_id, track)))

        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        sent = await self.send(participant_id, "rtc:offer", {"sdp": pc.localDescription.sdp, "type": "offer"})
        if not sent:
            await self.drop(participant_id)

    async def answer(self, participant_id: int, sdp: str) -> None:
        link = self.links.get(participant_id)
        if link is None or link.pc.signalingState != "have-local-offer":
            return
        await link.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        for candidate in link.early:
            await self._add(link.pc, candidate)
        link.early.clear()

    async def ice(self, participant_id: int, candidate: dict[str, Any] | str | None) -> None:
        link = self.links.get(participant_id)
        if link is None:
            return
        init = candidate if isinstance(candidate, dict) and candidate.get("candidate") else None
        if link.pc.remoteDescription is None:
            link.early.append(init)
            return
        await self._add(link.pc, init)

    @staticmethod
    async def _add(pc: RTCPeerConnection, init: dict[str, Any] | None) -> None:
        if init is None:
            await pc.addIceCandidate(None)  # end of candidates
            return
        found = candidate_from_sdp(str(init["candidate"]).removeprefix("candidate:"))
        found.sdpMid = init.get("sdpMid")
        found.sdpMLineIndex = init.get("sdpMLineIndex")
        with contextlib.suppress(Exception):  # a candidate we cannot use is not an error
            await pc.addIceCandidate(found)

    async def _pump(self, participant_id: int, track: MediaStreamTrack) -> None:
        first = True
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if first:
                first = False
                self.on_media(participant_id)
            if track.kind == "video":
                self.mixer.picture(participant_id, frame)  # type: ignore[arg-type]
            else:
                self.mixer.sound(participant_id, frame)  # type: ignore[arg-type]

    async def drop(self, participant_id: int) -> None:
        link = self.links.pop(participant_id, None)
        self.mixer.remove(participant_id)
        if link is None:
            return
        for pump in link.pumps:
            pump.cancel()
        await link.pc.close()
        await asyncio.gather(*link.pumps, return_exceptions=True)

    async def close(self) -> None:
        for participant_id in list(self.links):
            await self.drop(participant_id)
