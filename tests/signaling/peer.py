"""A real WebRTC peer (aiortc) that signals only through the Socket.IO room protocol.

Candidates are taken out of the SDP and sent one by one as `rtc:ice`, so a connection that
opens proves offer, answer and ICE all travelled through the signaling server. ICE uses host
candidates on 127.0.0.1 only (no STUN or TURN servers).
"""

from __future__ import annotations

import asyncio
from typing import Any

import aioice.ice
from aiortc import RTCConfiguration, RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from tests.realtime.harness import Client

CHANNEL = "chat"


def loopback_only(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    return ["127.0.0.1"] if use_ipv4 else []


aioice.ice.get_host_addresses = loopback_only


def split_candidates(sdp: str) -> tuple[str, list[dict[str, Any]]]:
    """The SDP without its candidate lines, and those candidates as RTCIceCandidateInit dicts."""
    kept, candidates, mid, index = [], [], None, -1
    for line in sdp.splitlines():
        if line.startswith("m="):
            index += 1
        if line.startswith("a=mid:"):
            mid = line.removeprefix("a=mid:")
        if line.startswith("a=candidate:"):
            candidates.append({"candidate": line.removeprefix("a="), "sdpMid": mid, "sdpMLineIndex": index})
        elif line != "a=end-of-candidates":
            kept.append(line)
    return "\r\n".join(kept) + "\r\n", candidates


class Peer:
    """One person in a room: a socket, and one RTCPeerConnection per other participant."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.me: int | None = None
        self.connections: dict[int, RTCPeerConnection] = {}
        self.channels: dict[int, RTCDataChannel] = {}
        self.inbox: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        self.opened: dict[int, asyncio.Event] = {}
        self._early_candidates: dict[int, list[dict[str, Any]]] = {}
        self.candidates_received: list[dict[str, Any] | None] = []
        sio = client.sio
        sio.on("rtc:offer", self._on_offer)
        sio.on("rtc:answer", self._on_answer)
        sio.on("rtc:ice", self._on_ice)

    async def join(self, room_code: str, password: str | None = None) -> dict[str, Any]:
        payload = {"room_code": room_code} | ({"password": password} if password is not None else {})
        ack: dict[str, Any] = await self.client.call("room:join", payload)
        if ack.get("ok"):
            self.me = ack["you"]["participant_id"]
        return ack

    def _connection(self, other: int) -> RTCPeerConnection:
        if other not in self.connections:
            pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
            self.connections[other] = pc
            self.opened.setdefault(other, asyncio.Event())

            @pc.on("datachannel")
            def on_datachannel(channel: RTCDataChannel) -> None:
                self._attach(other, channel)

        return self.connections[other]

    def _attach(self, other: int, channel: RTCDataChannel) -> None:
        self.channels[other] = channel

        @channel.on("message")
        def on_message(message: str) -> None:
            self.inbox.put_nowait((other, message))

        if channel.readyState == "open":
            self.opened[other].set()

        @channel.on("open")
        def on_open() -> None:
            self.opened[other].set()

    async def _send_description(self, other: int, pc: RTCPeerConnection, event: str) -> dict[str, Any]:
        sdp, candidates = split_candidates(pc.localDescription.sdp)
        ack: dict[str, Any] = await self.client.call(event, {"to": other, "sdp": sdp})
        for candidate in candidates:
            await self.client.call("rtc:ice", {"to": other, "candidate": candidate})
        await self.client.call("rtc:ice", {"to": other, "candidate": None})
        return ack

    async def call_peer(self, other: int) -> dict[str, Any]:
        """Offer a connection with a data channel to another participant."""
        pc = self._connection(other)
        self._attach(other, pc.createDataChannel(CHANNEL))
        await pc.setLocalDescription(await pc.createOffer())
        return await self._send_description(other, pc, "rtc:offer")

    async def _on_offer(self, data: dict[str, Any]) -> None:
        other = data["from"]
        pc = self._connection(other)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="offer"))
        await self._flush_candidates(other)
        await pc.setLocalDescription(await pc.createAnswer())
        await self._send_description(other, pc, "rtc:answer")

    async def _on_answer(self, data: dict[str, Any]) -> None:
        other = data["from"]
        await self.connections[other].setRemoteDescription(
            RTCSessionDescription(sdp=data["sdp"], type="answer")
        )
        await self._flush_candidates(other)

    async def _on_ice(self, data: dict[str, Any]) -> None:
        other = data["from"]
        self.candidates_received.append(data["candidate"])
        pc = self.connections.get(other)
        if pc is None or pc.remoteDescription is None:
            self._early_candidates.setdefault(other, []).append(data["candidate"])
            return
        await self._add_candidate(pc, data["candidate"])

    async def _flush_candidates(self, other: int) -> None:
        for candidate in self._early_candidates.pop(other, []):
            await self._add_candidate(self.connections[other], candidate)

    @staticmethod
    async def _add_candidate(pc: RTCPeerConnection, init: dict[str, Any] | None) -> None:
        if init is None:
            await pc.addIceCandidate(None)
            return
        candidate = candidate_from_sdp(init["candidate"].removeprefix("candidate:"))
        candidate.sdpMid = init["sdpMid"]
        candidate.sdpMLineIndex = init["sdpMLineIndex"]
        await pc.addIceCandidate(candidate)

    async def wait_open(self, other: int, timeout: float = 15) -> None:
        self.opened.setdefault(other, asyncio.Event())
        await asyncio.wait_for(self.opened[other].wait(), timeout)

    def send(self, other: int, text: str) -> None:
        self.channels[other].send(text)

    async def hang_up(self, other: int) -> None:
        """Close the connection to one participant (what a client does on `participant:left`)."""
        pc = self.connections.pop(other, None)
        self.channels.pop(other, None)
        self.opened.pop(other, None)
        self._early_candidates.pop(other, None)
        if pc is not None:
            await pc.close()

    async def close(self) -> None:
        for pc in self.connections.values():
            await pc.close()
        await self.client.close()
