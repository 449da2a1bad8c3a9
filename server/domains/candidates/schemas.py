"""What the API says about candidates and proposals, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from models.enums import InterviewType
from server.schemas import Email, Id, Name

Phone = Annotated[str, msgspec.Meta(max_length=50)]


class CandidateOut(msgspec.Struct, kw_only=True):
    id: int
    first_name: str
    last_name: str
    email: str | None
    """None for an employer: the agency keeps its candidates' contact details."""
    phone: str | None
    company_id: int | None
    is_active: bool
    created_at: datetime


class CandidateCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    company_id: Id | None = None
    """Only a system_admin names the agency; its staff register candidates in their own."""


class ProposalCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    candidate_id: Id
    resume_id: Id
    message: Annotated[str, msgspec.Meta(max_length=5000)] | None = None
    """The agency's recommendation, kept as the interview's description."""
    interview_type: InterviewType = InterviewType.ONLINE


class ProposalOut(msgspec.Struct, kw_only=True):
    interview_id: int
    position_id: int | None
    candidate_id: int | None
    resume_id: int
    proposed_by: int
    proposed_at: datetime
    document: str
    """The 職務経歴書 as sent with the proposal (a PDF): `GET` this path."""
