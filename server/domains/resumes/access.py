"""Who may see, change and create a resume: the one place the rules live.

A resume belongs to its owner (`resumes.user_id`, a candidate) and is held by the owner's
company (`resumes.company_id`, the candidate's agency).

**Seeing** a resume (anyone else gets 404, exactly like a missing id; a soft-deleted resume is
404 to everyone, except to those who may restore it, on the restore route only):

- a system_admin: every resume;
- its owner (`Resume.user_id == principal.user_id`): all of their own, whatever the visibility;
- the staff (company_admin, recruiter) of the resume's company: visibility `company` or
  `public`; a `private` resume is the candidate's alone;
- an employer's staff (role employer, or anyone of an EMPLOYER company): only a resume proposed
  to their company while that interview is open (`relations.shared_resume`), and read only.

**Changing** it (PATCH, DELETE, restore, the photo): its owner, the staff of its company who see
it (on the candidate's behalf), a system_admin. Someone who sees it but may not change it (the
employer) gets 403. Restoring needs change rights on the deleted resume; anyone else, and a
resume that is not deleted, gets 404.

**Creating** one:

- a candidate creates their own (user_id = self, company_id = the candidate's company); a
  candidate of no company gets 409 `no_company`; naming another user_id is 403;
- an agency's staff create one for a candidate of their own company by giving `user_id`; a user
  who is not a live candidate of their company is 422 naming `user_id`;
- an employer (role employer, or anyone of an EMPLOYER company) gets 403;
- a system_admin creates one for any candidate of a company (`user_id` required, 422 otherwise).

Documents (PDF downloads) and the photo's bytes follow the seeing rule; the generic attachment
routes ask `check_resume_attachment` (entity type `resume`), so they follow the same rules.
Public links (`/api/public/resumes/{slug}`) need no login: see `server.domains.resumes.public`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Resume
from models.enums import ResumeVisibility
from server.auth import relations
from server.auth.principal import Principal
from server.errors import Forbidden, NotFound

is_employer_side = relations.is_employer_side
is_agency_staff = relations.is_agency_staff


def _staff_sees() -> ColumnElement[bool]:
    return Resume.visibility != ResumeVisibility.PRIVATE


def sees(principal: Principal) -> ColumnElement[bool]:
    """Condition on `Resume`, deleted or not: the principal sees it (the seeing rule above)."""
    if principal.is_system_admin:
        return true()
    staff = (
        and_(Resume.company_id == principal.company_id, _staff_sees())
        if is_agency_staff(principal)
        else false()
    )
    shared = relations.shared_resume(principal) if is_employer_side(principal) else false()
    return or_(Resume.user_id == principal.user_id, staff, shared)


def readable(principal: Principal) -> ColumnElement[bool]:
    """Condition on `Resume` for lists: live resumes the principal sees."""
    return and_(Resume.is_deleted.is_(False), sees(principal))


def receives_copy(principal: Principal, resume: Resume) -> bool:
    """The principal sees the resume only as it was shared with them (an employer through a
    proposal): the resume as written, without its references (third parties' contacts)."""
    return not may_change(principal, resume)


def may_change(principal: Principal, resume: Resume) -> bool:
    """Change rights on a resume; only meaningful for one the principal sees."""
    if principal.is_system_admin or resume.user_id == principal.user_id:
        return True
    return (
        is_agency_staff(principal)
        and resume.company_id == principal.company_id
        and resume.visibility is not ResumeVisibility.PRIVATE
    )


def not_found(resume_id: int) -> NotFound:
    return NotFound(f"Resume {resume_id} was not found.")


async def load(
    db: AsyncSession, principal: Principal, resume_id: int, *, write: bool = False, deleted: bool = False
) -> Resume:
    """The resume, or 404 when unseen (or not in the asked deletion state), 403 when `write` is
    asked of someone who may only read it. `deleted=True` (restore) answers 404 unless the
    principal may change it."""
    resume = await db.scalar(
        select(Resume).where(Resume.id == resume_id, Resume.is_deleted.is_(deleted), sees(principal))
    )
    if resume is None:
        raise not_found(resume_id)
    if (write or deleted) and not may_change(principal, resume):
        if deleted:
            raise not_found(resume_id)
        raise Forbidden("You may read this resume but not change it.")
    return resume


async def check_resume_attachment(
    db: AsyncSession, principal: Principal, resume_id: int, write: bool
) -> None:
    """Files of a resume (entity type `resume`): seeing them needs the resume seen, changing them
    change rights on it."""
    await load(db, principal, resume_id, write=write)
