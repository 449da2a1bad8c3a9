"""What the API says about transcripts and summaries, and the shapes their JSON columns hold."""

from __future__ import annotations

from datetime import datetime

import msgspec

from models.enums import ProcessingStatus
from server.schemas import Id


class Segment(msgspec.Struct, kw_only=True):
    """One stretch of speech: seconds from the start of the recording, and who spoke it.

    `speaker` is the name the recorder gave the participant's audio track, `user_id` their user
    when the track says so; both are null for a track that names nobody (a mixed track).
    """

    start: float
    end: float
    speaker: str | None = None
    user_id: int | None = None
    text: str


class ActionItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Something someone said will be done; `assignee_id` is the speaker when they committed
    themselves ("I will", 「やります」), `due` the deadline as it was said ("by Friday", 「金曜までに」)."""

    text: str
    speaker: str | None = None
    assignee_id: int | None = None
    due: str | None = None


class TalkTime(msgspec.Struct, kw_only=True):
    speaker: str | None
    user_id: int | None
    seconds: float
    share: float
    """Of all speech in the transcript, 0 to 1."""


class TranscriptSummary(msgspec.Struct, kw_only=True):
    """A transcript in a list: everything but its text."""

    id: int
    meeting_id: int
    recording_id: int | None
    company_id: int
    language: str
    status: ProcessingStatus
    segment_count: int
    created_at: datetime
    updated_at: datetime


class TranscriptOut(TranscriptSummary, kw_only=True):
    content: str | None
    segments: list[Segment]


class SummaryOut(msgspec.Struct, kw_only=True):
    id: int
    meeting_id: int
    transcript_id: int | None
    company_id: int
    status: ProcessingStatus
    summary: str | None
    key_points: list[str]
    action_items: list[ActionItem]
    talk_time: list[TalkTime]
    """Each speaker's share of the transcript's speech (computed from its segments)."""
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class TranscriptRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    recording_id: Id
    """A recording of this meeting; its transcript is made (again)."""


class SummaryRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    transcript_id: Id
    """A transcript of this meeting; its summary is made (again)."""


def segments_of(raw: object) -> list[Segment]:
    """The segments a `segments` column holds (an empty list for none or a malformed value)."""
    try:
        return msgspec.convert(raw or [], list[Segment], strict=False)
    except msgspec.ValidationError:
        return []
