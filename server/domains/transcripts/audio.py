"""A recording's audio tracks, decoded with PyAV into what speech engines read.

Each audio stream is one participant's voice when the recorder wrote one stream per participant:
its metadata names them (`title`, which MP4 keeps as `name`; `user_id`; `language`, ISO 639-2 as
containers store it). A stream titled `mixed` (or tagged `mixed=1`) is everyone at once: it is
skipped when per-participant streams exist, so nothing is transcribed twice, and transcribed with
no speaker otherwise. Each stream is resampled to 16 kHz mono s16; a jump in its timestamps (a
participant's audio paused) becomes silence, so every segment keeps its time in the recording.

PyAV (about 20 MiB of a process) is imported by the functions that decode, as in
`recordings.tracks`: a process that never touches media never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.domains.transcripts.speech import SAMPLE_BYTES, SAMPLE_RATE, Track, language_code

GAP_SECONDS = 0.05
"""A timestamp jump longer than this is filled with silence."""
MIXED_TITLES = {"mix", "mixed", "all", "room"}


def _resampler() -> Any:
    import av

    return av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)


class UnreadableMedia(ValueError):
    """The file is no media PyAV can decode, or has no audio: retrying will not change that."""


@dataclass(slots=True)
class _Decoding:
    meta: dict[str, str]
    resampler: Any = field(default_factory=_resampler)
    offset: float | None = None
    pcm: bytearray = field(default_factory=bytearray)

    def add(self, frame: Any) -> None:
        if self.offset is None:
            self.offset = max(0.0, float(frame.time or 0.0))
        elif frame.time is not None:
            missing = float(frame.time) - self.offset - len(self.pcm) / (SAMPLE_RATE * SAMPLE_BYTES)
            if missing > GAP_SECONDS:
                self.pcm += bytes(int(missing * SAMPLE_RATE) * SAMPLE_BYTES)
        self._take(self.resampler.resample(frame))

    def finish(self) -> None:
        self._take(self.resampler.resample(None))

    def _take(self, frames: list[Any]) -> None:
        for out in frames:
            self.pcm += bytes(out.planes[0])[: out.samples * SAMPLE_BYTES]


def _metadata(stream: Any) -> dict[str, str]:
    return {str(key).lower(): str(value) for key, value in dict(stream.metadata).items()}


def _is_mixed(meta: dict[str, str]) -> bool:
    return (
        meta.get("mixed", "").lower() in {"1", "true", "yes"}
        or (_speaker(meta) or "").lower() in MIXED_TITLES
    )


def _speaker(meta: dict[str, str]) -> str | None:
    name = (meta.get("title") or meta.get("name") or "").strip()
    return name or None


def _user_id(meta: dict[str, str]) -> int | None:
    raw = (meta.get("user_id") or meta.get("participant_user_id") or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


@dataclass(frozen=True, slots=True)
class Voice:
    """An audio stream to transcribe and whose voice it carries (None: nobody named)."""

    index: int
    speaker: str | None
    user_id: int | None
    language: str | None


def voices(path: Path) -> list[Voice]:
    """The streams worth transcribing, from the file's metadata alone (blocking)."""
    import av

    try:
        with av.open(str(path)) as container:
            streams = {stream.index: _metadata(stream) for stream in container.streams.audio}
    except av.FFmpegError as exc:
        raise UnreadableMedia(f"the recording cannot be opened: {exc}") from exc
    if not streams:
        raise UnreadableMedia("the recording has no audio stream")
    named = {index: meta for index, meta in streams.items() if not _is_mixed(meta)}
    return [
        Voice(
            index=index,
            speaker=_speaker(meta) if named else None,
            user_id=_user_id(meta) if named else None,
            language=language_code(meta.get("language")),
        )
        for index, meta in sorted((named or streams).items())
    ]


def decode(path: Path, voice: Voice) -> Track:
    """One stream's samples (blocking). One stream at a time, so an hour-long meeting holds one
    participant's 115 MB of PCM in memory, not everyone's."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = next(s for s in container.streams.audio if s.index == voice.index)
            decoding = _Decoding(_metadata(stream))
            for packet in container.demux(stream):
                for frame in packet.decode():
                    decoding.add(frame)
            decoding.finish()
    except av.FFmpegError as exc:
        raise UnreadableMedia(f"the recording cannot be decoded: {exc}") from exc
    return Track(
        index=voice.index,
        speaker=voice.speaker,
        user_id=voice.user_id,
        language=voice.language,
        offset=decoding.offset or 0.0,
        pcm=bytes(decoding.pcm),
    )
