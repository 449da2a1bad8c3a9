"""What the API says about resumes and what it accepts; reading the stored JSON sections back.

Each section is a list of one struct of `sections` (at most 50 rows), stored as the JSON of
`msgspec.to_builtins`. A stored value of another shape (an older writer's) reads as an empty
list, and a `content` that is no `Profile` reads as an empty profile: never a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

import msgspec

from models.enums import ResumeStatus, ResumeVisibility
from server.domains.resumes.sections import (
    MAX_ROWS,
    Certification,
    Education,
    Experience,
    Language,
    Profile,
    Project,
    Reference,
    Skill,
)
from server.schemas import Id, Title

Summary = Annotated[str, msgspec.Meta(max_length=10_000)]
"""TEXT holds 65,535 bytes on MySQL: 10,000 characters fit even as 4-byte UTF-8."""
T = TypeVar("T", bound=msgspec.Struct)


Skills = Annotated[list[Skill], msgspec.Meta(max_length=MAX_ROWS)]
Languages = Annotated[list[Language], msgspec.Meta(max_length=MAX_ROWS)]
Certifications = Annotated[list[Certification], msgspec.Meta(max_length=MAX_ROWS)]
Educations = Annotated[list[Education], msgspec.Meta(max_length=MAX_ROWS)]
Experiences = Annotated[list[Experience], msgspec.Meta(max_length=MAX_ROWS)]
Projects = Annotated[list[Project], msgspec.Meta(max_length=MAX_ROWS)]
References = Annotated[list[Reference], msgspec.Meta(max_length=MAX_ROWS)]
Unset = msgspec.UnsetType


class ResumeOut(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    company_id: int
    title: str
    status: ResumeStatus
    visibility: ResumeVisibility
    summary: str | None
    profile: Profile
    skills: list[Skill]
    languages: list[Language]
    certifications: list[Certification]
    education: list[Education]
    experience: list[Experience]
    projects: list[Project]
    references: list[Reference]
    is_public: bool
    public_url: str | None
    """The public link (absolute), only while the visibility is `public`."""
    photo: int | None
    """The photo's attachment id (`GET /api/resumes/{id}/photo` serves it), or null."""
    download_count: int
    view_count: int
    created_at: datetime
    updated_at: datetime


class ResumeCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`user_id`: whose resume (agency staff and system_admin); a candidate leaves it out."""

    title: Title
    user_id: Id | None = None
    status: ResumeStatus = ResumeStatus.DRAFT
    visibility: ResumeVisibility = ResumeVisibility.PRIVATE
    summary: Summary | None = None
    profile: Profile = msgspec.field(default_factory=Profile)
    """`photo_attachment_id` is set by the photo routes only; a value given here is ignored."""
    skills: Skills = []
    languages: Languages = []
    certifications: Certifications = []
    education: Educations = []
    experience: Experiences = []
    projects: Projects = []
    references: References = []


class ResumeUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A section given replaces the whole list; `profile` replaces the whole profile (photo kept)."""

    title: Title | Unset = msgspec.UNSET
    status: ResumeStatus | Unset = msgspec.UNSET
    visibility: ResumeVisibility | Unset = msgspec.UNSET
    summary: Summary | Unset | None = msgspec.UNSET
    profile: Profile | Unset = msgspec.UNSET
    skills: Skills | Unset = msgspec.UNSET
    languages: Languages | Unset = msgspec.UNSET
    certifications: Certifications | Unset = msgspec.UNSET
    education: Educations | Unset = msgspec.UNSET
    experience: Experiences | Unset = msgspec.UNSET
    projects: Projects | Unset = msgspec.UNSET
    references: References | Unset = msgspec.UNSET


class ResumeFilters(msgspec.Struct, kw_only=True, frozen=True):
    user_id: Id | None = None
    status: ResumeStatus | None = None
    visibility: ResumeVisibility | None = None
    q: str | None = None
    """Words in the title or the summary (case-insensitive)."""


class PublicResumeOut(msgspec.Struct, kw_only=True):
    """What a public link shows: never contact details, birth date, address or references."""

    title: str
    name: str
    summary: str | None
    skills: list[Skill]
    languages: list[Language]
    certifications: list[Certification]
    education: list[Education]
    experience: list[Experience]
    projects: list[Project]
    updated_at: datetime


SECTION_FIELDS = (
    "skills",
    "languages",
    "certifications",
    "education",
    "experience",
    "projects",
    "references",
)


def read_rows(value: Any, item: type[T]) -> list[T]:
    """A stored section as a list of `item`; anything of another shape is an empty list."""
    if not isinstance(value, list):
        return []
    try:
        return msgspec.convert(value, list[item])  # type: ignore[valid-type]
    except msgspec.ValidationError:
        return []


def read_profile(value: Any) -> Profile:
    """A stored `content` as a Profile; anything of another shape is an empty one."""
    if not isinstance(value, dict):
        return Profile()
    try:
        return msgspec.convert(value, Profile)
    except msgspec.ValidationError:
        return Profile()


def stored(value: msgspec.Struct | list[Any]) -> Any:
    """What a column keeps: JSON builtins of the structs."""
    return msgspec.to_builtins(value)
