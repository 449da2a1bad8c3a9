"""What the API says about interviews and their notes, and what it accepts.

Times are instants with an offset (`AwareDateTime`; a naive one is refused) and are answered in
UTC; `timezone` is the IANA zone the interview is held in (default Asia/Tokyo), used for the
calendar invite and by clients to show local times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from models.enums import InterviewDecision, InterviewStatus, InterviewType, NoteVisibility
from server.schemas import AwareDateTime, Id, Title

MAX_MINUTES = 24 * 60
Text = Annotated[str, msgspec.Meta(max_length=10_000)]
"""TEXT holds 65,535 bytes on MySQL: 10,000 characters fit even as 4-byte UTF-8."""
NoteText = Annotated[str, msgspec.Meta(min_length=1, max_length=10_000, pattern=r"\S")]
Location = Annotated[str, msgspec.Meta(max_length=255)]
Url = Annotated[str, msgspec.Meta(max_length=500, pattern=r"^https?://\S+$")]
TimeZone = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
"""An IANA time zone name (`Asia/Tokyo`, `UTC`, `Europe/Berlin`), checked against the zone database."""
Minutes = Annotated[int, msgspec.Meta(ge=1, le=MAX_MINUTES)]
Rating = Annotated[int, msgspec.Meta(ge=1, le=5)]
Reason = Annotated[str, msgspec.Meta(max_length=1_000)]


InterviewAction = Literal["schedule", "confirm", "start", "complete", "cancel"]
"""`schedule`: `POST .../schedule`; the others: `POST .../status` to confirmed, in_progress,
completed or cancelled."""


class InterviewOut(msgspec.Struct, kw_only=True):
    """`notes`, `feedback`, `rating` and `decision` are the interviewers' business: an answer to
    the interview's candidate has no such keys at all."""

    id: int
    title: str
    description: str | None
    position_id: int | None
    candidate_id: int | None
    recruiter_id: int | None
    company_id: int
    created_by: int
    status: InterviewStatus
    interview_type: InterviewType
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    timezone: str
    duration_minutes: int | None
    location: str | None
    meeting_url: str | None
    meeting_id: int | None
    """The video meeting of an online interview once it is scheduled (null otherwise)."""
    room_id: str | None
    """The room code to join that meeting with."""
    actions: list[InterviewAction]
    """The moves you may make now, in this order; `[]` when none (see `moves`)."""
    created_at: datetime
    updated_at: datetime
    notes: str | msgspec.UnsetType | None = msgspec.UNSET
    feedback: str | msgspec.UnsetType | None = msgspec.UNSET
    rating: int | msgspec.UnsetType | None = msgspec.UNSET
    decision: InterviewDecision | msgspec.UnsetType | None = msgspec.UNSET


class InterviewCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """With `scheduled_start` the interview is created `scheduled` (its people are notified);
    without, `pending_schedule`. The end is `scheduled_end`, or `duration_minutes` after the start
    (default 60); given both, they must agree."""

    title: Title
    description: Text | None = None
    candidate_id: Id | None = None
    """A candidate of the interview's company."""
    recruiter_id: Id | None = None
    """Staff of the interview's company; default: you, when you are."""
    position_id: Id | None = None
    """A position of the interview's company, or a publicly listed one of another company."""
    interview_type: InterviewType = InterviewType.ONLINE
    scheduled_start: AwareDateTime | None = None
    scheduled_end: AwareDateTime | None = None
    duration_minutes: Minutes | None = None
    timezone: TimeZone = "Asia/Tokyo"
    location: Location | None = None
    meeting_url: Url | None = None
    notes: Text | None = None
    company_id: Id | None = None
    """Only a system_admin names the company; everyone else creates interviews of their own."""


class InterviewUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The schedule changes through `POST /api/interviews/{id}/schedule`, the status through
    `POST /api/interviews/{id}/status`; the candidate of an interview never changes."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    recruiter_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    position_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    interview_type: InterviewType | msgspec.UnsetType = msgspec.UNSET
    timezone: TimeZone | msgspec.UnsetType = msgspec.UNSET
    location: Location | msgspec.UnsetType | None = msgspec.UNSET
    meeting_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    notes: Text | msgspec.UnsetType | None = msgspec.UNSET


class Schedule(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Schedule a pending interview, or move a scheduled or confirmed one (its status stays)."""

    scheduled_start: AwareDateTime
    scheduled_end: AwareDateTime | None = None
    duration_minutes: Minutes | None = None
    """Without `scheduled_end`: the end is this long after the start (default: the interview's duration)."""
    timezone: TimeZone | None = None


class StatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: InterviewStatus
    reason: Reason | None = None
    """Told to the people notified of a cancellation."""


class Feedback(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    feedback: Text | msgspec.UnsetType | None = msgspec.UNSET
    rating: Rating | msgspec.UnsetType | None = msgspec.UNSET
    decision: InterviewDecision | msgspec.UnsetType | None = msgspec.UNSET


class InterviewFilters(msgspec.Struct, kw_only=True, frozen=True):
    status: InterviewStatus | None = None
    interview_type: InterviewType | None = None
    candidate_id: Id | None = None
    recruiter_id: Id | None = None
    position_id: Id | None = None
    company_id: Id | None = None
    starts_from: AwareDateTime | None = None
    """Scheduled to start at or after this instant."""
    starts_before: AwareDateTime | None = None
    """Scheduled to start strictly before this instant."""
    q: str | None = None
    """Words in the title (case-insensitive)."""


class NoteOut(msgspec.Struct, kw_only=True):
    id: int
    interview_id: int
    author_id: int
    company_id: int
    content: str
    visibility: NoteVisibility
    created_at: datetime
    updated_at: datetime


class NoteCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    content: NoteText
    visibility: NoteVisibility = NoteVisibility.PRIVATE


class NoteUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    content: NoteText | msgspec.UnsetType = msgspec.UNSET
    visibility: NoteVisibility | msgspec.UnsetType = msgspec.UNSET


class NoteFilters(msgspec.Struct, kw_only=True, frozen=True):
    visibility: NoteVisibility | None = None
    author_id: Id | None = None
