"""Positions of a company: CRUD, the publishing workflow, and the public listing.

Who may do what:
- The staff of a company (company_admin, recruiter, employer) read, create and change the
  positions of their own company, drafts included: an employer advertises its own openings, an
  agency its own (or a client's, under its own name). A system_admin does all of it for any
  company, naming the company on creation. Candidates have no access to these routes (403):
  they read the public listing like everyone else.
- Deleting (soft) is for a company_admin of the position's company (or a system_admin).
- Restoring one deleted less than 90 days ago is for whoever may delete it, with the answers of
  deleting: a candidate 403, another company's position or a missing id 404, the other staff of
  its company 403; a position that is live or was deleted 90 days ago or more is 404.
- Another company's position answers 404 exactly like a missing id.
- `GET /api/public/positions` and `GET /api/public/positions/{id}` need no login and show only
  publicly listed positions (see `search.publicly_listed`).

The workflow: draft -> published -> closed, with archived reachable from every other state
and a closed position re-publishable; archived is final (its fields no longer change, 409
`position_archived`). Any other move answers 409 `illegal_transition`. Publishing sets
`posted_date` to today (Asia/Tokyo) and is refused (409 `deadline_passed`) when the application
deadline is in the past; a deadline given in a create or change must not be in the past (422).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Position
from models.enums import PositionStatus
from server import audit
from server.auth.principal import Principal, RoleName
from server.auth.tenancy import TenantScope
from server.domains.positions.schemas import (
    PositionCreate,
    PositionFilters,
    PositionOut,
    PositionUpdate,
    PublicPositionOut,
)
from server.domains.positions.search import SORTABLE, filtered, publicly_listed
from server.domains.positions.values import OUT_COLUMNS, position_out, public_position_out, skills, today
from server.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from server.listing import order_by, paginate_rows
from server.retention.policy import restorable
from server.schemas import Page, apply

WRITERS = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER)
TRANSITIONS: dict[PositionStatus, frozenset[PositionStatus]] = {
    PositionStatus.DRAFT: frozenset({PositionStatus.PUBLISHED, PositionStatus.ARCHIVED}),
    PositionStatus.PUBLISHED: frozenset({PositionStatus.CLOSED, PositionStatus.ARCHIVED}),
    PositionStatus.CLOSED: frozenset({PositionStatus.PUBLISHED, PositionStatus.ARCHIVED}),
    PositionStatus.ARCHIVED: frozenset(),
}
LABELS = {
    PositionStatus.PUBLISHED: "positions.publish",
    PositionStatus.CLOSED: "positions.close",
    PositionStatus.ARCHIVED: "positions.archive",
}


def not_found(position_id: int) -> NotFound:
    return NotFound(f"Position {position_id} was not found.")


def check_deadline(deadline: date | None) -> None:
    if deadline is not None and deadline < today():
        raise InvalidInput(
            errors=[FieldError(field="application_deadline", message="must not be in the past")]
        )


class PositionsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.scope = TenantScope(principal)

    async def search(
        self, filters: PositionFilters, *, limit: int, offset: int, sort: str
    ) -> Page[PositionOut]:
        self.principal.require(*WRITERS)
        statement = filtered(self.scope.select(Position), filters, with_status=True)
        statement = order_by(statement.with_only_columns(*OUT_COLUMNS), sort, SORTABLE)
        rows, total = await paginate_rows(self.db, statement, limit, offset)
        return Page(items=[position_out(row) for row in rows], total=total)

    async def get(self, position_id: int) -> PositionOut:
        return position_out(await self._load(position_id))

    async def _load(self, position_id: int) -> Position:
        self.principal.require(*WRITERS)
        position = await self.db.scalar(self.scope.select(Position).where(Position.id == position_id))
        if position is None:
            raise not_found(position_id)
        return position

    async def create(self, data: PositionCreate) -> PositionOut:
        self.principal.require(*WRITERS)
        company_id = await self._company_for(data.company_id)
        check_deadline(data.application_deadline)
        position = Position(
            company_id=company_id,
            title=data.title,
            description=data.description,
            requirements=data.requirements,
            location=data.location,
            employment_type=data.employment_type,
            salary_range=data.salary_range,
            experience_level=data.experience_level,
            status=PositionStatus.DRAFT,
            application_deadline=data.application_deadline,
            is_remote=data.is_remote,
            benefits=data.benefits,
            skills_required=skills(data.skills_required),
            skills_preferred=skills(data.skills_preferred),
            created_by=self.principal.user_id,
        )
        self.db.add(position)
        await self.db.flush()
        await self.db.refresh(position)
        return position_out(position)

    async def _company_for(self, requested: int | None) -> int:
        if not self.principal.is_system_admin:
            if self.principal.company_id is None:
                raise Forbidden("Positions belong to a company; you are in none.")
            if requested is not None and requested != self.principal.company_id:
                raise Forbidden("You may only create positions of your own company.")
            return self.principal.company_id
        company = await self.db.get(Company, requested) if requested is not None else None
        if company is None or company.is_deleted:
            raise InvalidInput(
                errors=[FieldError(field="company_id", message="a system_admin names a company")]
            )
        return company.id

    async def update(self, position_id: int, data: PositionUpdate) -> PositionOut:
        position = await self._load(position_id)
        if position.status is PositionStatus.ARCHIVED:
            raise Conflict("An archived position no longer changes.", code="position_archived")
        if isinstance(data.application_deadline, date):
            check_deadline(data.application_deadline)
        apply(position, data)
        if isinstance(data.skills_required, list):
            position.skills_required = skills(data.skills_required)
        if isinstance(data.skills_preferred, list):
            position.skills_preferred = skills(data.skills_preferred)
        await self.db.flush()
        await self.db.refresh(position)
        return position_out(position)

    async def change_status(self, position_id: int, status: PositionStatus) -> PositionOut:
        position = await self._load(position_id)
        if status not in TRANSITIONS[position.status]:
            raise Conflict(f"A {position.status} position cannot become {status}.", code="illegal_transition")
        if status is PositionStatus.PUBLISHED:
            deadline = position.application_deadline
            if deadline is not None and deadline < today():
                raise Conflict("The application deadline has passed.", code="deadline_passed")
            position.posted_date = today()
        position.status = status
        audit.label(self.db, position, LABELS[status])
        await self.db.flush()
        await self.db.refresh(position)
        return position_out(position)

    async def delete(self, position_id: int) -> None:
        position = await self._load(position_id)
        self.principal.require(RoleName.COMPANY_ADMIN)
        position.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def restore(self, position_id: int) -> PositionOut:
        """The checks of `delete`, in its order, on a position deleted less than 90 days ago."""
        self.principal.require(*WRITERS)
        statement = self.scope.select(Position, include_deleted=True).where(
            Position.id == position_id, restorable(Position)
        )
        position = await self.db.scalar(statement.with_for_update())
        if position is None:
            raise not_found(position_id)
        self.principal.require(RoleName.COMPANY_ADMIN)
        position.restore()
        await self.db.flush()
        await self.db.refresh(position)
        return position_out(position)


class PublicPositionsService:
    """The public listing: no principal, only publicly listed positions."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def search(
        self, filters: PositionFilters, *, limit: int, offset: int, sort: str
    ) -> Page[PublicPositionOut]:
        statement = select(Position, Company.name).join(Company, Company.id == Position.company_id)
        statement = filtered(statement.where(publicly_listed()), filters, with_status=False)
        statement = order_by(statement, sort, SORTABLE)
        total = await self.db.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
        rows = await self.db.execute(statement.limit(limit).offset(offset))
        items = [public_position_out(position, name) for position, name in rows.tuples()]
        return Page(items=items, total=int(total or 0))

    async def get(self, position_id: int) -> PublicPositionOut:
        row = (
            await self.db.execute(
                select(Position, Company.name)
                .join(Company, Company.id == Position.company_id)
                .where(Position.id == position_id, publicly_listed())
            )
        ).first()
        if row is None:
            raise not_found(position_id)
        return public_position_out(row[0], row[1])


async def publicly_listed_position(db: AsyncSession, position_id: int) -> bool:
    found = await db.scalar(
        select(Position.id)
        .join(Company, Company.id == Position.company_id)
        .where(Position.id == position_id, publicly_listed())
    )
    return found is not None


async def check_position_attachment(
    db: AsyncSession, principal: Principal, position_id: int, write: bool
) -> None:
    """Files of a position: its company's staff see and change them; anyone signed in sees those
    of a publicly listed position (a job description); anyone else gets 404."""
    staff = principal.is_system_admin or bool(principal.roles.intersection(WRITERS))
    if staff:
        scoped = TenantScope(principal).select(Position).where(Position.id == position_id)
        if await db.scalar(scoped) is not None:
            return
    if await publicly_listed_position(db, position_id):
        if write:
            raise Forbidden("Only the position's company changes its files.")
        return
    raise not_found(position_id)
