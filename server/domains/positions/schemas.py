"""What the API says about positions, and what it accepts.

Skills (`skills_required`, `skills_preferred`) are JSON lists of short strings in the seed's TEXT
columns: at most 30 skills of 1 to 50 characters without surrounding blanks; repeats (ignoring
case) are dropped, the order given is kept, and an empty list is stored as NULL and answered as [].
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from models.enums import EmploymentType, ExperienceLevel, PositionStatus
from server.schemas import Id, Title

LongText = Annotated[str, msgspec.Meta(max_length=50_000)]
"""description and requirements are LONGTEXT; 50,000 characters is plenty for a job ad."""
Text = Annotated[str, msgspec.Meta(max_length=10_000)]
"""benefits is TEXT (65,535 bytes on MySQL): 10,000 characters fit even as 4-byte UTF-8."""
Location = Annotated[str, msgspec.Meta(max_length=255)]
SalaryRange = Annotated[str, msgspec.Meta(max_length=100)]
Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^\S(.*\S)?$")]
Skills = Annotated[list[Skill], msgspec.Meta(max_length=30)]


class PositionOut(msgspec.Struct, kw_only=True):
    id: int
    company_id: int
    title: str
    description: str | None
    requirements: str | None
    location: str | None
    employment_type: EmploymentType | None
    salary_range: str | None
    experience_level: ExperienceLevel | None
    status: PositionStatus
    posted_date: date | None
    """Set (to today, Asia/Tokyo) every time the position is published."""
    application_deadline: date | None
    """The last day applications are taken (Asia/Tokyo); the position leaves the public listing after it."""
    is_remote: bool
    benefits: str | None
    skills_required: list[str]
    skills_preferred: list[str]
    created_by: int
    created_at: datetime
    updated_at: datetime


class PublicPositionOut(msgspec.Struct, kw_only=True):
    """A published position as anyone, signed in or not, sees it."""

    id: int
    company_id: int
    company_name: str
    title: str
    description: str | None
    requirements: str | None
    location: str | None
    employment_type: EmploymentType | None
    salary_range: str | None
    experience_level: ExperienceLevel | None
    posted_date: date | None
    application_deadline: date | None
    is_remote: bool
    benefits: str | None
    skills_required: list[str]
    skills_preferred: list[str]


class PositionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new position is always a draft; publish it with `POST /api/positions/{id}/status`."""

    title: Title
    description: LongText | None = None
    requirements: LongText | None = None
    location: Location | None = None
    employment_type: EmploymentType | None = None
    salary_range: SalaryRange | None = None
    experience_level: ExperienceLevel | None = None
    application_deadline: date | None = None
    """Not in the past (Asia/Tokyo)."""
    is_remote: bool = False
    benefits: Text | None = None
    skills_required: Skills = []
    skills_preferred: Skills = []
    company_id: Id | None = None
    """Only a system_admin names the company; everyone else writes positions of their own."""


class PositionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET
    requirements: LongText | msgspec.UnsetType | None = msgspec.UNSET
    location: Location | msgspec.UnsetType | None = msgspec.UNSET
    employment_type: EmploymentType | msgspec.UnsetType | None = msgspec.UNSET
    salary_range: SalaryRange | msgspec.UnsetType | None = msgspec.UNSET
    experience_level: ExperienceLevel | msgspec.UnsetType | None = msgspec.UNSET
    application_deadline: date | msgspec.UnsetType | None = msgspec.UNSET
    is_remote: bool | msgspec.UnsetType = msgspec.UNSET
    benefits: Text | msgspec.UnsetType | None = msgspec.UNSET
    skills_required: Skills | msgspec.UnsetType = msgspec.UNSET
    skills_preferred: Skills | msgspec.UnsetType = msgspec.UNSET


class StatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: PositionStatus


class PositionFilters(msgspec.Struct, kw_only=True, frozen=True):
    """Filters of both lists; the public one ignores `status`, `company_id` is for system_admins
    on the company list and for anyone on the public one."""

    q: str | None = None
    """Words in the title, the location or the skills (case-insensitive)."""
    status: PositionStatus | None = None
    employment_type: EmploymentType | None = None
    experience_level: ExperienceLevel | None = None
    is_remote: bool | None = None
    company_id: Id | None = None
    created_by: Id | None = None
