"""A video call's recordings: the same rule as a meeting's (the call's hosts, its company's
admins, the participants who were recorded; 404 for anyone else), and in the files API they
are read by hosts only and never uploaded or deleted there."""

from __future__ import annotations

from sqlalchemy import select

from models import Attachment, AuditLog
from models.enums import UploadStatus
from server.context import AppContext
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import takes
from tests.server.files.helpers import upload
from tests.server.recordings.conftest import StoredCall
from tests.server.tenants import Callers, Expect, Matrix, assert_matrix, outcomes

SEES = ["employer_admin", "employer", "candidate", "system_admin"]
STRANGERS = ["recruiter", "home_admin", "other_admin", "other_user"]
ONE = "/api/video-calls/{call}/recordings/{target}"


async def test_who_may_read_download_and_delete_a_calls_recording(
    callers: Callers, ctx: AppContext, stored_call: StoredCall
) -> None:
    unseen = [Expect(who, "recording", 404, "recording_not_found") for who in STRANGERS]
    matrix: Matrix = [
        (
            "GET",
            ONE,
            None,
            [
                *[Expect(who, "recording", 200, "") for who in SEES],
                *unseen,
                Expect("anonymous", "recording", 401, "invalid_token"),
                Expect("employer", "missing", 404, "recording_not_found"),
            ],
        ),
        ("DELETE", ONE, None, [Expect("candidate", "recording", 403, "not_host"), *unseen]),
    ]
    await assert_matrix(callers, ctx, matrix, [Attachment], not_found="No such recording.")
    for who in SEES + STRANGERS:
        answer = await callers.call(who, "GET", ONE.replace("{target}", "{recording}") + "/download")
        got = (answer.status_code, answer.content if answer.status_code == 200 else answer.json()["code"])
        assert got == ((200, stored_call.content) if who in SEES else (404, "recording_not_found")), who


async def test_a_calls_recording_lists_for_those_who_see_it(
    callers: Callers, stored_call: StoredCall
) -> None:
    cells = [
        *[Expect(who, "call", 200, "") for who in [*SEES, "recruiter"]],
        *[
            Expect(who, "call", 404, "video_call_not_found")
            for who in ("home_admin", "other_admin", "other_user")
        ],
        Expect("anonymous", "call", 401, "invalid_token"),
    ]
    assert await outcomes(callers, "GET", "/api/video-calls/{target}/recordings", cells) == cells
    for who, total in [("employer", 1), ("candidate", 1), ("recruiter", 0)]:
        page = (await callers.call(who, "GET", "/api/video-calls/{call}/recordings")).json()
        assert (page["total"], len(page["items"])) == (total, total), who
    [item] = (await callers.call("candidate", "GET", "/api/video-calls/{call}/recordings")).json()["items"]
    call_id, recording_id = stored_call.call.id, stored_call.recording.id
    assert {k: item[k] for k in ("id", "meeting_id", "video_call_id", "status", "duration_seconds")} == {
        "id": recording_id,
        "meeting_id": None,
        "video_call_id": call_id,
        "status": "ready",
        "duration_seconds": 2,
    }
    assert item["download_url"] == f"/api/video-calls/{call_id}/recordings/{recording_id}/download"
    assert item["file_size"] == len(stored_call.content)


async def test_a_calls_recording_is_not_reached_through_another_room(
    callers: Callers, stored_call: StoredCall
) -> None:
    other_call = await callers.call(
        "employer",
        "POST",
        "/api/video-calls",
        json={
            "title": "別の面談",
            "scheduled_start": stored_call.call.scheduled_start.isoformat(),
            "scheduled_end": stored_call.call.scheduled_end.isoformat(),
        },
    )
    assert other_call.status_code == 201, other_call.text
    callers.names["other_call"] = other_call.json()["id"]
    for path in ("/api/video-calls/{other_call}/recordings/{recording}", "/api/recordings/{recording}"):
        answer = await callers.call("employer", "GET", path)
        assert (answer.status_code, answer.json()["code"]) == (404, "recording_not_found"), path


async def test_the_files_api_shows_a_calls_recording_to_its_hosts_and_never_changes_it(
    callers: Callers, ctx: AppContext, stored_call: StoredCall
) -> None:
    cells = [
        *[Expect(who, "recording", 200, "") for who in ("employer_admin", "employer", "system_admin")],
        *[Expect(who, "recording", 404, "not_found") for who in ("candidate", *STRANGERS)],
    ]
    assert await outcomes(callers, "GET", "/api/attachments/{target}", cells) == cells
    refused = [
        Expect("employer", "recording", 403, "recording_read_only"),
        Expect("candidate", "recording", 404, "not_found"),
    ]
    assert await outcomes(callers, "DELETE", "/api/attachments/{target}", refused) == refused
    listed = await callers.call(
        "employer",
        "GET",
        "/api/attachments",
        params={"entity_type": "video_call_recording", "entity_id": stored_call.call.id},
    )
    assert [row["id"] for row in listed.json()["items"]] == [stored_call.recording.id]
    uploaded = await upload(
        callers.client,
        await callers.headers("employer"),
        entity_type="video_call_recording",
        entity_id=stored_call.call.id,
    )
    assert (uploaded.status_code, uploaded.json()["code"]) == (403, "recording_read_only")
    async with ctx.sessionmaker() as db:
        rows = list(
            await db.scalars(select(Attachment).where(Attachment.entity_type == "video_call_recording"))
        )
    assert [(row.id, row.is_deleted) for row in rows] == [(stored_call.recording.id, False)]


async def test_a_host_deletes_a_calls_recording_with_its_bytes(
    callers: Callers, ctx: AppContext, stored_call: StoredCall
) -> None:
    key = stored_call.recording.file_path
    assert await ctx.storage.exists(key)
    answer = await callers.call("employer", "DELETE", "/api/video-calls/{call}/recordings/{recording}")
    assert answer.status_code == 204, answer.text
    assert not await ctx.storage.exists(key)
    page = (await callers.call("employer", "GET", "/api/video-calls/{call}/recordings")).json()
    assert (page["total"], page["items"]) == (0, [])
    async with ctx.sessionmaker() as db:
        row = await db.get_one(Attachment, stored_call.recording.id)
        action = await db.scalar(
            select(AuditLog.action).where(
                AuditLog.entity_type == "attachments",
                AuditLog.entity_id == row.id,
                AuditLog.action.like("%.delete"),
            )
        )
    assert (row.is_deleted, action) == (True, "attachments.delete")


async def test_a_recording_still_being_made_is_not_deleted(
    callers: Callers, ctx: AppContext, stored_call: StoredCall
) -> None:
    async with ctx.transaction() as db:
        ref = await takes.create(db, RoomKind.CALL, stored_call.call.id, stored_call.call.company_id, None)
    callers.names["pending"] = ref.id
    answer = await callers.call("employer", "DELETE", "/api/video-calls/{call}/recordings/{pending}")
    assert (answer.status_code, answer.json()["code"]) == (409, "recording_in_progress")
    async with ctx.sessionmaker() as db:
        row = await db.get_one(Attachment, ref.id)
    assert (row.is_deleted, row.upload_status) == (False, UploadStatus.PENDING)
