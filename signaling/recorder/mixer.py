"""One WebM file per room: every recorded participant's video in a grid (VP8) and their voices
mixed (Opus), written with PyAV as the recording goes.

Why one mixed file: it is what people play back (any browser plays WebM VP8 + Opus, and seeks
in it through range requests), it costs one encode whatever the number of participants, and
a participant joining later needs no new file or track (Matroska fixes its tracks in the
header). The price: the file holds no separate track per speaker.

The wall clock drives the file: every tick writes the audio and video due since the start,
silence and black where nothing arrived, so its duration is the time recorded. Video frames
the encoder cannot keep up with are skipped (never delayed). The muxer writes a live stream,
a cluster a second with a keyframe each, flushed as it goes: a process killed mid-recording
leaves a file playable up to its last whole cluster.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from pathlib import Path

import av
import numpy as np

WIDTH, HEIGHT, FPS = 640, 360, 15
RATE = 48_000
CHUNK = 960
"""Samples per Opus frame (20 ms)."""
PREBUFFER = 3 * CHUNK
"""A voice is mixed in once this much arrived, so network jitter does not cut it up."""
MAX_BUFFER = RATE // 2
MUXER = {"live": "1", "cluster_time_limit": "1000", "flush_packets": "1"}


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
        self.width, self.height, self.fps = width, height, fps
        self.container = av.open(str(path), "w", format="webm", options=MUXER)
        video = self.container.add_stream(
            "libvpx", rate=fps, options={"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 800_000
        video.codec_context.gop_size = fps
        audio = self.container.add_stream("libopus", rate=RATE)
        audio.layout, audio.format, audio.bit_rate = "mono", "s16", 48_000
        self.video, self.audio = video, audio
        self._frames: dict[int, av.VideoFrame | None] = {}
        self._voices: dict[int, _Voice] = {}
        self._lock = threading.Lock()
        """Guards what the tracks feed (the event loop) against the writer (a thread)."""
        self._writing = threading.Lock()
        """One writer at a time: a tick still running in its thread, and the close."""
        self._start: float | None = None
        self._video_pts = 0
        self._audio_pts = 0
        self.closed = False

    # --- fed by the participants' tracks (event loop) ----------------------------------------

    def add(self, participant_id: int) -> None:
        with self._lock:
            self._frames.setdefault(participant_id, None)
            self._voices.setdefault(participant_id, _Voice())

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
            parts = [voice.take(CHUNK) for voice in self._voices.values()]
        mixed = np.zeros(CHUNK, np.int32)
        for part in parts:
            if part is not None:
                mixed += part
        samples = np.clip(mixed, -32768, 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._audio_pts
        self._audio_pts += CHUNK
        for packet in self.audio.encode(frame):
            self.container.mux(packet)

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
