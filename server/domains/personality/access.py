"""Who sees a personality test session: the one rule every read and write goes through.

A session and its result are the taker's (`mbti_test_sessions.user_id`). Nobody else sees them,
not the company's admins and not the platform's system_admin, until the taker shares a completed
result (status `shared`, see `models.enums.MbtiStatus`). Sharing means exactly this: the staff of
the session's company (`mbti_test_sessions.company_id`, the taker's company when they started),
that is its users holding company_admin, recruiter or employer, may read the result. Never another
tenant, never a candidate-only account of the same company, never a system_admin (this is
narrower than `TenantScope`, which lets a system_admin see every tenant). Revoking the share puts
the status back to `completed` and the result is the taker's alone again.

A session you may not see answers **404**, exactly like a missing id; one you may see (a shared
result) but not change (only the taker answers, completes, shares or revokes) answers **403**.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MbtiTestSession
from models.enums import MbtiStatus
from server.auth.principal import Principal, RoleName
from server.errors import Forbidden, NotFound

STAFF_ROLES = frozenset({RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER})
"""Who "the company's staff" are, for a shared result."""


def _staff_company(principal: Principal) -> int | None:
    """The company whose shared results the principal reads, if any."""
    if principal.company_id is None or not principal.roles.intersection(STAFF_ROLES):
        return None
    return principal.company_id


def readable(principal: Principal) -> ColumnElement[bool]:
    """The sessions the principal sees: their own, and their company's shared results (staff only)."""
    own = MbtiTestSession.user_id == principal.user_id
    company_id = _staff_company(principal)
    if company_id is None:
        return own
    shared = and_(MbtiTestSession.status == MbtiStatus.SHARED, MbtiTestSession.company_id == company_id)
    return or_(own, shared)


def is_taker(principal: Principal, session: MbtiTestSession) -> bool:
    return session.user_id == principal.user_id


def not_found(session_id: int) -> NotFound:
    return NotFound(f"Personality test session {session_id} was not found.")


async def load(
    db: AsyncSession, principal: Principal, session_id: int, *, write: bool = False
) -> MbtiTestSession:
    """The session, or 404 when unseen; with `write`, 403 unless the principal is its taker.

    Writes take the row lock (SELECT ... FOR UPDATE on MySQL), so two answers or an answer and the
    completion of one session never interleave.
    """

    statement = select(MbtiTestSession).where(MbtiTestSession.id == session_id, readable(principal))
    session = await db.scalar(statement.with_for_update() if write else statement)
    if session is None:
        raise not_found(session_id)
    if write and not is_taker(principal, session):
        raise Forbidden("Only the person who took the test may change it.", code="not_taker")
    return session
