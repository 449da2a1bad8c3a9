"""The first company (the `home` agency of the tenants) furnished with one row of each kind.

Rows come from the factories where they exist, from the API where a domain's rules build them
(exams and their sessions, personality sessions), and as plain rows for what only background
work makes (recordings, transcripts, summaries, calendar connections). `ids()` then reads every
table back, so a row a new domain writes for the home company is found without naming it here.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

import models
from models import (
    CalendarConnection,
    InterviewNote,
    MeetingRecording,
    MeetingSummary,
    MeetingTranscript,
    Notification,
    TodoAttachment,
    TodoExtensionRequest,
    TodoViewer,
    UserSetting,
)
from models.enums import CalendarProvider, CallRole, MeetingRole, ProcessingStatus
from server.context import AppContext
from tests.factories import (
    make_attachment,
    make_call_participant,
    make_interview,
    make_meeting,
    make_meeting_participant,
    make_message,
    make_position,
    make_resume,
    make_todo,
    make_video_call,
)
from tests.server.tenants import Callers, Tenants

EXAM = {
    "title": "基礎テスト",
    "duration_minutes": 30,
    "questions": [
        {"type": "single_choice", "question": "2 + 2 = ?", "options": ["3", "4"], "answer": 1, "points": 10}
    ],
}


async def furnish(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, Any]:
    """One row of each kind in the home company; returns names of a few (slug, room codes)."""
    home, users = tenants.home, tenants.users
    recruiter, candidate, admin = users["recruiter"], users["candidate"], users["home_admin"]
    async with ctx.transaction() as db:
        position = await make_position(db, home, admin)
        interview = await make_interview(
            db, home, recruiter, candidate=candidate, recruiter=recruiter, position=position
        )
        meeting = await make_meeting(db, home, recruiter, interview)
        await make_meeting_participant(db, meeting, recruiter, MeetingRole.HOST)
        await make_meeting_participant(db, meeting, candidate, MeetingRole.CANDIDATE)
        call = await make_video_call(db, home, recruiter)
        await make_call_participant(db, call, recruiter, CallRole.HOST)
        await make_call_participant(db, call, candidate)
        message = await make_message(db, recruiter, candidate, "面接の日程について")
        await make_attachment(db, recruiter, entity_type="message", entity_id=message.id)
        todo = await make_todo(db, recruiter, assigned_user_id=candidate.id)
        resume = await make_resume(db, candidate, public_slug=f"probe-{secrets.token_hex(4)}", is_public=True)
        db.add_all(
            [
                TodoViewer(todo_id=todo.id, user_id=admin.id, added_by=recruiter.id),
                TodoExtensionRequest(
                    todo_id=todo.id,
                    requested_by=candidate.id,
                    requested_due_date=datetime.now(UTC) + timedelta(days=7),
                    reason="資料の準備のため",
                ),
                TodoAttachment(
                    todo_id=todo.id,
                    filename="課題.pdf",
                    stored_filename=f"{secrets.token_hex(16)}.pdf",
                    file_path="todos/probe.pdf",
                    file_size=10,
                    mime_type="application/pdf",
                    uploaded_by=recruiter.id,
                ),
                InterviewNote(
                    interview_id=interview.id, author_id=recruiter.id, company_id=home.id, content="好印象"
                ),
                Notification(
                    user_id=candidate.id, type="system", title="お知らせ", message="面接が決まりました"
                ),
                Notification(user_id=recruiter.id, type="system", title="お知らせ", message="新しい応募"),
                UserSetting(user_id=recruiter.id, setting_key="language", setting_value="ja"),
                CalendarConnection(
                    user_id=recruiter.id,
                    provider=CalendarProvider.GOOGLE,
                    external_account_id="probe",
                    external_account_email="recruiter@calendar.example.jp",
                    access_token="probe-access-token",
                ),
            ]
        )
        recording = MeetingRecording(meeting_id=meeting.id, company_id=home.id, status=ProcessingStatus.READY)
        transcript = MeetingTranscript(
            meeting_id=meeting.id, company_id=home.id, status=ProcessingStatus.READY, content="…", segments=[]
        )
        db.add_all([recording, transcript])
        await db.flush()
        db.add(
            MeetingSummary(
                meeting_id=meeting.id,
                company_id=home.id,
                transcript_id=transcript.id,
                status=ProcessingStatus.READY,
                summary="要約",
            )
        )
    exam = await _created(callers, "recruiter", "/api/exams", EXAM)
    await _created(callers, "recruiter", f"/api/exams/{exam['id']}/publish", None, status=200)
    await _created(
        callers, "recruiter", f"/api/exams/{exam['id']}/assignments", {"candidate_id": candidate.id}
    )
    await _created(callers, "candidate", "/api/personality/sessions", {})
    return {"slug": resume.public_slug, "room_codes": [meeting.room_id, call.room_code]}


async def _created(callers: Callers, who: str, path: str, body: Any, status: int = 201) -> dict[str, Any]:
    response = await callers.call(who, "POST", path, json=body) if body is not None else None
    if response is None:
        response = await callers.call(who, "POST", path)
    assert response.status_code == status, f"POST {path}: {response.status_code} {response.text}"
    found: dict[str, Any] = response.json()
    return found


SKIPPED_TABLES = {"roles", "alembic_version"}


async def rows_by_table(ctx: AppContext, tenants: Tenants) -> dict[str, list[int]]:
    """The ids of every table's rows that belong to the home company (or to nobody else): a row of
    the `other` agency (its company, its people and what refers to them) is left out."""
    others = {tenants.other.id}
    other_people = {u.id for u in tenants.users.values() if u.company_id in others}
    found: dict[str, list[int]] = defaultdict(list)
    async with ctx.sessionmaker() as db:
        for table in models.Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES or "id" not in table.c:
                continue
            rows = (await db.execute(select(table))).mappings().all()
            for row in rows:
                if table.name == "companies" and row["id"] in others:
                    continue
                if row.get("company_id") in others:
                    continue
                if table.name == "users" and row["id"] in other_people:
                    continue
                if any(row.get(col) in other_people for col in ("user_id", "sender_id", "created_by")):
                    continue
                found[table.name].append(row["id"])
    return dict(found)
