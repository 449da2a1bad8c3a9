"""What a resume document is drawn from: the person, the resume's parts and the photo's bytes.

The renderers take only this struct, so they never touch the database and a proposal's
snapshot, a public link and a download all print the same thing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from server.domains.resumes.sections import (
    Certification,
    Education,
    Experience,
    Language,
    Profile,
    Project,
    Reference,
    Skill,
)


class DocumentKind(StrEnum):
    RIREKISHO = "rirekisho"
    SHOKUMU = "shokumu"
    RESUME = "resume"


class Person(msgspec.Struct, kw_only=True, frozen=True):
    family_name: str
    given_name: str
    email: str
    phone: str | None = None


class ResumeDocument(msgspec.Struct, kw_only=True, frozen=True):
    person: Person
    title: str
    summary: str | None
    profile: Profile
    skills: list[Skill]
    languages: list[Language]
    certifications: list[Certification]
    education: list[Education]
    experience: list[Experience]
    projects: list[Project]
    references: list[Reference]
    as_of: date
    """The date printed as 「年 月 日現在」 (today in Japan when downloaded)."""
    photo: bytes | None = None
    """JPEG or PNG bytes for the photo box; None leaves the box empty with its label."""
