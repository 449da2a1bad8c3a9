"""The room protocol: who gets in, the lobby, relays, host controls and the database record."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, VideoCall, VideoCallParticipant
from models.enums import CompanyType, MeetingRole, ParticipantStatus
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_company, make_user
from tests.realtime.fixtures import ClientFactory, Office, sign_in
from tests.realtime.harness import Client, LiveServer
from tests.signaling.conftest import make_call, make_meeting


async def join(client: Client, code: str, password: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"room_code": code}
    if password is not None:
        payload["password"] = password
    ack: dict[str, Any] = await client.call("room:join", payload)
    return ack


def error(ack: dict[str, Any]) -> str:
    assert ack["ok"] is False, ack
    code: str = ack["error"]["code"]
    return code


async def test_the_join_ack_is_a_snapshot_of_the_room(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, title="定例")
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    hosted = await join(host, call.room_code)
    ack = await join(guest, call.room_code)
    assert ack["status"] == "joined"
    assert ack["room"] == {
        "kind": "video_call",
        "code": call.room_code,
        "title": "定例",
        "recording": "not_started",
    }
    assert [p["participant_id"] for p in ack["participants"]] == [
        hosted["you"]["participant_id"],
        ack["you"]["participant_id"],
    ]
    assert ack["you"]["seat"] == "participant"
    assert hosted["you"]["seat"] == "host"


async def test_a_wrong_password_is_refused_and_the_right_one_admits(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, password="sakura-2026")
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    assert (await join(host, call.room_code))["status"] == "joined"  # hosts need no password
    assert error(await join(guest, call.room_code, "guess")) == "wrong_password"
    assert error(await join(guest, call.room_code)) == "wrong_password"
    assert (await join(guest, call.room_code, "sakura-2026"))["status"] == "joined"


async def test_a_full_room_refuses_one_more(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, max_participants=2)
    host, alice, bob = [await connect(p.token) for p in (office.admin, office.alice, office.bob)]
    assert (await join(host, call.room_code))["status"] == "joined"
    assert (await join(alice, call.room_code))["status"] == "joined"
    assert error(await join(bob, call.room_code)) == "room_full"


async def test_another_tenants_room_code_and_a_made_up_one_are_not_found(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext, http: httpx.AsyncClient
) -> None:
    call = await make_call(session, ctx, office)
    rival = await make_company(session, CompanyType.EMPLOYER)
    stranger = await make_user(session, ctx.passwords, rival, RoleName.EMPLOYER)
    await session.commit()
    outsider = await connect((await sign_in(http, stranger)).token)
    assert error(await join(outsider, call.room_code)) == "room_not_found"
    assert error(await join(outsider, "zzzz-zzzz-zzzz")) == "room_not_found"


async def test_waiting_room_knock_admit_and_deny(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, waiting_room=True)
    host, alice, bob = (
        await connect(office.admin.token),
        await connect(office.alice.token),
        await connect(office.bob.token),
    )
    await join(host, call.room_code)
    waiting = await join(alice, call.room_code)
    assert waiting["status"] == "lobby"
    assert waiting["participants"] == [] or all(
        p["participant_id"] != waiting["you"]["participant_id"] for p in waiting["participants"]
    )
    [knock] = await host.wait_for("lobby:knock")
    assert knock["participant_id"] == waiting["you"]["participant_id"]
    assert (await host.call("lobby:admit", {"participant_id": knock["participant_id"]}))["ok"] is True
    [admitted] = await alice.wait_for("lobby:admitted")
    assert admitted["status"] == "joined"
    denied_one = await join(bob, call.room_code)
    [_, knock_bob] = await host.wait_for("lobby:knock", 2)
    assert (await host.call("lobby:deny", {"participant_id": knock_bob["participant_id"]}))["ok"] is True
    assert await bob.wait_for("lobby:denied") == [{"reason": "host"}]
    assert denied_one["status"] == "lobby"


async def test_only_a_host_admits(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, waiting_room=True)
    host, alice, bob = (
        await connect(office.admin.token),
        await connect(office.alice.token),
        await connect(office.bob.token),
    )
    await join(host, call.room_code)
    alice_knock = await join(alice, call.room_code)
    await host.call("lobby:admit", {"participant_id": alice_knock["you"]["participant_id"]})
    bob_knock = await join(bob, call.room_code)
    assert (
        error(await alice.call("lobby:admit", {"participant_id": bob_knock["you"]["participant_id"]}))
        == "not_host"
    )


async def test_early_arrivals_wait_for_the_host_and_are_announced_when_it_comes(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    alice = await connect(office.alice.token)
    early = await join(alice, call.room_code)
    assert early["status"] == "lobby"
    host = await connect(office.admin.token)
    assert (await join(host, call.room_code))["status"] == "joined"
    [knock] = await host.wait_for("lobby:knock")
    assert knock["participant_id"] == early["you"]["participant_id"]


async def test_a_removed_participant_cannot_come_back_without_a_new_admit(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, alice = await connect(office.admin.token), await connect(office.alice.token)
    host_id = (await join(host, call.room_code))["you"]["participant_id"]
    joined = await join(alice, call.room_code)
    alice_id = joined["you"]["participant_id"]
    assert (await host.call("host:remove", {"participant_id": alice_id}))["ok"] is True
    assert await alice.wait_for("removed") == [{"by": host_id}]
    [left] = await host.wait_for("participant:left")
    assert left == {"participant_id": alice_id, "reason": "removed"}
    still_hosting = await join(host, call.room_code)
    assert [p["participant_id"] for p in still_hosting["participants"]] == [host_id]
    again = await join(alice, call.room_code)
    assert again["status"] == "lobby"
    assert error(await alice.call("rtc:offer", {"to": 1, "sdp": "v=0"})) == "not_in_room"
    async with ctx.sessionmaker() as db:
        row = await db.get_one(VideoCallParticipant, alice_id)
        assert row.status is ParticipantStatus.WAITING


async def test_relays_reach_only_a_participant_of_the_same_room(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    first = await make_call(session, ctx, office)
    second = await make_call(session, ctx, office, host_id=office.alice.id)
    host, guest = await connect(office.admin.token), await connect(office.bob.token)
    elsewhere = await connect(office.alice.token)
    host_ack = await join(host, first.room_code)
    guest_ack = await join(guest, first.room_code)
    other_ack = await join(elsewhere, second.room_code)
    other_id = other_ack["you"]["participant_id"]
    assert error(await host.call("rtc:offer", {"to": other_id, "sdp": "v=0"})) == "participant_not_found"
    assert error(await host.call("rtc:ice", {"to": 999_999, "candidate": None})) == "participant_not_found"
    guest_id = guest_ack["you"]["participant_id"]
    assert (await host.call("rtc:offer", {"to": guest_id, "sdp": "v=0 fake"}))["ok"] is True
    [offer] = await guest.wait_for("rtc:offer")
    assert offer == {"from": host_ack["you"]["participant_id"], "sdp": "v=0 fake", "type": "offer"}
    assert elsewhere.received["rtc:offer"] == []


async def test_malformed_and_oversized_signaling_gets_error_acks_and_the_server_keeps_serving(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    await join(host, call.room_code)
    guest_id = (await join(guest, call.room_code))["you"]["participant_id"]
    assert error(await host.call("rtc:offer", "not an object")) == "bad_request"
    assert error(await host.call("rtc:offer", {"to": "x", "sdp": "v=0"})) == "validation_error"
    assert error(await host.call("rtc:offer", {"to": guest_id})) == "validation_error"
    assert error(await host.call("rtc:offer", {"to": guest_id, "sdp": "v" * 70_000})) == "payload_too_large"
    assert error(await host.call("room:join", {"room_code": "x" * 300})) == "validation_error"
    assert (await host.call("rtc:offer", {"to": guest_id, "sdp": "v=0 fine"}))["ok"] is True
    assert (await guest.wait_for("rtc:offer"))[0]["sdp"] == "v=0 fine"


async def test_media_updates_are_stored_and_broadcast_and_hosts_mute_others(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    host_id = (await join(host, call.room_code))["you"]["participant_id"]
    guest_id = (await join(guest, call.room_code))["you"]["participant_id"]
    assert (await guest.call("participant:update", {"video": False, "quality": "fair"}))["ok"] is True
    update = await host.wait_until("participant:updated", lambda u: u["participant_id"] == guest_id)
    assert (update["video"], update["quality"], update["muted"]) == (False, "fair", False)
    assert (await host.call("host:mute", {"participant_id": guest_id}))["ok"] is True
    muted = await guest.wait_until("participant:updated", lambda u: u["muted"])
    assert (muted["participant_id"], muted["by"]) == (guest_id, host_id)
    assert error(await guest.call("host:mute", {"participant_id": host_id})) == "not_host"
    async with ctx.sessionmaker() as db:
        row = await db.get_one(VideoCallParticipant, guest_id)
    assert (row.is_muted, row.is_video_enabled, row.connection_quality) == (True, False, "fair")


async def test_when_the_host_leaves_the_longest_present_participant_becomes_host(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, alice, bob = (
        await connect(office.admin.token),
        await connect(office.alice.token),
        await connect(office.bob.token),
    )
    await join(host, call.room_code)
    alice_id = (await join(alice, call.room_code))["you"]["participant_id"]
    await join(bob, call.room_code)
    assert (await host.call("room:leave", {}))["ok"] is True
    heir = await bob.wait_until("participant:updated", lambda u: u["seat"] == "host")
    assert heir["participant_id"] == alice_id
    assert (await alice.call("host:mute", {"participant_id": alice_id}))["ok"] is True


async def test_ending_the_room_tells_everyone_and_records_the_end(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    await join(host, call.room_code)
    guest_id = (await join(guest, call.room_code))["you"]["participant_id"]
    assert error(await guest.call("room:end", {})) == "not_host"
    assert (await host.call("room:end", {}))["ok"] is True
    assert len(await guest.wait_for("room:ended")) == 1
    assert error(await join(guest, call.room_code)) == "room_closed"
    async with ctx.sessionmaker() as db:
        ended = await db.get_one(VideoCall, call.id)
        row = await db.get_one(VideoCallParticipant, guest_id)
    assert ended.status == "ended"
    assert ended.actual_start is not None and ended.actual_end is not None
    assert row.status is ParticipantStatus.LEFT
    assert row.joined_at is not None and row.left_at is not None
    assert row.duration_minutes == 0


async def test_a_meeting_admits_its_invited_participants_only(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting = await make_meeting(session, office, {office.alice.id: MeetingRole.INTERVIEWER})
    host, alice, bob = (
        await connect(office.admin.token),
        await connect(office.alice.token),
        await connect(office.bob.token),
    )
    hosted = await join(host, meeting.room_id)
    assert (hosted["status"], hosted["you"]["seat"]) == ("joined", "host")
    ack = await join(alice, meeting.room_id)
    assert (ack["status"], ack["you"]["role"]) == ("joined", "interviewer")
    assert error(await join(bob, meeting.room_id)) == "room_not_found"
    async with ctx.sessionmaker() as db:
        started = await db.get_one(Meeting, meeting.id)
        rows = list(
            await db.scalars(select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id))
        )
    assert started.status == "in_progress"
    assert {(r.user_id, r.status) for r in rows} == {
        (office.admin.id, ParticipantStatus.JOINED),
        (office.alice.id, ParticipantStatus.JOINED),
    }


@pytest.mark.parametrize(
    "event", ["lobby:admit", "host:remove", "host:mute", "room:end", "recording:request"]
)
async def test_room_events_before_joining_are_refused(
    connect: ClientFactory, office: Office, event: str, live: LiveServer
) -> None:
    alice = await connect(office.alice.token)
    payload = {} if event in ("room:end", "recording:request") else {"participant_id": 1}
    assert error(await alice.call(event, payload)) == "not_in_room"


async def test_a_candidate_of_the_company_needs_an_invitation_to_enter_a_call(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext, http: httpx.AsyncClient
) -> None:
    call = await make_call(session, ctx, office)
    candidate = await make_user(session, ctx.passwords, office.company, RoleName.CANDIDATE)
    await session.commit()
    outsider = await connect((await sign_in(http, candidate)).token)
    assert error(await join(outsider, call.room_code)) == "room_not_found"
    session.add(VideoCallParticipant(video_call_id=call.id, user_id=candidate.id, display_name="候補者"))
    await session.commit()
    host = await connect(office.admin.token)
    await join(host, call.room_code)
    assert (await join(outsider, call.room_code))["status"] == "joined"
