"""Recordings as the recorder writes them: one audio stream per participant, named by metadata.

The spoken sentences are WAV files under `tests/fixtures/speech/`, made once with espeak-ng
(Debian) and resampled to 16 kHz mono:

    espeak-ng -v en-us+f2 -s 160 -g 8 -w report-on-monday.wav "we will send the report on monday"
    espeak-ng -v en-us+f3 -s 160 -g 8 -w call-me-tomorrow.wav "please call me tomorrow morning"

so the tests need neither espeak-ng nor its exact version to hear the same audio.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from server.context import AppContext

SPEECH = Path(__file__).resolve().parents[2] / "fixtures" / "speech"
REPORT = SPEECH / "report-on-monday.wav"
""""we will send the report on monday" (a woman's voice)."""
CALL = SPEECH / "call-me-tomorrow.wav"
""""please call me tomorrow morning" (another voice)."""
CODECS = {"webm": ("libopus", 48_000, "video/webm"), "mp4": ("aac", 48_000, "video/mp4")}


@dataclass(frozen=True)
class Voice:
    wav: Path
    start: float
    """Seconds into the recording at which this participant's audio begins."""
    title: str | None = None
    language: str | None = "eng"
    user_id: int | None = None


def _frames(wav: Path, rate: int, fmt: str) -> list[Any]:
    resampler = av.AudioResampler(format=fmt, layout="mono", rate=rate)
    with av.open(str(wav)) as source:
        frames = [out for frame in source.decode(audio=0) for out in resampler.resample(frame)]
    return frames + resampler.resample(None)


def write_recording(path: Path, voices: list[Voice], container: str = "webm") -> None:
    """A WebM/Opus or MP4/AAC file with one mono stream per voice, tagged as the recorder tags them."""
    codec, rate, _ = CODECS[container]
    with av.open(str(path), "w", format=container) as out:
        streams: list[Any] = []
        for voice in voices:
            stream: Any = out.add_stream(codec, rate=rate, layout="mono")
            for key, value in (
                ("title", voice.title),
                ("language", voice.language),
                ("user_id", voice.user_id),
            ):
                if value is not None:
                    stream.metadata[key] = str(value)
            streams.append(stream)
        for voice, stream in zip(voices, streams, strict=True):
            pts = round(voice.start * rate)
            for frame in _frames(voice.wav, rate, stream.codec_context.format.name):
                frame.pts, frame.time_base = pts, Fraction(1, rate)
                pts += frame.samples
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))


async def store(ctx: AppContext, local: Path, key: str) -> str:
    """Put a local file into the app's storage under `key`, as the recorder does."""
    staging = ctx.storage.staging_dir
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / local.name
    shutil.copyfile(local, staged)
    await ctx.storage.put(key, staged, local.stat().st_size)
    return key
