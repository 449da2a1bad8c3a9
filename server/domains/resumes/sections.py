"""The typed parts of a resume: the seed's JSON TEXT sections and the 履歴書 profile.

Each section column holds a list of one struct type and nothing else; `content` holds the
`Profile` (the personal entries of the MHLW 2021 履歴書 that have no column of their own).
Months are `YYYY-MM` strings: the 履歴書 and 職務経歴書 rows are 年/月, never a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated

import msgspec

from server.errors import FieldError, InvalidInput
from server.schemas import ONE_LINE

YearMonth = Annotated[str, msgspec.Meta(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2018-04"])]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Line = Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
MAX_ROWS = 50


class DateStyle(StrEnum):
    """How the documents print years: 和暦 (令和3年) or 西暦 (2021年)."""

    WAREKI = "wareki"
    SEIREKI = "seireki"


class EducationOutcome(StrEnum):
    GRADUATED = "graduated"  # 卒業
    COMPLETED = "completed"  # 修了 (graduate school)
    WITHDRAWN = "withdrawn"  # 中退
    ENROLLED = "enrolled"  # 在学中
    EXPECTED = "expected"  # 卒業見込み


class Skill(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Label
    level: Line | None = None
    years: Annotated[int, msgspec.Meta(ge=0, le=60)] | None = None


class Language(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    language: Label
    level: Line | None = None


class Certification(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Label
    obtained: YearMonth | None = None
    issuer: Line | None = None


class Education(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    school: Label
    department: Line | None = None
    degree: Line | None = None
    start: YearMonth
    end: YearMonth | None = None
    outcome: EducationOutcome = EducationOutcome.GRADUATED


class Experience(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    company: Label
    title: Line | None = None
    department: Line | None = None
    employment_type: Line | None = None
    start: YearMonth
    end: YearMonth | None = None
    """None: 現在に至る."""
    leaving_reason: Line | None = None
    """Printed in the 職歴 row of leaving; 一身上の都合により退社 when not given."""
    description: Text | None = None
    achievements: Annotated[list[Line], msgspec.Meta(max_length=MAX_ROWS)] = []


class Project(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Label
    role: Line | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None
    description: Text | None = None
    technologies: Annotated[list[Line], msgspec.Meta(max_length=MAX_ROWS)] = []


class Reference(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Label
    relation: Line | None = None
    company: Line | None = None
    email: Line | None = None
    phone: Line | None = None


class Profile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The 履歴書 entries that are the person's, kept in `resumes.content`."""

    name_kana: Line | None = None
    """ふりがな of the name."""
    birth_date: Annotated[str, msgspec.Meta(pattern=r"^(19|20)\d{2}-\d{2}-\d{2}$")] | None = None
    gender: Line | None = None
    """Free text, optional (the 2021 form leaves it to the applicant)."""
    postal_code: Annotated[str, msgspec.Meta(pattern=r"^\d{3}-?\d{4}$")] | None = None
    address: Line | None = None
    address_kana: Line | None = None
    phone: Annotated[str, msgspec.Meta(pattern=r"^[0-9+() -]{6,20}$")] | None = None
    email: Line | None = None
    contact_address: Line | None = None
    """連絡先, when it differs from the address."""
    motivation: Text | None = None
    """志望の動機、特技、好きな学科、アピールポイントなど."""
    wishes: Text | None = None
    """本人希望記入欄."""
    date_style: DateStyle = DateStyle.SEIREKI
    photo_attachment_id: int | None = None
    """The resume's photo: an image attachment of this resume (files mechanism)."""


SECTIONS: dict[str, type[msgspec.Struct]] = {
    "skills": Skill,
    "languages": Language,
    "certifications": Certification,
    "education": Education,
    "experience": Experience,
    "projects": Project,
    "references": Reference,
}
"""Column name -> the struct each of its list items is."""


Period = Education | Experience | Project


def check_periods(field: str, items: Sequence[Period]) -> None:
    """A period ends on or after it starts; 422 naming the row otherwise."""
    errors = [
        FieldError(field=f"{field}[{index}].end", message="ends before it starts")
        for index, item in enumerate(items)
        if item.start is not None and item.end is not None and item.end < item.start
    ]
    if errors:
        raise InvalidInput(errors=errors)
