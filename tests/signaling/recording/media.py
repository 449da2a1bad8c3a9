"""Real media for recording tests: a peer that sends generated video and a spoken sentence to
the recorder, and the sentence itself, spoken by espeak-ng (Debian's `espeak-ng`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from aiortc import RTCSessionDescription, VideoStreamTrack
from aiortc.contrib.media import MediaPlayer

from server.domains.meetings.live.recorder import RECORDER_ID
from tests.backends import IN_CI
from tests.realtime.harness import Client
from tests.signaling.peer import Peer

SENTENCE = "The quick brown fox jumps over the lazy dog."


def spoken_sentence(folder: Path) -> Path:
    """A WAV of `SENTENCE`, made by espeak-ng; the test skips when it is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        message = "espeak-ng is not installed (apt-get install espeak-ng)"
        if IN_CI:
            pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
        pytest.skip(message)
    wav = folder / "sentence.wav"
    subprocess.run([espeak, "-w", str(wav), SENTENCE], check=True)  # noqa: S603 - fixed arguments
    return wav


def padded(wav: Path, folder: Path, seconds: float = 1.0) -> Path:
    """The WAV followed by `seconds` of silence, so a looped sentence pauses between repeats."""
    out_path = folder / f"{wav.stem}-padded.wav"
    with av.open(str(wav)) as source, av.open(str(out_path), "w", format="wav") as out:
        rate = source.streams.audio[0].rate
        stream: Any = out.add_stream("pcm_s16le", rate=rate, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        pcm = [
            f.to_ndarray().reshape(-1) for frame in source.decode(audio=0) for f in resampler.resample(frame)
        ]
        samples = np.concatenate([*pcm, np.zeros(int(seconds * rate), np.int16)]).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts = rate, 0
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return out_path


class Bars(VideoStreamTrack):
    """A small moving picture, different for each sender (its shade)."""

    def __init__(self, shade: int) -> None:
        super().__init__()
        self.shade = shade
        self.count = 0

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        picture = np.full((240, 320, 3), self.shade, np.uint8)
        offset = (self.count * 8) % 320
        picture[:, offset : offset + 40] = 255
        self.count += 1
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts, frame.time_base = pts, time_base
        return frame


class MediaPeer(Peer):
    """A participant with a camera and a microphone: they answer the recorder's offer with both."""

    def __init__(self, client: Client, wav: Path, shade: int) -> None:
        super().__init__(client)
        self.wav = wav
        self.shade = shade
        self.players: list[MediaPlayer] = []
        self.you: dict[str, Any] = {}
        """Who the room says they are: their entry of `room:join`'s participants (display name...)."""

    async def join(self, room_code: str, password: str | None = None) -> dict[str, Any]:
        ack = await super().join(room_code, password)
        mine = [p for p in ack.get("participants", []) if p.get("participant_id") == self.me]
        self.you = mine[0] if mine else {}
        return ack

    async def _on_offer(self, data: dict[str, Any]) -> None:
        other = data["from"]
        pc = self._connection(other)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="offer"))
        if other == RECORDER_ID:
            player = MediaPlayer(str(self.wav), loop=True)
            self.players.append(player)
            assert player.audio is not None
            pc.addTrack(player.audio)
            pc.addTrack(Bars(self.shade))
        await self._flush_candidates(other)
        await pc.setLocalDescription(await pc.createAnswer())
        await self._send_description(other, pc, "rtc:answer")

    async def close(self) -> None:
        for player in self.players:
            if player.audio is not None:
                player.audio.stop()
        await super().close()


def probe_file(path: Path) -> tuple[float, set[str], int]:
    """The file's duration (from its packets), its kinds of tracks, and video frames decoded."""
    end, kinds = 0.0, set[str]()
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            kinds.add(packet.stream.type)
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    return end, kinds, frames


def audio_tags(path: Path) -> list[dict[str, str]]:
    """Each audio stream's metadata (keys lowercased), in stream order."""
    with av.open(str(path)) as container:
        return [{str(k).lower(): str(v) for k, v in s.metadata.items()} for s in container.streams.audio]


def loudness(path: Path, audio: int = 0) -> float:
    """The RMS of an audio stream's decoded samples, as floats in [-1, 1] (silence is 0)."""
    with av.open(str(path)) as container:
        samples = [frame.to_ndarray().astype(np.float64).ravel() for frame in container.decode(audio=audio)]
    joined = np.concatenate(samples) if samples else np.zeros(1)
    return float(np.sqrt(np.mean(joined**2)))
