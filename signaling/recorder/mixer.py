"""One WebM file per room: every recorded participant's video in a grid (VP8) and their voices
mixed (Opus), plus each participant's voice alone, written with PyAV as the recording goes.

The room's file (grid + mix, its audio tagged `title=mixed`, `mixed=1`) is what people play
back; it costs one video encode whatever the number of participants. Each participant's voice
goes, from the moment it first flows, into a file of its own (`tracks.voice_path`, tagged with
their display name and user id) on the recording's clock, so it starts late with the right
timestamps rather than with silence: Matroska fixes its tracks in the header, so a participant
joining mid-recording cannot get a track of the room's file. Finalizing copies the voices into
the room's file (`server.domains.recordings.tracks.assemble`): one WebM, a track per speaker.

The wall clock drives the files: every tick writes the audio and video due since the start,
silence and black where nothing arrived, so the duration is the time recorded (a participant's
voice, once started, is written on every tick too: silence while they are away). Video frames
the encoder cannot keep up with are skipped (never delayed). The muxer writes live streams, a
cluster a second (the grid's with a keyframe), flushed as it goes: a process killed mid-recording
leaves files playable up to their last whole cluster.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

from server.domains.recordings.tracks import MIXED_TAGS, voice_path

log = logging.getLogger(__name__)

WIDTH, HEIGHT, FPS = 640, 360, 15
RATE = 48_000
CHUNK = 960
"""Samples per Opus frame (20 ms)."""
PREBUFFER = 3 * CHUNK
"""A voice is mixed in once this much arrived, so network jitter does not cut it up."""
MAX_BUFFER = RATE // 2
MUXER = {"live": "1", "cluster_time_limit": "1000", "flush_packets": "1"}
VOICE_BIT_RATE = 32_000


@dataclass(frozen=True, slots=True)
class Speaker:
    """Whose voice a participant's track is: the metadata of their audio stream."""

    name: str
    user_id: int | None = None
    language: str | None = None
    """ISO 639-2 (`eng`, `jpn`), as Matroska stores it; None when unknown."""

    def tags(self) -> dict[str, str]:
        tags = {"title": self.name or "participant"}
        if self.user_id is not None and self.user_id > 0:
            tags["user_id"] = str(self.user_id)
        if self.language:
            tags["language"] = self.language
        return tags


def _opus(container: Any, bit_rate: int) -> Any:
    stream = container.add_stream("libopus", rate=RATE)
    stream.layout, stream.format, stream.bit_rate = "mono", "s16", bit_rate
    return stream


def _audio_frame(samples: np.ndarray, pts: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = RATE
    frame.pts = pts
    return frame


class _Track:
    """One participant's voice alone, in its own live WebM, on the recording's clock."""

    def __init__(self, path: Path, speaker: Speaker, pts: int) -> None:
        self.container = av.open(str(path), "w", format="webm", options=MUXER)
        self.stream = _opus(self.container, VOICE_BIT_RATE)
        for key, value in speaker.tags().items():
            self.stream.metadata[key] = value
        self.pts = pts

    def write(self, part: np.ndarray | None) -> None:
        samples = np.zeros(CHUNK, np.int16) if part is None else np.clip(part, -32768, 32767).astype(np.int16)
        frame = _audio_frame(samples, self.pts)
        self.pts += CHUNK
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        try:
            for packet in self.stream.encode(None):
                self.container.mux(packet)
        finally:
            self.container.close()


class _Voice:
    def __init__(self) -> None:
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        self.chunks: deque[np.ndarray] = deque()
        self.samples = 0
        self.flowing = False

    def add(self, frame: av.AudioFrame) -> None:
        for out in self.resampler.resample(frame):
            data = out.to_ndarray().reshape(-1).astype(np.int16)
            self.chunks.append(data)
            self.samples += data.size
        while self.samples > MAX_BUFFER:
            self.samples -= self.chunks.popleft().size
        self.flowing = self.flowing or self.samples >= PREBUFFER

    def take(self, count: int) -> np.ndarray | None:
        if not self.flowing:
            return None
        out = np.zeros(count, np.int32)
        filled = 0
        while filled < count and self.chunks:
            head = self.chunks[0]
            used = min(count - filled, head.size)
            out[filled : filled + used] = head[:used]
            filled += used
            self.samples -= used
            if used == head.size:
                self.chunks.popleft()
            else:
                self.chunks[0] = head[used:]
        if filled < count:
            self.flowing = False  # ran dry: wait for a prebuffer again
        return out


class Mixer:
    def __init__(self, path: Path, width: int = WIDTH, height: int = HEIGHT, fps: int = FPS) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.width, self.height, self.fps = width, height, fps
        self.container = av.open(str(path), "w", format="webm", options=MUXER)
        video = self.container.add_stream(
            "libvpx", rate=fps, options={"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 800_000
        video.codec_context.gop_size = fps
        audio = _opus(self.container, 48_000)
        for key, value in MIXED_TAGS.items():
            audio.metadata[key] = value
        self.video, self.audio = video, audio
        self._frames: dict[int, av.VideoFrame | None] = {}
        self._voices: dict[int, _Voice] = {}
        self._speakers: dict[int, Speaker] = {}
        self._tracks: dict[int, _Track] = {}
        """Each participant's own voice file, once their audio flowed (kept when they leave)."""
        self._lock = threading.Lock()
        """Guards what the tracks feed (the event loop) against the writer (a thread)."""
        self._writing = threading.Lock()
        """One writer at a time: a tick still running in its thread, and the close."""
        self._start: float | None = None
        self._video_pts = 0
        self._audio_pts = 0
        self.closed = False

    # --- fed by the participants' tracks (event loop) ----------------------------------------

    def add(self, participant_id: int, speaker: Speaker | None = None) -> None:
        with self._lock:
            self._frames.setdefault(participant_id, None)
            self._voices.setdefault(participant_id, _Voice())
            self._speakers[participant_id] = speaker or self._speakers.get(
                participant_id, Speaker(name=f"participant {participant_id}")
            )

    def remove(self, participant_id: int) -> None:
        with self._lock:
            self._frames.pop(participant_id, None)
            self._voices.pop(participant_id, None)

    def picture(self, participant_id: int, frame: av.VideoFrame) -> None:
        with self._lock:
            if participant_id in self._frames:
                self._frames[participant_id] = frame

    def sound(self, participant_id: int, frame: av.AudioFrame) -> None:
        with self._lock:
            voice = self._voices.get(participant_id)
            if voice is not None:
                voice.add(frame)

    # --- the clock (a worker thread: encoding must not stall the peers) ----------------------

    @property
    def seconds(self) -> float:
        return self._audio_pts / RATE

    def tick(self, now: float | None = None) -> None:
        """Write everything due up to `now` (monotonic seconds)."""
        with self._writing:
            if not self.closed:
                self._tick(time.monotonic() if now is None else now)

    def _tick(self, now: float) -> None:
        if self._start is None:
            self._start = now
        elapsed = now - self._start
        while self._audio_pts + CHUNK <= elapsed * RATE:
            self._write_audio()
        due = math.floor(elapsed * self.fps)
        if due - self._video_pts > 2:
            self._video_pts = due - 1  # behind: skip frames rather than fall behind the clock
        while self._video_pts <= due:
            self._write_video()

    def _write_audio(self) -> None:
        with self._lock:
            parts = {pid: voice.take(CHUNK) for pid, voice in self._voices.items()}
            starting = {
                pid: self._speakers[pid]
                for pid, part in parts.items()
                if part is not None and pid not in self._tracks
            }
        for pid, speaker in starting.items():
            self._tracks[pid] = _Track(voice_path(self.path, pid), speaker, self._audio_pts)
        mixed = np.zeros(CHUNK, np.int32)
        for part in parts.values():
            if part is not None:
                mixed += part
        frame = _audio_frame(np.clip(mixed, -32768, 32767).astype(np.int16), self._audio_pts)
        self._audio_pts += CHUNK
        for packet in self.audio.encode(frame):
            self.container.mux(packet)
        for pid, track in self._tracks.items():
            track.write(parts.get(pid))

    def _write_video(self) -> None:
        frame = av.VideoFrame.from_ndarray(self._grid(), format="rgb24")
        frame.pts = self._video_pts
        self._video_pts += 1
        for packet in self.video.encode(frame):
            self.container.mux(packet)

    def _grid(self) -> np.ndarray:
        canvas = np.zeros((self.height, self.width, 3), np.uint8)
        with self._lock:
            frames = [self._frames[pid] for pid in sorted(self._frames)]
        if not frames:
            return canvas
        columns = math.ceil(math.sqrt(len(frames)))
        rows = math.ceil(len(frames) / columns)
        tile_w, tile_h = self.width // columns // 2 * 2, self.height // rows // 2 * 2
        for index, frame in enumerate(frames):
            if frame is None:
                continue
            row, column = divmod(index, columns)
            tile = frame.to_ndarray(format="rgb24", width=tile_w, height=tile_h)
            canvas[row * tile_h : (row + 1) * tile_h, column * tile_w : (column + 1) * tile_w] = tile
        return canvas

    def close(self, now: float | None = None) -> None:
        """Write what is due, flush the encoders and close the file."""
        with self._writing:
            if self.closed:
                return
            self.closed = True
            try:
                self._tick(time.monotonic() if now is None else now)
                for stream in (self.video, self.audio):
                    for packet in stream.encode(None):
                        self.container.mux(packet)
            finally:
                self.container.close()
                for track in self._tracks.values():
                    try:
                        track.close()
                    except (av.FFmpegError, OSError):
                        log.exception("a voice file of %s could not be closed", self.path)
