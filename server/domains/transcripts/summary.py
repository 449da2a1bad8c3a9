"""The summary port: a transcript's segments in, a summary, key points and action items out.

Talk time is not the engine's business: it is counted from the segments' durations
(`talk_time`) whichever engine wrote the summary, so the numbers are the same for both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from server.domains.transcripts.schemas import ActionItem, Segment, TalkTime


@dataclass(frozen=True, slots=True)
class Draft:
    summary: str
    key_points: list[str] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)


class SummaryEngine(Protocol):
    name: str

    async def summarize(self, segments: list[Segment], language: str) -> Draft: ...


def talk_time(segments: list[Segment]) -> list[TalkTime]:
    """Each speaker's seconds of speech and share of all of it, most talkative first."""
    seconds: dict[tuple[str | None, int | None], float] = defaultdict(float)
    for segment in segments:
        seconds[(segment.speaker, segment.user_id)] += max(0.0, segment.end - segment.start)
    total = sum(seconds.values())
    shares = [
        TalkTime(
            speaker=speaker,
            user_id=user_id,
            seconds=round(spoken, 3),
            share=round(spoken / total, 4) if total else 0.0,
        )
        for (speaker, user_id), spoken in seconds.items()
    ]
    return sorted(shares, key=lambda t: (-t.seconds, t.speaker or ""))


def shares_line(shares: list[TalkTime], language: str) -> str:
    """`Talk time: Alice 60%, Bob 40%.` (「発言時間: 田中 60%、佐藤 40%。」 for Japanese)."""
    unnamed = "(不明)" if language == "ja" else "(unknown)"
    parts = [f"{t.speaker or unnamed} {round(t.share * 100)}%" for t in shares]
    if language == "ja":
        return "発言時間: " + "、".join(parts) + "。"
    return "Talk time: " + ", ".join(parts) + "."
