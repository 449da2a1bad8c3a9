"""Fixtures of the signaling tests: rooms of both kinds, and WebRTC peers joining them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, VideoCall
from models.enums import MeetingRole, MeetingType
from server.context import AppContext
from server.domains.meetings.codes import new_room_code, new_room_id
from tests.realtime.fixtures import Cluster, Office
from tests.realtime.harness import Client, LiveServer
from tests.signaling.peer import Peer


async def make_call(
    session: AsyncSession,
    ctx: AppContext,
    office: Office | Cluster,
    password: str | None = None,
    **fields: Any,
) -> VideoCall:
    now = datetime.now(UTC)
    call = VideoCall(
        room_code=new_room_code(),
        title=fields.pop("title", "採用面談"),
        host_id=fields.pop("host_id", office.admin.id),
        scheduled_start=fields.pop("scheduled_start", now - timedelta(minutes=5)),
        scheduled_end=fields.pop("scheduled_end", now + timedelta(hours=1)),
        company_id=office.company.id,
        password_required=password is not None,
        room_password=ctx.passwords.hash(password) if password is not None else None,
        **fields,
    )
    session.add(call)
    await session.commit()
    return call


async def make_meeting(
    session: AsyncSession, office: Office, invited: dict[int, MeetingRole], **fields: Any
) -> Meeting:
    """A meeting created by the office admin, with `invited` user ids in their roles."""
    now = datetime.now(UTC)
    meeting = Meeting(
        title=fields.pop("title", "一次面接"),
        meeting_type=MeetingType.INTERVIEW,
        scheduled_start=now - timedelta(minutes=5),
        scheduled_end=now + timedelta(hours=1),
        room_id=new_room_id(),
        company_id=office.company.id,
        created_by=office.admin.id,
        **fields,
    )
    session.add(meeting)
    await session.flush()
    for user_id, role in invited.items():
        session.add(
            MeetingParticipant(
                meeting_id=meeting.id, user_id=user_id, role=role, can_record=role is MeetingRole.HOST
            )
        )
    await session.commit()
    return meeting


PeerFactory = Callable[..., Coroutine[Any, Any, Peer]]


@pytest.fixture
async def peer(live: LiveServer) -> AsyncIterator[PeerFactory]:
    """Open a WebRTC peer with its socket, as someone; all are closed after the test."""
    opened: list[Peer] = []

    async def open_peer(token: str, url: str | None = None) -> Peer:
        client = Client()
        await client.connect(url or live.url, token)
        created = Peer(client)
        opened.append(created)
        return created

    yield open_peer
    for created in opened:
        await created.close()
