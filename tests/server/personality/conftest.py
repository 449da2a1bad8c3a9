"""Fixtures of the personality test tests: one more person in the home agency.

`peer` is a second candidate of the home agency: of the taker's company, but not its staff, so a
shared result stays hidden from them. `arranged` adds sessions in every state (see `Arranged`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from models import MbtiTestSession, User
from models.enums import MbtiStatus
from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.personality.poles import Pole
from server.domains.personality.scoring import score
from tests.factories import make_user
from tests.server.personality.helpers import FIXED_SHEET
from tests.server.tenants import Callers, Tenants


@pytest.fixture
async def people(ctx: AppContext, tenants: Tenants, callers: Callers) -> Tenants:
    async with ctx.transaction() as db:
        tenants.users["peer"] = await make_user(
            db,
            ctx.passwords,
            tenants.home,
            RoleName.CANDIDATE,
            email="peer@tenants.example.jp",
            first_name="peer",
        )
    return tenants


@dataclass(frozen=True)
class Arranged:
    """Sessions for the privacy rules, by name (also names for `callers.path`):

    - `result`: the candidate's completed result, not shared;
    - `shared`: the candidate's completed result, shared with the home agency's staff;
    - `open`: the candidate's session in progress (question 1 answered);
    - `foreign`: other_user's result, shared with the other agency's staff.
    """

    ids: dict[str, int]


def _session(user: User, status: MbtiStatus, **fields: Any) -> MbtiTestSession:
    done = status is not MbtiStatus.IN_PROGRESS
    result = score(FIXED_SHEET)
    columns = {f"{pole.value.lower()}_score": result.percentages[pole] for pole in Pole} if done else {}
    return MbtiTestSession(
        user_id=user.id,
        company_id=user.company_id,
        session_token=secrets.token_urlsafe(32),
        status=status,
        answers={str(q): v for q, v in FIXED_SHEET.items()} if done else {"1": 4},
        current_question=60 if done else 2,
        result_type=result.result_type if done else None,
        completed_at=datetime.now(UTC) if done else None,
        **columns,
        **fields,
    )


@pytest.fixture
async def arranged(ctx: AppContext, people: Tenants, callers: Callers) -> Arranged:
    candidate, other_user = people.user("candidate"), people.user("other_user")
    rows = {
        "result": _session(candidate, MbtiStatus.COMPLETED),
        "shared": _session(candidate, MbtiStatus.SHARED),
        "open": _session(candidate, MbtiStatus.IN_PROGRESS),
        "foreign": _session(other_user, MbtiStatus.SHARED),
    }
    async with ctx.transaction() as db:
        db.add_all(rows.values())
        await db.flush()
    ids = {name: row.id for name, row in rows.items()}
    callers.names.update(ids)
    return Arranged(ids=ids)
