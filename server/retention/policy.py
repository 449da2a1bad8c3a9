"""How long MiraiWorks keeps what, from `docs/db-definition.md` ("Retention Policies").

1. Audit logs: 7 years, then deleted (`audit_cutoff`).
2. File attachments: linked to the entity lifecycle: an entity's files go when the entity is
   hard-deleted, and their bytes when no row of any file table names them any more.
3. Soft-deleted records: 90 days before hard delete (`purge_cutoff`); until then they may be
   restored (`restorable`), after that they answer 404 like rows that never existed.
4. Session data: 30 days. A sign-in session (a refresh-token family) is kept 30 days after it
   ended (its newest token expired, or it was revoked) and then deleted. Two-factor codes are
   secrets that stop working when they expire (minutes after they were sent): they are
   deleted at the first purge after that, well inside the 30 days.
5. Backup archives: 1 year (the README's backup section).

Notifications are not in the definition: every notification expires `NOTIFICATION_LIFETIME`
after it was created unless its sender says otherwise, and expired ones are deleted.

Only the standard library and SQLAlchemy here: domain modules import this one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

AUDIT_LOG_YEARS = 7
SOFT_DELETE_RETENTION = timedelta(days=90)
SESSION_RETENTION = timedelta(days=30)
NOTIFICATION_LIFETIME = timedelta(days=90)
BACKUP_RETENTION = timedelta(days=365)
BATCH = 500
"""Rows per transaction: each batch commits on its own, so a purge interrupted keeps its progress."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def years_before(moment: datetime, years: int) -> datetime:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def audit_cutoff(now: datetime) -> datetime:
    """Audit rows created before this are past their 7 years."""
    return years_before(now, AUDIT_LOG_YEARS)


def purge_cutoff(now: datetime) -> datetime:
    """Rows soft-deleted at or before this are hard-deleted."""
    return now - SOFT_DELETE_RETENTION


def session_cutoff(now: datetime) -> datetime:
    """Sessions that ended before this are deleted."""
    return now - SESSION_RETENTION


def restorable(model: Any, now: datetime | None = None) -> ColumnElement[bool]:
    """Condition on a SoftDelete model: deleted less than 90 days ago, so it may come back.

    The exact complement of what the purge takes among deleted rows (`deleted_at` at or before
    `purge_cutoff`): a row is either restorable or gone, never both. A deleted row without a
    deletion time (written before the column was filled) counts as deleted now: the purge
    stamps it with its own time and takes it 90 days later."""
    cutoff = purge_cutoff(now or utcnow())
    condition: ColumnElement[bool] = and_(
        model.is_deleted.is_(True), or_(model.deleted_at.is_(None), model.deleted_at > cutoff)
    )
    return condition
