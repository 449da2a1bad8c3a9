"""Each user's private ICS feed: a secret URL calendar apps subscribe to, no login needed.

The URL is `/api/calendars/feed/<user_id>.<secret>.ics`. Only the secret's SHA-256 is kept (the
`calendar.feed_token` user setting), so the database cannot give the URL away: `rotate` makes a new
secret and shows its URL once; the old URL answers 404 from that moment. A wrong secret, a user
without a feed and a user who can no longer sign in all answer the same 404.

The feed holds the user's interviews (as recruiter, candidate or anyone seated on the meeting)
and their meetings that belong to no interview, from 90 days back, not cancelled: a subscribed
app drops what disappears from the feed. Interviews are the very events of their `.ics` invite
(`interviews.calendar.interview_event`, UID `interview-<id>@miraiworks`), meetings have the UID
`meeting-<id>@miraiworks`, so every refresh updates the same events.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Event
from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Interview, Meeting, MeetingParticipant, User, UserSetting
from models.enums import InterviewStatus, MeetingStatus
from server.auth.principal import Principal, account_usable
from server.domains.calendars.schemas import FeedOut
from server.domains.calendars.store import FEED_KEY, Store
from server.domains.interviews.access import GONE
from server.domains.interviews.calendar import ics, interview_event
from server.errors import NotFound

if TYPE_CHECKING:
    from server.context import AppContext

DAYS_BACK = timedelta(days=90)
MAX_EVENTS = 500
NAME = "MiraiWorks"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def not_found() -> NotFound:
    return NotFound("Calendar feed was not found.")


async def status(db: AsyncSession, principal: Principal) -> FeedOut:
    row = await db.scalar(
        select(UserSetting).where(
            UserSetting.user_id == principal.user_id, UserSetting.setting_key == FEED_KEY
        )
    )
    active = row is not None and bool(row.setting_value)
    return FeedOut(active=active, created_at=row.updated_at if row is not None and active else None)


async def rotate(db: AsyncSession, ctx: AppContext, principal: Principal) -> FeedOut:
    secret = secrets.token_urlsafe(32)
    description = "SHA-256 of the private calendar feed's secret"
    await Store(db, ctx.settings.secret_key).put(
        principal.user_id, FEED_KEY, _hash(secret), description=description
    )
    url = f"{ctx.settings.public_base_url}/api/calendars/feed/{principal.user_id}.{secret}.ics"
    return FeedOut(active=True, url=url, created_at=datetime.now(UTC))


async def render(db: AsyncSession, ctx: AppContext, name: str) -> bytes:
    """The feed named `<user_id>.<secret>.ics`; 404 for anything else."""
    user_part, _, secret = name.removesuffix(".ics").partition(".")
    if not name.endswith(".ics") or not user_part.isdigit() or not secret or len(user_part) > 10:
        raise not_found()
    user_id = int(user_part)
    stored = await Store(db, ctx.settings.secret_key).get(user_id, FEED_KEY)
    if not isinstance(stored, str) or not hmac.compare_digest(stored, _hash(secret)):
        raise not_found()
    user = await db.get(User, user_id)
    company = await db.get(Company, user.company_id) if user is not None and user.company_id else None
    if user is None or not account_usable(user, company):
        raise not_found()
    since = datetime.now(UTC) - DAYS_BACK
    events = [await interview_event(db, interview) for interview in await _interviews(db, user_id, since)]
    events += [_meeting_event(ctx, meeting) for meeting in await _meetings(db, user_id, since)]
    return ics(events, method=None, name=NAME)


async def _interviews(db: AsyncSession, user_id: int, since: datetime) -> list[Interview]:
    seated = exists().where(
        Meeting.interview_id == Interview.id,
        MeetingParticipant.meeting_id == Meeting.id,
        MeetingParticipant.user_id == user_id,
        MeetingParticipant.status.not_in(GONE),
    )
    rows = await db.scalars(
        select(Interview)
        .where(
            Interview.is_deleted.is_(False),
            Interview.status != InterviewStatus.CANCELLED,
            Interview.scheduled_start.is_not(None),
            Interview.scheduled_end.is_not(None),
            Interview.scheduled_start >= since,
            or_(Interview.recruiter_id == user_id, Interview.candidate_id == user_id, seated),
        )
        .order_by(Interview.scheduled_start, Interview.id)
        .limit(MAX_EVENTS)
    )
    return list(rows)


async def _meetings(db: AsyncSession, user_id: int, since: datetime) -> list[Meeting]:
    rows = await db.scalars(
        select(Meeting)
        .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .where(
            MeetingParticipant.user_id == user_id,
            MeetingParticipant.status.not_in(GONE),
            Meeting.interview_id.is_(None),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.scheduled_start >= since,
        )
        .order_by(Meeting.scheduled_start, Meeting.id)
        .limit(MAX_EVENTS)
    )
    return list(rows)


def _meeting_event(ctx: AppContext, meeting: Meeting) -> Event:
    link = f"{ctx.settings.public_base_url}/rooms/{meeting.room_id}"
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@miraiworks")
    event.add("dtstamp", datetime.now(UTC))
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.scheduled_start.astimezone(UTC))
    event.add("dtend", meeting.scheduled_end.astimezone(UTC))
    event.add("summary", meeting.title)
    event.add("status", "CONFIRMED")
    event.add("location", f"MiraiWorks room {meeting.room_id}")
    event.add("url", link)
    event.add("description", "\n\n".join(part for part in (meeting.description, link) if part))
    return event
