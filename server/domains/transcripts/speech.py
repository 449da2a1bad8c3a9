"""The speech-to-text port: what an engine is given (one participant's audio) and what it answers.

An engine gets one audio track as 16 kHz mono 16-bit PCM and answers what was said in it, in
timed pieces relative to the start of that PCM. Knowing nothing of files, rows or speakers, an
engine is swapped by the environment (`config`) without the job changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SAMPLE_RATE = 16_000
"""What pocketsphinx's bundled model expects, and plenty for speech sent to a remote engine."""
SAMPLE_BYTES = 2


@dataclass(frozen=True, slots=True)
class Track:
    """One audio stream of a recording: whose voice it carries, and its samples.

    `offset` is where the PCM starts in the recording, in seconds (a participant who joined
    late is recorded from then); `speaker` and `user_id` come from the stream's metadata and
    are None when the recorder wrote none (a mixed track, a file made elsewhere).
    """

    index: int
    speaker: str | None
    user_id: int | None
    language: str | None
    offset: float
    pcm: bytes

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (SAMPLE_RATE * SAMPLE_BYTES)


@dataclass(frozen=True, slots=True)
class Spoken:
    """A stretch of speech, in seconds from the start of the track's PCM."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Heard:
    """An engine's answer for one track: the language it heard (or assumed) and the speech."""

    language: str | None
    spoken: list[Spoken]


class UnsupportedLanguage(ValueError):
    """The chosen engine cannot transcribe this language (pocketsphinx knows English only)."""


class SpeechEngine(Protocol):
    name: str

    async def transcribe(self, track: Track) -> Heard:
        """What was said in `track`; `UnsupportedLanguage` when the engine cannot hear it."""
        ...


LANGUAGE_CODES = {"eng": "en", "english": "en", "jpn": "ja", "japanese": "ja", "日本語": "ja"}
UNDETERMINED = {"", "und", "mul", "zxx", "mis"}


def language_code(raw: str | None) -> str | None:
    """A BCP 47 primary tag (`en`, `ja`) from what containers and engines say (`eng`, `japanese`,
    `ja-JP`); None when it says nothing definite."""
    if raw is None:
        return None
    primary = raw.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary in UNDETERMINED:
        return None
    code = LANGUAGE_CODES.get(primary, primary)
    return code if code.isascii() and code.isalpha() and 2 <= len(code) <= 3 else None
