"""Positions every positions test starts from, named for path templates.

Employer Co (`employer_admin`, `employer`) and the home agency (`home_admin`, `recruiter`):

- `draft`: Employer Co's draft, by `employer`;
- `published`: Employer Co's, published a week ago, deadline in a month, remote, full-time, mid,
  skills Python / FastAPI;
- `closed`: Employer Co's closed position;
- `archived`: Employer Co's archived position;
- `expired`: Employer Co's, published, application deadline yesterday;
- `agency_post`: the home agency's own published position, by `recruiter`, in Osaka, part-time;
- `dormant`: published by a deactivated company; `removed`: published and soft-deleted;
- `foreign`: the other agency's draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from models import Position
from models.enums import EmploymentType, ExperienceLevel, PositionStatus
from server.context import AppContext
from server.domains.positions.values import today
from tests.factories import make_company, make_position, make_user
from tests.server.tenants import Callers, Tenants

NOT_FOUND = "Position {id} was not found."


def days(n: int) -> date:
    return today() + timedelta(days=n)


@dataclass(frozen=True)
class Shelf:
    positions: dict[str, Position]

    def id(self, name: str) -> int:
        return self.positions[name].id


@pytest.fixture
async def shelf(ctx: AppContext, tenants: Tenants, callers: Callers) -> Shelf:
    user = tenants.user
    published = PositionStatus.PUBLISHED
    async with ctx.transaction() as db:
        dormant_co = await make_company(db, name="Sleeping KK", is_active="0")
        dormant_author = await make_user(db, ctx.passwords, dormant_co)
        positions = {
            "draft": await make_position(db, tenants.employer_co, user("employer"), title="Data Engineer"),
            "published": await make_position(
                db,
                tenants.employer_co,
                user("employer_admin"),
                title="Backend Engineer",
                location="東京都渋谷区",
                status=published,
                posted_date=days(-7),
                application_deadline=days(30),
                is_remote=True,
                employment_type=EmploymentType.FULL_TIME,
                experience_level=ExperienceLevel.MID,
                skills_required=["Python", "FastAPI"],
            ),
            "closed": await make_position(
                db, tenants.employer_co, user("employer"), title="Closed Role", status=PositionStatus.CLOSED
            ),
            "archived": await make_position(
                db, tenants.employer_co, user("employer"), title="Old Role", status=PositionStatus.ARCHIVED
            ),
            "expired": await make_position(
                db,
                tenants.employer_co,
                user("employer"),
                title="Expired Engineer",
                status=published,
                posted_date=days(-40),
                application_deadline=days(-1),
            ),
            "agency_post": await make_position(
                db,
                tenants.home,
                user("recruiter"),
                title="キャリアアドバイザー",
                location="大阪府大阪市",
                status=published,
                posted_date=days(-1),
                employment_type=EmploymentType.PART_TIME,
                experience_level=ExperienceLevel.JUNIOR,
                skills_preferred=["人材紹介", "Excel"],
            ),
            "dormant": await make_position(
                db, dormant_co, dormant_author, title="Sleeping Engineer", status=published
            ),
            "removed": await make_position(
                db,
                tenants.employer_co,
                user("employer"),
                title="Removed Engineer",
                status=published,
                is_deleted=True,
            ),
            "foreign": await make_position(db, tenants.other, user("other_user"), title="Other Draft"),
        }
    shelf = Shelf(positions=positions)
    callers.names.update({name: position.id for name, position in positions.items()})
    return shelf
