"""Minimal rows for every table, and a `World` holding one row of each, for the schema tests.

A factory gives only the NOT NULL columns without a server default, plus the parent ids the
caller passes; the database fills in everything else. Rows are inserted with SQLAlchemy Core
into a bare table clause that knows only the given columns, so no Python-side default of the
models can stand in for the database's own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

import models
from models.enums import CalendarProvider, CompanyType, MeetingRole, MeetingType, TwoFactorMethod

Row = dict[str, Any]
ROLE_PREFIX = "schema-test-role"
"""Roles outlive a test on MySQL (the conftest keeps that table), so these are removed by name."""
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # UTCDateTime refuses naive datetimes
END = START + timedelta(hours=1)


def unique(prefix: str) -> str:
    """A value no other row has, even across runs (on MySQL the roles table keeps its rows)."""
    return f"{prefix}-{secrets.token_hex(6)}"


def company() -> Row:
    return {
        "name": unique("company"),
        "type": CompanyType.EMPLOYER,
        "email": f"{unique('co')}@example.com",
        "phone": "03-1234-5678",
    }


def role() -> Row:
    return {"name": unique(ROLE_PREFIX)}


def user(company_id: int) -> Row:
    return {
        "company_id": company_id,
        "email": f"{unique('user')}@example.com",
        "first_name": "Aki",
        "last_name": "Sato",
    }


def user_role(user_id: int, role_id: int) -> Row:
    return {"user_id": user_id, "role_id": role_id}


def position(company_id: int, created_by: int) -> Row:
    return {"company_id": company_id, "title": "Backend engineer", "created_by": created_by}


def interview(company_id: int, created_by: int, **links: int) -> Row:
    """`links`: the optional position_id, candidate_id, recruiter_id."""
    return {"company_id": company_id, "created_by": created_by, "title": "First interview", **links}


def interview_note(interview_id: int, author_id: int, company_id: int) -> Row:
    return {"interview_id": interview_id, "author_id": author_id, "company_id": company_id, "content": "Good"}


def meeting(company_id: int, created_by: int, interview_id: int | None = None) -> Row:
    row = {
        "company_id": company_id,
        "created_by": created_by,
        "title": "Interview call",
        "meeting_type": MeetingType.INTERVIEW,
        "scheduled_start": START,
        "scheduled_end": END,
        "room_id": unique("room"),
    }
    return row | ({"interview_id": interview_id} if interview_id else {})


def meeting_participant(meeting_id: int, user_id: int) -> Row:
    return {"meeting_id": meeting_id, "user_id": user_id, "role": MeetingRole.CANDIDATE}


def meeting_artifact(meeting_id: int, company_id: int, **links: int) -> Row:
    """A recording, transcript or summary; `links`: its optional recording/transcript/user ids."""
    return {"meeting_id": meeting_id, "company_id": company_id, **links}


def todo(company_id: int, created_by: int, assigned_user_id: int | None = None) -> Row:
    row = {"company_id": company_id, "created_by": created_by, "title": "Send the offer"}
    return row | ({"assigned_user_id": assigned_user_id} if assigned_user_id else {})


def todo_viewer(todo_id: int, user_id: int, added_by: int) -> Row:
    return {"todo_id": todo_id, "user_id": user_id, "added_by": added_by}


def stored_file(uploaded_by: int) -> Row:
    """The file columns todo_attachments and attachments share."""
    stored = unique("stored")
    return {
        "uploaded_by": uploaded_by,
        "filename": "cv.pdf",
        "stored_filename": stored,
        "file_path": f"files/{stored}",
        "file_size": 1024,
        "mime_type": "application/pdf",
    }


def todo_attachment(todo_id: int, uploaded_by: int) -> Row:
    return {"todo_id": todo_id, **stored_file(uploaded_by)}


def attachment(company_id: int, uploaded_by: int) -> Row:
    return {"company_id": company_id, "entity_type": "resume", "entity_id": 1, **stored_file(uploaded_by)}


def todo_extension_request(todo_id: int, requested_by: int) -> Row:
    return {"todo_id": todo_id, "requested_by": requested_by, "requested_due_date": END, "reason": "Holiday"}


def calendar_connection(user_id: int) -> Row:
    return {
        "user_id": user_id,
        "provider": CalendarProvider.GOOGLE,
        "external_account_id": unique("account"),
        "external_account_email": "aki@example.com",
        "access_token": "encrypted",
    }


def calendar_integration(connection_id: int) -> Row:
    return {
        "connection_id": connection_id,
        "external_event_id": unique("event"),
        "title": "Interview",
        "start_datetime": START,
        "end_datetime": END,
    }


def resume(user_id: int, company_id: int) -> Row:
    return {"user_id": user_id, "company_id": company_id, "title": "My resume"}


def exam(company_id: int, created_by: int) -> Row:
    return {"company_id": company_id, "created_by": created_by, "title": "SPI", "questions": []}


def exam_session(exam_id: int, candidate_id: int, company_id: int) -> Row:
    return {
        "exam_id": exam_id,
        "candidate_id": candidate_id,
        "company_id": company_id,
        "session_token": unique("exam"),
    }


def mbti_test_session(user_id: int, company_id: int) -> Row:
    return {"user_id": user_id, "company_id": company_id, "session_token": unique("mbti")}


def notification(user_id: int) -> Row:
    return {"user_id": user_id, "type": "interview", "title": "Scheduled", "message": "See you"}


def refresh_token(user_id: int) -> Row:
    return {"user_id": user_id, "token": unique("token"), "expires_at": END}


def two_factor_code(user_id: int) -> Row:
    return {"user_id": user_id, "code": "123456", "method": TwoFactorMethod.EMAIL, "expires_at": END}


def user_setting(user_id: int) -> Row:
    return {"user_id": user_id, "setting_key": unique("setting")}


def video_call(host_id: int, company_id: int) -> Row:
    return {
        "host_id": host_id,
        "company_id": company_id,
        "room_code": unique("call"),
        "title": "Call",
        "scheduled_start": START,
        "scheduled_end": END,
    }


def video_call_participant(video_call_id: int, user_id: int | None = None) -> Row:
    row = {"video_call_id": video_call_id, "display_name": "Aki"}
    return row | ({"user_id": user_id} if user_id else {})


def message(sender_id: int, recipient_id: int, company_id: int) -> Row:
    return {
        "sender_id": sender_id,
        "recipient_id": recipient_id,
        "company_id": company_id,
        "content": "Hello",
    }


def audit_log(**links: int) -> Row:
    """`links`: the optional user_id and company_id."""
    return {"action": "create", "entity_type": "interview", **links}


Ids = dict[str, int]
"""The id of the world's row of each table; `owner` is a second user."""

# One row per table, parents first. `member` (the "users" row) fills every user reference
# that CASCADEs or SETs NULL; `owner` fills the ones without a delete rule (created_by...).
WORLD_ROWS: dict[str, Callable[[Ids], Row]] = {
    "companies": lambda ids: company(),
    "roles": lambda ids: role(),
    "users": lambda ids: user(ids["companies"]),
    "owner": lambda ids: user(ids["companies"]),
    "user_roles": lambda ids: user_role(ids["users"], ids["roles"]),
    "positions": lambda ids: position(ids["companies"], ids["owner"]),
    "interviews": lambda ids: interview(
        ids["companies"],
        ids["owner"],
        position_id=ids["positions"],
        candidate_id=ids["users"],
        recruiter_id=ids["users"],
    ),
    "interview_notes": lambda ids: interview_note(ids["interviews"], ids["users"], ids["companies"]),
    "meetings": lambda ids: meeting(ids["companies"], ids["owner"], ids["interviews"]),
    "meeting_participants": lambda ids: meeting_participant(ids["meetings"], ids["users"]),
    "meeting_recordings": lambda ids: meeting_artifact(
        ids["meetings"], ids["companies"], started_by=ids["users"]
    ),
    "meeting_transcripts": lambda ids: meeting_artifact(
        ids["meetings"], ids["companies"], recording_id=ids["meeting_recordings"]
    ),
    "meeting_summaries": lambda ids: meeting_artifact(
        ids["meetings"], ids["companies"], transcript_id=ids["meeting_transcripts"], created_by=ids["users"]
    ),
    "todos": lambda ids: todo(ids["companies"], ids["owner"], ids["users"]),
    "todo_viewers": lambda ids: todo_viewer(ids["todos"], ids["users"], ids["owner"]),
    "todo_attachments": lambda ids: todo_attachment(ids["todos"], ids["owner"]),
    "todo_extension_requests": lambda ids: todo_extension_request(ids["todos"], ids["owner"]),
    "calendar_connections": lambda ids: calendar_connection(ids["users"]),
    "calendar_integrations": lambda ids: calendar_integration(ids["calendar_connections"]),
    "attachments": lambda ids: attachment(ids["companies"], ids["owner"]),
    "resumes": lambda ids: resume(ids["users"], ids["companies"]),
    "exams": lambda ids: exam(ids["companies"], ids["owner"]),
    "exam_sessions": lambda ids: exam_session(ids["exams"], ids["users"], ids["companies"]),
    "mbti_test_sessions": lambda ids: mbti_test_session(ids["users"], ids["companies"]),
    "notifications": lambda ids: notification(ids["users"]),
    "refresh_tokens": lambda ids: refresh_token(ids["users"]),
    "two_factor_codes": lambda ids: two_factor_code(ids["users"]),
    "user_settings": lambda ids: user_setting(ids["users"]),
    "video_calls": lambda ids: video_call(ids["owner"], ids["companies"]),
    "video_call_participants": lambda ids: video_call_participant(ids["video_calls"], ids["users"]),
    "messages": lambda ids: message(ids["owner"], ids["owner"], ids["companies"]),
    "audit_logs": lambda ids: audit_log(user_id=ids["users"], company_id=ids["companies"]),
}


def table_of(key: str) -> sa.Table:
    return models.Base.metadata.tables["users" if key == "owner" else key]


async def insert(conn: AsyncConnection, table: sa.Table, values: Row) -> int:
    """Insert through a bare table clause holding only the given columns; returns the new id."""
    bare = sa.table(table.name, *(sa.column(name, table.c[name].type) for name in values))
    result = await conn.execute(sa.insert(bare).values(values))
    assert result.lastrowid
    return int(result.lastrowid)


@dataclass
class World:
    ids: Ids = field(default_factory=dict)
    values: dict[str, Row] = field(default_factory=dict)

    @classmethod
    async def build(cls, conn: AsyncConnection) -> World:
        world = cls()
        for key, make in WORLD_ROWS.items():
            world.values[key] = make(world.ids)
            world.ids[key] = await insert(conn, table_of(key), world.values[key])
        return world

    def another(self, key: str) -> Row:
        """A fresh row for the table under the world's parents (new unique values)."""
        return WORLD_ROWS[key](self.ids)
