"""The five roles every installation has.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 08:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = (
    ("system_admin", "Platform operator: manages every company; belongs to no company."),
    ("company_admin", "Administers one company: its users, roles, settings and audit log."),
    ("recruiter", "Works for a recruiting agency: candidates, positions, interviews."),
    ("employer", "Works for an employer: its positions and the interviews for them."),
    ("candidate", "A job seeker: sees only their own interviews, resumes and tests."),
)

roles = sa.table("roles", sa.column("name", sa.String), sa.column("description", sa.Text))


def upgrade() -> None:
    op.bulk_insert(roles, [{"name": name, "description": text} for name, text in ROLES])


def downgrade() -> None:
    op.execute(roles.delete().where(roles.c.name.in_([name for name, _ in ROLES])))
