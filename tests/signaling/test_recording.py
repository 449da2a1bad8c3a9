"""Recording consent as server state: nothing records until everyone present said yes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Meeting, MeetingParticipant
from models.enums import MeetingRole, RecordingStatus
from server.context import AppContext
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import Client
from tests.signaling.conftest import make_meeting


async def join(client: Client, code: str) -> dict[str, Any]:
    ack: dict[str, Any] = await client.call("room:join", {"room_code": code})
    return ack


async def recording_status(ctx: AppContext, meeting_id: int) -> RecordingStatus:
    async with ctx.sessionmaker() as db:
        return (await db.get_one(Meeting, meeting_id)).recording_status


async def consents(ctx: AppContext, meeting_id: int) -> dict[int, bool | None]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting_id))
        return {row.user_id: row.recording_consent for row in rows}


async def room_of_three(
    connect: ClientFactory, office: Office, session: AsyncSession, **fields: Any
) -> tuple[Meeting, Client, Client, Client]:
    meeting = await make_meeting(
        session,
        office,
        {
            office.admin.id: MeetingRole.HOST,
            office.alice.id: MeetingRole.INTERVIEWER,
            office.bob.id: MeetingRole.CANDIDATE,
        },
        recording_enabled=fields.pop("recording_enabled", True),
        **fields,
    )
    host, alice, bob = (
        await connect(office.admin.token),
        await connect(office.alice.token),
        await connect(office.bob.token),
    )
    for client in (host, alice, bob):
        assert (await join(client, meeting.room_id))["status"] == "joined"
    return meeting, host, alice, bob


async def test_recording_starts_only_when_every_present_participant_consented(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting, host, alice, bob = await room_of_three(connect, office, session)
    assert (await host.call("recording:request", {}))["ok"] is True
    for client in (alice, bob):
        assert len(await client.wait_for("recording:consent-request")) == 1
    assert await recording_status(ctx, meeting.id) is RecordingStatus.PENDING_CONSENT
    assert (await alice.call("recording:consent", {"granted": True}))["ok"] is True
    assert await recording_status(ctx, meeting.id) is RecordingStatus.PENDING_CONSENT
    assert (await bob.call("recording:consent", {"granted": True}))["ok"] is True
    started = await alice.wait_until("recording:state", lambda s: s["status"] == "recording")
    assert started["requested_by"] is not None
    assert await recording_status(ctx, meeting.id) is RecordingStatus.RECORDING
    assert await consents(ctx, meeting.id) == {
        office.admin.id: True,
        office.alice.id: True,
        office.bob.id: True,
    }
    async with ctx.sessionmaker() as db:
        audited = list(
            await db.scalars(
                select(AuditLog).where(
                    AuditLog.entity_type == "meeting_participants",
                    AuditLog.action == "meeting_participants.update",
                )
            )
        )
    assert sum(1 for row in audited if row.new_values.get("recording_consent") is True) == 3


async def test_one_refusal_keeps_recording_from_starting(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting, host, alice, bob = await room_of_three(connect, office, session)
    await host.call("recording:request", {})
    await host.call("recording:consent", {"granted": True})
    assert (await bob.call("recording:consent", {"granted": False}))["ok"] is True
    refused = await host.wait_until("recording:state", lambda s: s.get("refused_by") is not None)
    assert refused["status"] == "not_started"
    assert (await alice.call("recording:consent", {"granted": True}))["error"]["code"] == "no_consent_request"
    assert await recording_status(ctx, meeting.id) is RecordingStatus.NOT_STARTED
    assert (await consents(ctx, meeting.id))[office.bob.id] is False


async def test_only_a_host_who_may_record_asks(
    connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    _, host, alice, _ = await room_of_three(connect, office, session)
    assert (await alice.call("recording:request", {}))["error"]["code"] == "not_host"
    assert (await host.call("recording:request", {}))["ok"] is True
    assert (await host.call("recording:request", {}))["error"]["code"] == "recording_busy"


async def test_someone_joining_while_recording_is_asked_before_being_admitted(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting = await make_meeting(
        session,
        office,
        {
            office.admin.id: MeetingRole.HOST,
            office.alice.id: MeetingRole.INTERVIEWER,
            office.bob.id: MeetingRole.OBSERVER,
        },
        recording_enabled=True,
    )
    host, alice = await connect(office.admin.token), await connect(office.alice.token)
    await join(host, meeting.room_id)
    await join(alice, meeting.room_id)
    await host.call("recording:request", {})
    await host.call("recording:consent", {"granted": True})
    await alice.call("recording:consent", {"granted": True})
    await host.wait_until("recording:state", lambda s: s["status"] == "recording")
    late = await connect(office.bob.token)
    ack = await join(late, meeting.room_id)
    assert ack["status"] == "lobby"
    assert ack["room"]["recording"] == "recording"
    assert len(await late.wait_for("recording:consent-request")) == 1
    assert (await late.call("recording:consent", {"granted": True}))["ok"] is True
    [admitted] = await late.wait_for("lobby:admitted")
    assert admitted["status"] == "joined"
    assert (await host.wait_until("participant:joined", lambda p: p["user_id"] == office.bob.id))[
        "seat"
    ] == "participant"


async def test_a_late_joiner_who_refuses_is_not_admitted(
    connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    meeting = await make_meeting(
        session,
        office,
        {office.admin.id: MeetingRole.HOST, office.bob.id: MeetingRole.OBSERVER},
        recording_enabled=True,
    )
    host = await connect(office.admin.token)
    await join(host, meeting.room_id)
    await host.call("recording:request", {})
    await host.call("recording:consent", {"granted": True})
    await host.wait_until("recording:state", lambda s: s["status"] == "recording")
    late = await connect(office.bob.token)
    assert (await join(late, meeting.room_id))["status"] == "lobby"
    await late.call("recording:consent", {"granted": False})
    assert await late.wait_for("lobby:denied") == [{"reason": "recording"}]
    assert (await late.call("participant:update", {"muted": True}))["error"]["code"] == "not_in_room"


async def test_recording_stops_when_asked_and_when_the_room_ends(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting, host, alice, bob = await room_of_three(connect, office, session)
    await host.call("recording:request", {})
    for client in (host, alice, bob):
        await client.call("recording:consent", {"granted": True})
    await host.wait_until("recording:state", lambda s: s["status"] == "recording")
    assert (await alice.call("recording:stop", {}))["error"]["code"] == "not_host"
    assert (await host.call("recording:stop", {}))["ok"] is True
    await bob.wait_until("recording:state", lambda s: s["status"] == "stopped")
    assert await recording_status(ctx, meeting.id) is RecordingStatus.STOPPED
    await host.call("recording:request", {})
    for client in (host, alice, bob):
        await client.call("recording:consent", {"granted": True})
    await host.wait_until(
        "recording:state", lambda s: s["status"] == "recording" and len(host.received["recording:state"]) > 3
    )
    await host.call("room:end", {})
    await alice.wait_for("room:ended")
    assert await recording_status(ctx, meeting.id) is RecordingStatus.STOPPED


async def test_a_room_without_recording_enabled_refuses_to_record_and_asks_nobody(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting, host, alice, _ = await room_of_three(connect, office, session, recording_enabled=False)
    refused = await host.call("recording:request", {})
    assert refused["error"]["code"] == "recording_disabled"
    assert await recording_status(ctx, meeting.id) is RecordingStatus.NOT_STARTED
    assert (await alice.call("recording:consent", {"granted": True}))["error"]["code"] == "no_consent_request"
    assert alice.received["recording:consent-request"] == []
    assert host.received["recording:state"] == []


async def test_asking_is_consenting_so_a_host_alone_records_at_once(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting = await make_meeting(session, office, {office.admin.id: MeetingRole.HOST}, recording_enabled=True)
    host = await connect(office.admin.token)
    await join(host, meeting.room_id)
    assert (await host.call("recording:request", {}))["ok"] is True
    await host.wait_until("recording:state", lambda s: s["status"] == "recording")
    assert host.received["recording:consent-request"] == []
    assert await recording_status(ctx, meeting.id) is RecordingStatus.RECORDING
    assert await consents(ctx, meeting.id) == {office.admin.id: True}


async def test_a_room_that_needs_no_consent_records_at_once_and_admits_late_joiners(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting, host, alice, bob = await room_of_three(
        connect, office, session, recording_consent_required=False
    )
    assert (await host.call("recording:request", {}))["ok"] is True
    for client in (host, alice, bob):
        state = await client.wait_until("recording:state", lambda s: s["status"] == "recording")
        assert state["requested_by"] is not None
        assert client.received["recording:consent-request"] == []
    assert await recording_status(ctx, meeting.id) is RecordingStatus.RECORDING
    assert await consents(ctx, meeting.id) == {
        office.admin.id: None,
        office.alice.id: None,
        office.bob.id: None,
    }
    await bob.call("room:leave", {})
    again = await join(bob, meeting.room_id)
    assert (again["status"], again["room"]["recording"]) == ("joined", "recording")
