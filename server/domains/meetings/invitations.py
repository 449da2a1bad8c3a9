"""Telling people that they were invited to a meeting or a video call.

Everyone given a participant row by an invitation (with a new meeting or call, or added later)
gets one notification linking to the room (`/r/{code}`, the page that reads
`GET /api/rooms/{code}` and joins); whoever invited is not told about their own invitation.
Notifications go through the one `notify` function, in the transaction of the invitation, and
are pushed (`notification:new`) only after it commits: a refused invitation tells nobody. The
time is shown in Asia/Tokyo, as the interviews' notices show theirs by default. Secrets (a
meeting's access code, a call's password) are never part of a notification.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from server.domains.meetings.rooms import Room, RoomKind
from server.domains.notifications.services import notify

TITLE_CHARS = 255
ZONE = "Asia/Tokyo"
CATEGORY = "meeting"


class Notice(StrEnum):
    MEETING = "meeting_invitation"
    CALL = "video_call_invitation"


HEADINGS = {Notice.MEETING: "Meeting invitation", Notice.CALL: "Video call invitation"}


def _notice(room: Room) -> Notice:
    return Notice.MEETING if room.kind is RoomKind.MEETING else Notice.CALL


def _id_key(room: Room) -> str:
    return "meeting_id" if room.kind is RoomKind.MEETING else "video_call_id"


def when(start: datetime, end: datetime) -> str:
    """`2030-04-01 10:00–11:00 (Asia/Tokyo)`."""
    zone = ZoneInfo(ZONE)
    start, end = start.astimezone(zone), end.astimezone(zone)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d %H:%M}–{end_text} ({ZONE})"


async def tell_invitees(
    db: AsyncSession, room: Room, invitees: Iterable[tuple[int, str]], *, actor_id: int
) -> None:
    """Notify each `(user_id, role)` invited to `room`, except the inviter `actor_id`."""
    told = [(user_id, role) for user_id, role in invitees if user_id != actor_id]
    if not told:
        return
    inviter = await db.get_one(User, actor_id)
    title = f"{HEADINGS[_notice(room)]}: {room.title}"[:TITLE_CHARS]
    message = (
        f"{room.title}, {when(room.scheduled_start, room.scheduled_end)}. "
        f"Invited by {inviter.last_name} {inviter.first_name}."
    )
    for user_id, role in told:
        await notify(
            db,
            user_id=user_id,
            type=_notice(room).value,
            title=title,
            message=message,
            category=CATEGORY,
            data={
                "kind": room.kind.value,
                _id_key(room): room.id,
                "room_code": room.code,
                "role": role,
                "scheduled_start": room.scheduled_start.isoformat(),
                "scheduled_end": room.scheduled_end.isoformat(),
                "invited_by": actor_id,
            },
            action_url=f"/r/{room.code}",
        )
