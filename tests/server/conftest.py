"""Fixtures of the server tests: the tenants and callers signed in as any of their people."""

from __future__ import annotations

import pytest

from server.context import AppContext
from tests.server.tenants import Callers, Client, Tenants, create_tenants


@pytest.fixture
async def tenants(ctx: AppContext) -> Tenants:
    """Home agency, employer company, other agency and a system_admin, committed."""
    return await create_tenants(ctx)


@pytest.fixture
def callers(client: Client, tenants: Tenants) -> Callers:
    """`await callers.call("recruiter", "GET", "/api/users/{home_admin}")`."""
    return Callers(client, tenants)
