"""Transcripts and summaries over REST: what they answer, the WebVTT export, asking again, and
who may call what (rules: server/domains/transcripts/access.py, after the meetings policy).

Whoever sees the meeting reads its transcripts and summaries: its creator (the host), its
invited participants (the candidate, the employer's interviewer), its company's admin and the
platform operator. Anyone else, an uninvited admin of another company as much as another
tenant, gets 404 like a missing id. Asking for a transcript or summary again is managing the
meeting: participants who only see it get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

from models import AuditLog, MeetingSummary, MeetingTranscript
from models.enums import ProcessingStatus
from server.context import AppContext
from server.domains.transcripts.schemas import Segment
from server.domains.transcripts.summarize import summarize
from server.domains.transcripts.transcribe import transcribe
from tests.server.tenants import (
    Callers,
    Expect,
    Tenants,
    assert_error,
    assert_rows,
    outcomes,
    snapshot,
)
from tests.server.transcripts.conftest import Record, Rooms
from tests.server.transcripts.media import CALL, Voice

SEGMENTS = [
    Segment(start=0.5, end=2.25, speaker="Alice Tanaka", user_id=None, text="Welcome to the R&D <sync>."),
    Segment(start=2.5, end=3.0, speaker=None, text="(crosstalk)"),
    Segment(start=3.0, end=5.0, speaker="Bob <B>", text="I will send it --> by Friday\nat noon."),
    Segment(start=3725.125, end=3726.5, speaker="Alice Tanaka", text="Thanks."),
]
VTT = """WEBVTT

1
00:00:00.500 --> 00:00:02.250
<v Alice Tanaka>Welcome to the R&amp;D &lt;sync&gt;.

2
00:00:02.500 --> 00:00:03.000
(crosstalk)

3
00:00:03.000 --> 00:00:05.000
<v Bob &lt;B&gt;>I will send it --&gt; by Friday at noon.

4
01:02:05.125 --> 01:02:06.500
<v Alice Tanaka>Thanks.
"""
TABLES = (MeetingTranscript, MeetingSummary, AuditLog)


@dataclass(frozen=True)
class Artifacts:
    transcript: int
    summary: int


@pytest.fixture
async def artifacts(ctx: AppContext, rooms: Rooms, callers: Callers) -> Artifacts:
    async with ctx.transaction() as db:
        rows = {}
        for name, meeting in (("", rooms.meeting), ("other_", rooms.other_meeting)):
            transcript = MeetingTranscript(
                meeting_id=meeting.id,
                company_id=meeting.company_id,
                language="en",
                status=ProcessingStatus.READY,
                content="…",
                segments=msgspec.to_builtins(SEGMENTS),
            )
            db.add(transcript)
            await db.flush()
            summary = MeetingSummary(
                meeting_id=meeting.id,
                company_id=meeting.company_id,
                transcript_id=transcript.id,
                status=ProcessingStatus.READY,
                summary="Welcome.",
                key_points=["Welcome to the R&D <sync>."],
                action_items=[{"text": "I will send it by Friday", "speaker": "Bob <B>", "due": "by Friday"}],
            )
            db.add(summary)
            await db.flush()
            rows[f"{name}transcript"], rows[f"{name}summary"] = transcript.id, summary.id
    callers.names.update(rows)
    return Artifacts(transcript=rows["transcript"], summary=rows["summary"])


async def test_a_transcript_reads_with_its_segments(
    callers: Callers, artifacts: Artifacts, rooms: Rooms
) -> None:
    response = await callers.call("candidate", "GET", "/api/transcripts/{transcript}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["segments"] == msgspec.to_builtins(SEGMENTS)
    assert (body["id"], body["meeting_id"], body["status"], body["language"], body["segment_count"]) == (
        artifacts.transcript,
        rooms.meeting.id,
        "ready",
        "en",
        4,
    )

    listed = await callers.call("employer", "GET", "/api/meetings/{meeting}/transcripts")
    assert listed.status_code == 200
    assert [(t["id"], t["segment_count"]) for t in listed.json()["items"]] == [(artifacts.transcript, 4)]
    assert "segments" not in listed.json()["items"][0]


async def test_the_webvtt_export_is_exact(callers: Callers, artifacts: Artifacts) -> None:
    response = await callers.call("recruiter", "GET", "/api/transcripts/{transcript}.vtt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vtt")
    assert response.text == VTT


async def test_a_summary_reads_with_the_talk_time_of_its_transcript(
    callers: Callers, artifacts: Artifacts
) -> None:
    response = await callers.call("home_admin", "GET", "/api/summaries/{summary}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["action_items"] == [
        {"text": "I will send it by Friday", "speaker": "Bob <B>", "due": "by Friday"}
    ]
    assert body["talk_time"] == [
        {"speaker": "Alice Tanaka", "user_id": None, "seconds": 3.125, "share": 0.5556},
        {"speaker": "Bob <B>", "user_id": None, "seconds": 2.0, "share": 0.3556},
        {"speaker": None, "user_id": None, "seconds": 0.5, "share": 0.0889},
    ]
    listed = await callers.call("candidate", "GET", "/api/meetings/{meeting}/summaries")
    assert [s["id"] for s in listed.json()["items"]] == [artifacts.summary]


SEEN_BY = ["recruiter", "candidate", "employer", "home_admin", "system_admin"]
NOT_SEEN = [
    Expect("anonymous", "{own}", 401, "invalid_token"),
    Expect("employer_admin", "{own}", 404, "not_found"),
    Expect("other_admin", "{own}", 404, "not_found"),
    Expect("other_user", "{own}", 404, "not_found"),
    Expect("home_admin", "{other}", 404, "not_found"),
    Expect("recruiter", "{other}", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
]
READS = [
    ("/api/meetings/{target}/transcripts", "meeting", "Meeting {id} was not found."),
    ("/api/meetings/{target}/summaries", "meeting", "Meeting {id} was not found."),
    ("/api/transcripts/{target}", "transcript", "Transcript {id} was not found."),
    ("/api/transcripts/{target}.vtt", "transcript", "Transcript {id} was not found."),
    ("/api/summaries/{target}", "summary", "Summary {id} was not found."),
]


def _cells(cells: list[Expect], own: str) -> list[Expect]:
    targets = {"{own}": own, "{other}": f"other_{own}"}
    return [cell._replace(target=targets.get(cell.target or "", cell.target)) for cell in cells]


async def _reads(callers: Callers, path: str, cells: list[Expect], not_found: str) -> list[Expect]:
    """`outcomes` for routes that may answer WebVTT: the 404s must say `not_found` exactly too."""
    got = []
    for cell in cells:
        response = await callers.call(
            cell.who, "GET", path.replace("{target}", "{" + (cell.target or "") + "}")
        )
        json_answer = response.headers.get("content-type", "").startswith("application/json")
        body = response.json() if json_answer else {}
        code = body.get("code", "") if response.status_code >= 400 else ""
        if response.status_code == 404 and body.get("detail") != not_found.format(
            id=callers.path("{" + (cell.target or "") + "}")
        ):
            code += f" ({body.get('detail')!r})"
        got.append(cell._replace(status=response.status_code, code=code))
    return got


async def test_who_reads_transcripts_and_summaries(
    callers: Callers, ctx: AppContext, artifacts: Artifacts
) -> None:
    await callers.sign_in(*SEEN_BY, "employer_admin", "other_admin", "other_user")
    before = await snapshot(ctx, *TABLES)
    for path, own, not_found in READS:
        cells = [Expect(who, own, 200, "") for who in SEEN_BY] + _cells(NOT_SEEN, own)
        got = await _reads(callers, path, cells, not_found)
        assert_rows([(path, c) for c in cells], [(path, c) for c in got])
    assert await snapshot(ctx, *TABLES) == before


async def test_who_asks_again_and_a_refusal_changes_nothing(
    callers: Callers, ctx: AppContext, artifacts: Artifacts, record: Record, rooms: Rooms
) -> None:
    recording = await record(rooms.meeting, [Voice(CALL, 0.0, "Bob Sato")])
    callers.names.update(recording=recording)
    refusals = [
        Expect("anonymous", "meeting", 401, "invalid_token"),
        Expect("candidate", "meeting", 403, "forbidden"),
        Expect("employer", "meeting", 403, "forbidden"),
        Expect("employer_admin", "meeting", 404, "not_found"),
        Expect("other_admin", "meeting", 404, "not_found"),
        Expect("home_admin", "other_meeting", 404, "not_found"),
        Expect("home_admin", "missing", 404, "not_found"),
    ]
    await callers.sign_in(*{cell.who for cell in refusals})
    before = await snapshot(ctx, *TABLES)
    for path, body in (
        ("/api/meetings/{target}/transcripts", {"recording_id": recording}),
        ("/api/meetings/{target}/summaries", {"transcript_id": artifacts.transcript}),
    ):
        got = await outcomes(
            callers, "POST", path, refusals, json=body, not_found="Meeting {id} was not found."
        )
        assert_rows([(path, c) for c in refusals], [(path, c) for c in got])
    assert await snapshot(ctx, *TABLES) == before


async def test_a_manager_has_a_recording_transcribed_and_summarized(
    callers: Callers,
    ctx: AppContext,
    rooms: Rooms,
    record: Record,
    tenants: Tenants,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("TRANSCRIPTION_ENGINE", "TRANSCRIPTION_API_URL", "SUMMARY_ENGINE", "SUMMARY_API_URL"):
        monkeypatch.delenv(name, raising=False)
    recording = await record(rooms.meeting, [Voice(CALL, 0.0, "Bob Sato")])

    asked = await callers.call(
        "recruiter", "POST", "/api/meetings/{meeting}/transcripts", json={"recording_id": recording}
    )
    assert asked.status_code == 202, asked.text
    assert (asked.json()["status"], asked.json()["recording_id"], asked.json()["segments"]) == (
        "pending",
        recording,
        [],
    )
    transcript_id = asked.json()["id"]
    early = await callers.call(
        "recruiter", "POST", "/api/meetings/{meeting}/summaries", json={"transcript_id": transcript_id}
    )
    assert_error(early, 409, "transcript_not_ready")

    await transcribe(ctx, recording_id=recording)
    again = await callers.call(
        "home_admin", "POST", "/api/meetings/{meeting}/transcripts", json={"recording_id": recording}
    )
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (202, transcript_id, "pending")
    await transcribe(ctx, recording_id=recording)

    summarized = await callers.call(
        "recruiter", "POST", "/api/meetings/{meeting}/summaries", json={"transcript_id": transcript_id}
    )
    assert summarized.status_code == 202, summarized.text
    assert (summarized.json()["status"], summarized.json()["created_by"]) == (
        "pending",
        tenants.user("recruiter").id,
    )
    await summarize(ctx, transcript_id=transcript_id)

    answer: dict[str, Any] = (
        await callers.call("candidate", "GET", f"/api/summaries/{summarized.json()['id']}")
    ).json()
    assert answer["status"] == "ready"
    assert answer["talk_time"][0]["speaker"] == "Bob Sato"
    assert answer["talk_time"][0]["share"] == 1.0
    assert answer["summary"].endswith("Talk time: Bob Sato 100%.")
    async with ctx.sessionmaker() as db:
        assert len(list(await db.scalars(select(MeetingTranscript)))) == 1
        assert len(list(await db.scalars(select(MeetingSummary)))) == 1


async def test_requests_name_a_finished_artifact_of_the_same_meeting(
    callers: Callers, artifacts: Artifacts, record: Record, rooms: Rooms
) -> None:
    elsewhere = await record(rooms.other_meeting, [Voice(CALL, 0.0)])
    unfinished = await record(rooms.meeting, [Voice(CALL, 0.0)], status=ProcessingStatus.PROCESSING)
    path = "/api/meetings/{meeting}/transcripts"
    answer = await callers.call("recruiter", "POST", path, json={"recording_id": elsewhere})
    assert assert_error(answer, 422, "validation_error")["errors"][0]["field"] == "recording_id"
    assert_error(
        await callers.call("recruiter", "POST", path, json={"recording_id": unfinished}),
        409,
        "recording_not_ready",
    )
    other = callers.path("{other_transcript}")
    answer = await callers.call(
        "recruiter", "POST", "/api/meetings/{meeting}/summaries", json={"transcript_id": int(other)}
    )
    assert assert_error(answer, 422, "validation_error")["errors"][0]["field"] == "transcript_id"


@pytest.mark.parametrize("reference", ["abc", "12.srt", "0", "99999999999.vtt", "12.vtt.vtt"])
async def test_a_reference_that_names_no_transcript_is_404(
    callers: Callers, artifacts: Artifacts, reference: str
) -> None:
    assert_error(await callers.call("recruiter", "GET", f"/api/transcripts/{reference}"), 404, "not_found")
