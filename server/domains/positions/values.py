"""Between API values and rows: skills lists, the calendar day in Japan, and the answers built from rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models import Position
from server.domains.positions.schemas import PositionOut, PublicPositionOut

JAPAN = ZoneInfo("Asia/Tokyo")
"""Dates of positions (posted, deadline) are calendar days in Japan, where the companies are."""


def today() -> date:
    return datetime.now(JAPAN).date()


def skills(values: list[str]) -> list[str] | None:
    """The skills in the order given, repeats ignoring case dropped; none is stored as NULL."""
    kept: dict[str, str] = {}
    for value in values:
        kept.setdefault(value.casefold(), value)
    return list(kept.values()) or None


def stored_skills(value: Any) -> list[str]:
    """A stored skills column as a list of strings, whatever an older writer left there."""
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str | int | float)]
    return []


def position_out(position: Position) -> PositionOut:
    return PositionOut(
        id=position.id,
        company_id=position.company_id,
        title=position.title,
        description=position.description,
        requirements=position.requirements,
        location=position.location,
        employment_type=position.employment_type,
        salary_range=position.salary_range,
        experience_level=position.experience_level,
        status=position.status,
        posted_date=position.posted_date,
        application_deadline=position.application_deadline,
        is_remote=position.is_remote,
        benefits=position.benefits,
        skills_required=stored_skills(position.skills_required),
        skills_preferred=stored_skills(position.skills_preferred),
        created_by=position.created_by,
        created_at=position.created_at,
        updated_at=position.updated_at,
    )


def public_position_out(position: Position, company_name: str) -> PublicPositionOut:
    return PublicPositionOut(
        id=position.id,
        company_id=position.company_id,
        company_name=company_name,
        title=position.title,
        description=position.description,
        requirements=position.requirements,
        location=position.location,
        employment_type=position.employment_type,
        salary_range=position.salary_range,
        experience_level=position.experience_level,
        posted_date=position.posted_date,
        application_deadline=position.application_deadline,
        is_remote=position.is_remote,
        benefits=position.benefits,
        skills_required=stored_skills(position.skills_required),
        skills_preferred=stored_skills(position.skills_preferred),
    )
