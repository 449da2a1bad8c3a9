"""The filters both position lists share, and what "publicly listed" means.

A position is publicly listed when it is published, not deleted, its application deadline (a
calendar day in Japan) has not passed, and its company is active and not deleted. Drafts,
closed and archived positions are never listed publicly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, func, or_

from models import Company, Position
from models.enums import PositionStatus
from server.domains.positions.schemas import PositionFilters
from server.domains.positions.values import today

SORTABLE = {
    "id": Position.id,
    "title": Position.title,
    "created_at": Position.created_at,
    "updated_at": Position.updated_at,
    "posted_date": Position.posted_date,
    "application_deadline": Position.application_deadline,
}
SEARCHED = (Position.title, Position.location, Position.skills_required, Position.skills_preferred)
MAX_WORDS = 5


def publicly_listed() -> ColumnElement[bool]:
    """The condition of the module docstring; the statement must join `Company`."""
    return and_(
        Position.status == PositionStatus.PUBLISHED,
        Position.is_deleted.is_(False),
        or_(Position.application_deadline.is_(None), Position.application_deadline >= today()),
        Company.is_active == "1",
        Company.is_deleted.is_(False),
    )


def matching(q: str) -> ColumnElement[bool]:
    """Every word (up to five) appears in the title, the location or one of the skills lists."""
    words = q.split()[:MAX_WORDS]
    return and_(
        *(
            or_(
                *(
                    func.lower(column, type_=String).contains(word.lower(), autoescape=True)
                    for column in SEARCHED
                )
            )
            for word in words
        )
    )


def filtered(statement: Select[Any], filters: PositionFilters, *, with_status: bool) -> Select[Any]:
    if filters.q and filters.q.strip():
        statement = statement.where(matching(filters.q))
    if with_status and filters.status is not None:
        statement = statement.where(Position.status == filters.status)
    if filters.employment_type is not None:
        statement = statement.where(Position.employment_type == filters.employment_type)
    if filters.experience_level is not None:
        statement = statement.where(Position.experience_level == filters.experience_level)
    if filters.is_remote is not None:
        statement = statement.where(Position.is_remote.is_(filters.is_remote))
    if filters.company_id is not None:
        statement = statement.where(Position.company_id == filters.company_id)
    if filters.created_by is not None:
        statement = statement.where(Position.created_by == filters.created_by)
    return statement
