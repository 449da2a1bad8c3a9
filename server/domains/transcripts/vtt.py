"""A transcript as WebVTT (W3C), for a video player's captions: one cue per segment, its speaker
as a voice span (`<v Alice Tanaka>`). Cue text cannot hold `&`, `<` or `-->`, nor a blank
line, so those are escaped or folded: a transcript's words never break the file."""

from __future__ import annotations

from server.domains.transcripts.schemas import Segment

MEDIA_TYPE = "text/vtt"


def timestamp(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    whole, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}.{millis:03d}"


def _escaped(text: str) -> str:
    folded = " ".join(text.split())
    return folded.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(segments: list[Segment]) -> str:
    cues = ["WEBVTT"]
    for number, segment in enumerate(segments, start=1):
        text = _escaped(segment.text)
        if segment.speaker:
            text = f"<v {_escaped(segment.speaker)}>{text}"
        cues.append(f"{number}\n{timestamp(segment.start)} --> {timestamp(segment.end)}\n{text}")
    return "\n\n".join(cues) + "\n"
