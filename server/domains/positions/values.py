"""Between API values and rows: skills lists, the calendar day in Japan, and the answers built from rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Row

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


S = TypeVar("S", bound=msgspec.Struct)


def stored_skills(value: Any) -> list[str]:
    """A stored skills column as a list of strings, whatever an older writer left there."""
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str | int | float)]
    return []


def _copy(position: Position | Row[Any], struct: type[S], **overrides: Any) -> S:
    """The struct filled from the position's columns of the same names, skills decoded."""
    skills = {
        "skills_required": stored_skills(position.skills_required),
        "skills_preferred": stored_skills(position.skills_preferred),
    }
    given = {**skills, **overrides}
    columns = {f: getattr(position, f) for f in struct.__struct_fields__ if f not in given}
    return struct(**columns, **given)


OUT_COLUMNS = tuple(getattr(Position, field) for field in PositionOut.__struct_fields__)
"""What a list selects: the answer's columns, read into `PositionOut` without ORM objects."""


def position_out(position: Position | Row[Any]) -> PositionOut:
    return _copy(position, PositionOut)


def public_position_out(position: Position, company_name: str) -> PublicPositionOut:
    return _copy(position, PublicPositionOut, company_name=company_name)
