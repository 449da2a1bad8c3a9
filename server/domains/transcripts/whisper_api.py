"""The remote engine: an OpenAI-compatible `/v1/audio/transcriptions` endpoint, for Japanese.

Whisper-family models (faster-whisper-server, whisper.cpp's server, a hosted API) transcribe
Japanese, which pocketsphinx cannot, and English better than it. A track is sent as WAV in
pieces of at most `CHUNK_SECONDS` (hosted APIs refuse uploads over 25 MB; ten minutes of 16 kHz
mono is 19 MB), with `response_format=verbose_json` so the answer has timed segments; a track's
language, when its metadata gives one, is passed as a hint, else the server detects it.
"""

from __future__ import annotations

import io
import wave
from typing import Any

import httpx
import msgspec

from server.domains.transcripts import remote
from server.domains.transcripts.speech import (
    SAMPLE_BYTES,
    SAMPLE_RATE,
    Heard,
    Spoken,
    Track,
    language_code,
)

CHUNK_SECONDS = 600
TIMEOUT_SECONDS = 600.0


class _Segment(msgspec.Struct):
    start: float
    end: float
    text: str


class _Verbose(msgspec.Struct):
    text: str = ""
    language: str | None = None
    duration: float | None = None
    segments: list[_Segment] | None = None


def wav(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_BYTES)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


class WhisperApiEngine:
    name = "openai"

    def __init__(
        self, base_url: str, api_key: str | None, model: str, *, default_language: str | None
    ) -> None:
        self.url = remote.endpoint(base_url, "/audio/transcriptions")
        self.api_key = api_key
        self.model = model
        self.default_language = default_language

    async def transcribe(self, track: Track) -> Heard:
        language = track.language or self.default_language
        chunk_bytes = CHUNK_SECONDS * SAMPLE_RATE * SAMPLE_BYTES
        spoken: list[Spoken] = []
        heard: str | None = language
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, headers=remote.headers(self.api_key)) as client:
            for first in range(0, len(track.pcm), chunk_bytes):
                piece = track.pcm[first : first + chunk_bytes]
                answer = await self._post(client, piece, language)
                heard = heard or language_code(answer.language)
                spoken += _spoken(answer, first / (SAMPLE_RATE * SAMPLE_BYTES), len(piece))
        return Heard(language=heard, spoken=spoken)

    async def _post(self, client: httpx.AsyncClient, pcm: bytes, language: str | None) -> _Verbose:
        form: dict[str, Any] = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        }
        if language:
            form["language"] = language
        response = await client.post(
            self.url, data=form, files={"file": ("audio.wav", wav(pcm), "audio/wav")}
        )
        remote.check(response)
        try:
            return msgspec.json.decode(response.content, type=_Verbose)
        except msgspec.DecodeError as exc:
            raise remote.RemoteRefused(f"{self.url} answered no verbose_json transcription: {exc}") from exc


def _spoken(answer: _Verbose, origin: float, piece_bytes: int) -> list[Spoken]:
    """Segments moved to the track's time; a server that sends only `text` gives one segment."""
    length = piece_bytes / (SAMPLE_RATE * SAMPLE_BYTES)
    if answer.segments is None:
        text = answer.text.strip()
        return (
            [Spoken(round(origin, 3), round(origin + (answer.duration or length), 3), text)] if text else []
        )
    return [
        Spoken(round(origin + s.start, 3), round(origin + max(s.end, s.start), 3), s.text.strip())
        for s in answer.segments
        if s.text.strip()
    ]
