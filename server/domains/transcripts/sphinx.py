"""The offline engine: pocketsphinx with the US English model its wheel ships.

Nothing is downloaded at run time and nothing leaves the machine, which makes it the default of
a fresh install and of the tests. It knows English only and is approximate (CMU's acoustic
model: clear speech comes out mostly right, names and crosstalk less so). A track is cut at its
pauses by pocketsphinx's voice-activity segmenter, each stretch decoded as one utterance, and
an utterance split again at long silences inside it so that segments stay caption-sized.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from server.domains.transcripts.speech import (
    SAMPLE_BYTES,
    SAMPLE_RATE,
    Heard,
    Spoken,
    Track,
    UnsupportedLanguage,
)

FRAMES_PER_SECOND = 100
"""pocketsphinx's word times are in 10 ms frames."""
PAUSE_SECONDS = 0.5
"""A silence this long inside an utterance starts a new segment."""
LONGEST_SEGMENT_SECONDS = 15.0
NOT_WORDS = {"<s>", "</s>", "<sil>"}
TRAILING_SILENCE_SECONDS = 1.0
"""Appended before segmenting: pocketsphinx's segmenter drops a last stretch of speech that no
long enough silence closes (a recording stopped mid-sentence, a track of speech to its end)."""


class PocketsphinxEngine:
    name = "pocketsphinx"

    async def transcribe(self, track: Track) -> Heard:
        if track.language not in (None, "en"):
            raise UnsupportedLanguage(
                f"pocketsphinx transcribes English only, not {track.language!r}: "
                "set TRANSCRIPTION_API_URL for other languages"
            )
        spoken = await asyncio.to_thread(decode, track.pcm)
        return Heard(language="en", spoken=spoken)


def _word(raw: str) -> str | None:
    """The word of a hypothesis entry: `don't(2)` is `don't`; silences and noises are none."""
    if raw in NOT_WORDS or raw.startswith(("[", "+", "<")):
        return None
    return raw.split("(", 1)[0] or None


def decode(pcm: bytes) -> list[Spoken]:
    """Speech of 16 kHz mono s16 PCM, in seconds from its start (blocking)."""
    from pocketsphinx import Decoder, Segmenter  # type: ignore[import-untyped]

    decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
    spoken: list[Spoken] = []
    padded = pcm + bytes(int(TRAILING_SILENCE_SECONDS * SAMPLE_RATE) * SAMPLE_BYTES)
    for region in Segmenter(sample_rate=SAMPLE_RATE).segment(io.BytesIO(padded)):
        decoder.start_utt()
        decoder.process_raw(region.pcm, full_utt=True)
        decoder.end_utt()
        spoken += _split(float(region.start_time), list(decoder.seg()))
    return spoken


def _split(origin: float, entries: list[Any]) -> list[Spoken]:
    """An utterance's words, grouped into segments at pauses and at the length limit."""
    segments: list[Spoken] = []
    words: list[str] = []
    start = end = 0.0
    for entry in entries:
        at = origin + entry.start_frame / FRAMES_PER_SECOND
        until = origin + (entry.end_frame + 1) / FRAMES_PER_SECOND
        word = _word(entry.word)
        pause = entry.word == "<sil>" and until - at >= PAUSE_SECONDS
        if words and (pause or (word and until - start > LONGEST_SEGMENT_SECONDS)):
            segments.append(Spoken(round(start, 3), round(end, 3), " ".join(words)))
            words = []
        if word is None:
            continue
        if not words:
            start = at
        words.append(word)
        end = until
    if words:
        segments.append(Spoken(round(start, 3), round(end, 3), " ".join(words)))
    return segments
