"""Who may list, read, download and delete a recording: the room's hosts, its company's admins
and the participants who were recorded; anyone else gets 404 (one exact status per cell)."""

from __future__ import annotations

from models import MeetingRecording
from server.context import AppContext
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
