"""Who may list, read, download and delete a recording: the room's hosts, its company's admins
and the participants who were recorded; anyone else gets 404 (one exact status per cell)."""

from __future__ import annotations

from sqlalchemy import select

from models import Attachment, MeetingRecording
from server.context import AppContext
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings.takes import Ref, Take
from tests.server.recordings.conftest import Stored
from tests.server.tenants import Callers, Expect, Matrix, assert_matrix, outcomes

SEES = ["employer_admin", "employer", "candidate", "system_admin"]
STRANGERS = ["recruiter", "home_admin", "other_admin", "other_user"]


async def test_who_may_read_and_download_a_recording(
    callers: Callers, ctx: AppContext, stored: Stored
) -> None:
    unseen = [Expect(who, "recording", 404, "recording_not_found") for who in STRANGERS]
    matrix: Matrix = [
        (
            "GET",
            "/api/recordings/{target}",
            None,
            [
                *[Expect(who, "recording", 200, "") for who in SEES],
                *unseen,
                Expect("anonymous", "recording", 401, "invalid_token"),
                Expect("employer_admin", "missing", 404, "recording_not_found"),
            ],
        ),
        (
            "DELETE",
            "/api/recordings/{target}",
            None,
            [
                Expect("candidate", "recording", 403, "not_host"),
                *unseen,
            ],
        ),
    ]
    await assert_matrix(callers, ctx, matrix, [MeetingRecording], not_found="No such recording.")
    for who in SEES + STRANGERS:
        answer = await callers.call(who, "GET", "/api/recordings/{recording}/download")
        expected = (200, stored.content) if who in SEES else (404, None)
        assert (answer.status_code, answer.content if who in SEES else None) == expected, who
        if who in STRANGERS:
            assert answer.json()["code"] == "recording_not_found"


async def test_who_may_list_a_meetings_recordings(callers: Callers, stored: Stored) -> None:
    cells = [
        *[Expect(who, "meeting", 200, "") for who in SEES],
        Expect("recruiter", "meeting", 200, ""),
        *[
            Expect(who, "meeting", 404, "meeting_not_found")
            for who in ("home_admin", "other_admin", "other_user")
        ],
        Expect("anonymous", "meeting", 401, "invalid_token"),
    ]
    assert await outcomes(callers, "GET", "/api/meetings/{target}/recordings", cells) == cells
    for who, total in [("employer_admin", 1), ("candidate", 1), ("recruiter", 0)]:
        page = (await callers.call(who, "GET", "/api/meetings/{meeting}/recordings")).json()
        assert page["total"] == total and len(page["items"]) == total, (who, page)
    [item] = (await callers.call("candidate", "GET", "/api/meetings/{meeting}/recordings")).json()["items"]
    assert item["id"] == stored.recording.id
    assert (
        item["status"] == "ready"
        and item["download_url"] == f"/api/recordings/{stored.recording.id}/download"
    )


async def test_a_meetings_recorded_file_is_read_only_in_the_files_api(
    callers: Callers, ctx: AppContext, stored: Stored
) -> None:
    async with ctx.sessionmaker() as db:
        recording = await db.get_one(MeetingRecording, stored.recording.id)
        take = Take(Ref(RoomKind.MEETING, recording.id), recording)
        take.store(db, (recording.file_path or "", len(stored.content), "0" * 64), stored.meeting.created_by)
        await db.commit()
        file_id = await db.scalar(select(Attachment.id).where(Attachment.entity_type == "meeting_recording"))
    callers.names["file"] = file_id or 0
    cells = [
        *[Expect(who, "file", 200, "") for who in SEES],
        *[Expect(who, "file", 404, "not_found") for who in STRANGERS],
    ]
    assert await outcomes(callers, "GET", "/api/attachments/{target}", cells) == cells
    downloaded = await callers.call("candidate", "GET", "/api/attachments/{file}/download")
    assert (downloaded.status_code, downloaded.content) == (200, stored.content)
    refused = [
        Expect("employer_admin", "file", 403, "recording_read_only"),
        Expect("recruiter", "file", 404, "not_found"),
    ]
    assert await outcomes(callers, "DELETE", "/api/attachments/{target}", refused) == refused
    # Deleting the recording takes its file row with it, and then its bytes (no other row names them).
    assert (await callers.call("employer_admin", "DELETE", "/api/recordings/{recording}")).status_code == 204
    assert (await callers.call("employer_admin", "GET", "/api/attachments/{file}")).status_code == 404
    assert not await ctx.storage.exists(recording.file_path or "")
