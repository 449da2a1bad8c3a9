"""Principals (and recipients' accounts) reused for seconds, never past a change: what
`server.auth.principals` keeps and drops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import RefreshToken, Role, User, UserRole
from models.enums import CompanyType
from server.auth.principal import Account, Principal, RoleName, load_account, load_principal
from server.auth.principals import PrincipalCache, user_scope
from server.context import AppContext
from server.domains.messages.schemas import MessageSend
from server.domains.messages.services import MessagesService
from server.errors import NotFound
from tests.factories import make_company, make_user
from tests.realtime.harness import free_port


def principal(user_id: int = 1, company_id: int | None = 10) -> Principal:
    return Principal(
        user_id=user_id,
        email=f"u{user_id}@example.jp",
        company_id=company_id,
        company_type=CompanyType.EMPLOYER,
        roles=frozenset({RoleName.EMPLOYER}),
        session_id=f"s{user_id}",
    )


class Loads:
    """A fetch that counts how often the database would have been asked."""

    def __init__(self, found: Principal) -> None:
        self.found = found
        self.count = 0

    async def __call__(self) -> Principal:
        self.count += 1
        return self.found


async def test_a_principal_is_reused_within_its_seconds_and_read_again_after() -> None:
    cache = PrincipalCache(None, seconds=0.2)
    fetch = Loads(principal())
    assert await cache.load(1, "s1", fetch) == fetch.found
    assert await cache.load(1, "s1", fetch) == fetch.found
    assert fetch.count == 1
    await asyncio.sleep(0.25)
    await cache.load(1, "s1", fetch)
    assert fetch.count == 2


async def test_principals_loaded_together_do_not_all_expire_together() -> None:
    cache = PrincipalCache(None, seconds=0.4)
    fetches = [Loads(principal(n)) for n in range(100)]
    for n, fetch in enumerate(fetches):
        await cache.load(n, f"s{n}", fetch)
    await asyncio.sleep(0.3)
    for n, fetch in enumerate(fetches):
        await cache.load(n, f"s{n}", fetch)
    halfway = [fetch.count for fetch in fetches]
    assert 0 < halfway.count(2) < 100  # some read again past half their seconds, not all
    assert set(halfway) == {1, 2}
    await asyncio.sleep(0.45)  # past the longest any of them is kept
    for n, fetch in enumerate(fetches):
        await cache.load(n, f"s{n}", fetch)
    assert [fetch.count for fetch in fetches] == [count + 1 for count in halfway]


async def test_a_token_of_another_user_never_gets_the_cached_principal_of_its_session_id() -> None:
    cache = PrincipalCache(None, seconds=30)
    await cache.load(1, "s1", Loads(principal(1)))
    other = Loads(principal(2))
    assert await cache.load(2, "s1", other) == other.found
    assert other.count == 1


@pytest.mark.parametrize(
    ("scopes", "kept"),
    [
        ({"user:1"}, {2, 3}),
        ({"company:10"}, {3}),
        ({"all"}, set()),
        ({"unchanged"}, {1, 2, 3}),
        ({"user:3", "company:99"}, {1, 2}),
    ],
)
async def test_a_drop_forgets_exactly_the_principals_of_its_scopes(scopes: set[str], kept: set[int]) -> None:
    cache = PrincipalCache(None, seconds=30)
    people = {1: principal(1, 10), 2: principal(2, 10), 3: principal(3, 20)}
    for user_id, found in people.items():
        await cache.load(user_id, found.session_id, Loads(found))
    cache.drop(scopes)
    loads = {user_id: Loads(found) for user_id, found in people.items()}
    for user_id, found in people.items():
        await cache.load(user_id, found.session_id, loads[user_id])
    assert {user_id for user_id, fetch in loads.items() if fetch.count == 0} == kept


async def test_a_load_that_began_before_a_drop_is_answered_but_not_kept() -> None:
    cache = PrincipalCache(None, seconds=30)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> Principal:
        started.set()
        await release.wait()
        return principal()

    loading = asyncio.create_task(cache.load(1, "s1", slow))
    await started.wait()
    cache.drop({user_scope(1)})
    release.set()
    assert await loading == principal()
    fetch = Loads(principal())
    await cache.load(1, "s1", fetch)
    assert fetch.count == 1


async def test_a_process_that_cannot_hear_revocations_reads_every_principal_afresh() -> None:
    unreachable = aioredis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    cache = PrincipalCache(unreachable, seconds=30)
    try:
        fetch = Loads(principal())
        for _ in range(3):
            await cache.load(1, "s1", fetch)
        assert fetch.count == 3
    finally:
        await cache.close()
        await unreachable.aclose()


async def test_a_commit_that_changes_a_user_drops_their_principal_in_this_process(
    ctx: AppContext, session: AsyncSession
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    user = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    other = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    await ctx.principals.start()
    mine, theirs = Loads(principal(user.id)), Loads(principal(other.id))
    await ctx.principals.load(user.id, "s1", mine)
    await ctx.principals.load(other.id, "s2", theirs)

    user.is_suspended = True
    await session.commit()
    await ctx.principals.load(user.id, "s1", mine)
    await ctx.principals.load(other.id, "s2", theirs)
    assert (mine.count, theirs.count) == (2, 1)


async def test_a_bulk_update_of_sessions_drops_the_scope_it_names_or_everyone(
    ctx: AppContext, session: AsyncSession
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    users = [await make_user(session, ctx.passwords, company, RoleName.EMPLOYER) for _ in range(2)]
    await session.commit()
    await ctx.principals.start()
    fetches = [Loads(principal(u.id)) for u in users]

    async def load_both() -> list[int]:
        for user, fetch in zip(users, fetches, strict=True):
            await ctx.principals.load(user.id, f"s{user.id}", fetch)
        return [fetch.count for fetch in fetches]

    assert await load_both() == [1, 1]
    await session.execute(
        update(RefreshToken).where(RefreshToken.user_id == users[0].id).values(is_active=False),
        execution_options={"principals": user_scope(users[0].id)},
    )
    await session.commit()
    assert await load_both() == [2, 1]
    await session.execute(update(User).where(User.id == users[1].id).values(is_suspended=False))
    await session.commit()
    assert await load_both() == [3, 2]


async def test_the_request_path_reads_a_revoked_role_on_the_very_next_call(
    ctx: AppContext, session: AsyncSession
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    user = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER, RoleName.RECRUITER)
    await session.commit()
    family = "family-of-test"
    session.add(
        RefreshToken(user_id=user.id, token=f"{family}.x", expires_at=datetime.now(UTC) + timedelta(days=1))
    )
    await session.commit()

    async def fetch() -> Principal:
        async with ctx.sessionmaker() as db:
            return await load_principal(db, user.id, family)

    await ctx.principals.start()
    first = await ctx.principals.load(user.id, family, fetch)
    assert first.roles == {RoleName.EMPLOYER, RoleName.RECRUITER}
    link = await session.scalar(
        select(UserRole).join(Role).where(UserRole.user_id == user.id, Role.name == RoleName.RECRUITER)
    )
    await session.delete(link)
    await session.commit()
    assert (await ctx.principals.load(user.id, family, fetch)).roles == {RoleName.EMPLOYER}


async def test_an_account_is_reused_and_dropped_with_its_user_or_company(
    ctx: AppContext, session: AsyncSession
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    user = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    await ctx.principals.start()
    reads = 0

    async def fetch() -> Account | None:
        nonlocal reads
        reads += 1
        async with ctx.sessionmaker() as db:
            return await load_account(db, user.id)

    first = await ctx.principals.account(user.id, fetch)
    assert first == Account(user_id=user.id, company_id=company.id, usable=True, roles={RoleName.EMPLOYER})
    assert await ctx.principals.account(user.id, fetch) == first
    assert reads == 1

    user.is_suspended = True
    await session.commit()
    suspended = await ctx.principals.account(user.id, fetch)
    assert (reads, suspended is not None and suspended.usable) == (2, False)

    user.is_suspended = False
    await session.commit()
    await ctx.principals.account(user.id, fetch)
    company.is_active = "0"
    await session.commit()
    closed = await ctx.principals.account(user.id, fetch)
    assert (reads, closed is not None and closed.usable) == (4, False)


async def test_a_user_not_found_is_never_kept() -> None:
    cache = PrincipalCache(None, seconds=30)
    reads = 0

    async def fetch() -> Account | None:
        nonlocal reads
        reads += 1
        return None

    assert await cache.account(7, fetch) is None
    assert await cache.account(7, fetch) is None
    assert reads == 2


async def test_a_recipient_suspended_between_two_sends_is_refused_at_the_second(
    ctx: AppContext, session: AsyncSession
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    sender = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    recipient = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    await ctx.principals.start()
    me = principal(sender.id, company.id)
    async with ctx.transaction() as db:
        await MessagesService(db, me, ctx.principals).send(MessageSend(to=recipient.id, content="one"))

    recipient.is_suspended = True
    await session.commit()
    with pytest.raises(NotFound) as refused:
        async with ctx.transaction() as db:
            await MessagesService(db, me, ctx.principals).send(MessageSend(to=recipient.id, content="two"))
    assert refused.value.code == "recipient_not_found"
