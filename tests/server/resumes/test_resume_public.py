"""Public links: no login, no contact details, views counted once a minute per client, links that
die the moment the resume stops being public."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from models import Resume
from server.asgi import create
from server.context import AppContext
from server.domains.resumes.documents.model import DocumentKind, ResumeDocument
from server.settings import Settings
from tests.backends import REDIS_URL
from tests.server.resumes.conftest import Resumes
from tests.server.tenants import Callers, Client, assert_error

PUBLIC_FIELDS = {
    "title",
    "name",
    "summary",
    "skills",
    "languages",
    "certifications",
    "education",
    "experience",
    "projects",
    "updated_at",
}
STUB_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[DocumentKind, ResumeDocument]]:
    """What the renderer was asked to draw (it answers a stub PDF, quickly)."""
    calls: list[tuple[DocumentKind, ResumeDocument]] = []

    def render(kind: DocumentKind, document: ResumeDocument) -> bytes:
        calls.append((kind, document))
        return STUB_PDF

    monkeypatch.setattr("server.domains.resumes.documents_source.render", render)
    return calls


async def publish(callers: Callers, target: str = "mine", who: str = "candidate") -> dict[str, Any]:
    response = await callers.call(who, "PATCH", f"/api/resumes/{{{target}}}", json={"visibility": "public"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def link(resume: dict[str, Any], settings: Settings) -> str:
    url: str = resume["public_url"]
    assert url.startswith(f"{settings.public_base_url}/api/public/resumes/")
    return url.removeprefix(settings.public_base_url)


async def counts(ctx: AppContext, resume_id: int) -> tuple[int, int]:
    async with ctx.sessionmaker() as db:
        row = (
            await db.execute(select(Resume.view_count, Resume.download_count).where(Resume.id == resume_id))
        ).one()
    return row[0], row[1]


async def test_a_public_link_shows_the_resume_without_login_or_contact_details(
    callers: Callers, settings: Settings, resumes: Resumes, ctx: AppContext
) -> None:
    resume = await publish(callers)
    slug = resume["public_url"].rsplit("/", 1)[1]
    assert resume["is_public"] is True
    assert len(slug) >= 32
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(Resume.public_slug).where(Resume.id == resumes["mine"])) == slug

    response = await callers.client.get(link(resume, settings))

    assert response.status_code == 200, response.text
    shown = response.json()
    assert set(shown) == PUBLIC_FIELDS
    assert shown["name"] == "Tenant candidate"
    assert shown["skills"] == resume["skills"]
    assert shown["experience"] == resume["experience"]
    text = response.text
    for secret in ("candidate@tenants.example.jp", "03-1111-2222", "佐藤 一郎", "やまだ"):
        assert secret not in text


async def test_views_count_once_per_client_a_minute(
    callers: Callers, settings: Settings, resumes: Resumes, ctx: AppContext
) -> None:
    path = link(await publish(callers), settings)

    for _ in range(3):
        assert (await callers.client.get(path, headers={"User-Agent": "Firefox"})).status_code == 200
    assert await counts(ctx, resumes["mine"]) == (1, 0)

    assert (await callers.client.get(path, headers={"User-Agent": "Safari"})).status_code == 200
    assert (await callers.client.get(path, headers={"User-Agent": "Safari"})).status_code == 200
    assert await counts(ctx, resumes["mine"]) == (2, 0)
    assert (await callers.call("candidate", "GET", "/api/resumes/{mine}")).json()["view_count"] == 2


async def test_concurrent_views_of_distinct_clients_all_count(
    callers: Callers, settings: Settings, resumes: Resumes, ctx: AppContext
) -> None:
    path = link(await publish(callers), settings)

    answers = await asyncio.gather(
        *(callers.client.get(path, headers={"User-Agent": f"Browser/{n}"}) for n in range(20))
    )

    assert [a.status_code for a in answers] == [200] * 20
    assert await counts(ctx, resumes["mine"]) == (20, 0)


@pytest.fixture
async def second_process(settings: Settings) -> AsyncIterator[Client]:
    """Another app on the same database (and Redis, when configured): another process's view."""
    async with AsyncTestClient(app=create(settings)) as client:
        yield client


async def test_the_once_a_minute_window_is_shared_through_redis(
    callers: Callers, settings: Settings, resumes: Resumes, ctx: AppContext, second_process: Client
) -> None:
    path = link(await publish(callers), settings)

    assert (await callers.client.get(path, headers={"User-Agent": "Edge"})).status_code == 200
    assert (await second_process.get(path, headers={"User-Agent": "Edge"})).status_code == 200

    # With Redis every process counts together; the embedded default counts per process.
    assert await counts(ctx, resumes["mine"]) == ((1, 0) if REDIS_URL else (2, 0))


async def test_a_link_dies_when_made_private_or_deleted_and_public_again_is_a_new_link(
    callers: Callers, settings: Settings, resumes: Resumes, drawn: list[Any]
) -> None:
    first = link(await publish(callers), settings)
    assert (await callers.client.get(first)).status_code == 200

    hidden = await callers.call("candidate", "PATCH", "/api/resumes/{mine}", json={"visibility": "company"})

    assert (hidden.json()["is_public"], hidden.json()["public_url"]) == (False, None)
    assert_error(await callers.client.get(first), 404, "not_found")
    assert_error(await callers.client.get(f"{first}/rirekisho.pdf"), 404, "not_found")

    second = link(await publish(callers), settings)
    assert second != first
    assert (await callers.client.get(second)).status_code == 200
    assert_error(await callers.client.get(first), 404, "not_found")
    # Publishing an already public resume keeps its link.
    assert link(await publish(callers), settings) == second

    assert (await callers.call("candidate", "DELETE", "/api/resumes/{mine}")).status_code == 204
    assert_error(await callers.client.get(second), 404, "not_found")
    assert_error(await callers.client.get(f"{second}/shokumu.pdf"), 404, "not_found")

    restored = await callers.call("candidate", "POST", "/api/resumes/{mine}/restore")
    assert restored.status_code == 200, restored.text
    third = link(restored.json(), settings)
    assert third not in (first, second)
    assert (await callers.client.get(third)).status_code == 200
    assert_error(await callers.client.get(second), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/public/resumes/nope",
        "/api/public/resumes/" + "x" * 101,
        "/api/public/resumes/nope/rirekisho.pdf",
        "/api/public/resumes/nope/resume.pdf",
    ],
)
async def test_an_unknown_link_is_404(callers: Callers, resumes: Resumes, path: str) -> None:
    assert_error(await callers.client.get(path), 404, "not_found")


async def test_a_private_resume_has_no_link(callers: Callers, resumes: Resumes, ctx: AppContext) -> None:
    response = await callers.call("candidate", "GET", "/api/resumes/{private}")
    assert (response.json()["is_public"], response.json()["public_url"]) == (False, None)
    async with ctx.transaction() as db:
        row = await db.get(Resume, resumes["private"])
        assert row is not None
        row.public_slug = "forged-slug-of-a-private-resume"
        row.is_public = True
    assert_error(
        await callers.client.get("/api/public/resumes/forged-slug-of-a-private-resume"), 404, "not_found"
    )


async def test_public_pdfs_count_downloads_and_leave_out_references_and_account_contacts(
    callers: Callers, settings: Settings, resumes: Resumes, ctx: AppContext, drawn: list[Any]
) -> None:
    path = link(await publish(callers), settings)

    for kind in ("rirekisho", "shokumu", "resume"):
        response = await callers.client.get(f"{path}/{kind}.pdf")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")

    assert [kind for kind, _ in drawn] == list(DocumentKind)
    for _, document in drawn:
        assert document.references == []
        assert (document.person.email, document.person.phone) == ("", None)
        assert document.profile.name_kana == "やまだ たろう"
    assert await counts(ctx, resumes["mine"]) == (0, 3)
