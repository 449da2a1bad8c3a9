"""Downloading a resume's PDFs: the real documents, a Japanese file name, and a download count that
moves by exactly one per download, concurrent bursts included."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import select, update

from models import Resume, User
from server.context import AppContext
from tests.server.files.helpers import disposition_filename
from tests.server.resumes.conftest import Resumes
from tests.server.tenants import Callers, assert_error

NAMES = {
    "rirekisho": "履歴書_山田太郎.pdf",
    "shokumu": "職務経歴書_山田太郎.pdf",
    "resume": "Resume_山田太郎.pdf",
}


async def count_and_stamp(ctx: AppContext, resume_id: int) -> tuple[int, datetime]:
    async with ctx.sessionmaker() as db:
        row = (
            await db.execute(select(Resume.download_count, Resume.updated_at).where(Resume.id == resume_id))
        ).one()
    return row[0], row[1]


@pytest.fixture
async def yamada(ctx: AppContext, resumes: Resumes, callers: Callers) -> None:
    """The candidate is 山田 太郎."""
    async with ctx.transaction() as db:
        await db.execute(
            update(User)
            .where(User.id == callers.tenants.user("candidate").id)
            .values(last_name="山田", first_name="太郎")
        )


@pytest.mark.parametrize("kind", list(NAMES))
async def test_each_document_is_a_pdf_with_a_japanese_file_name(
    callers: Callers, ctx: AppContext, resumes: Resumes, yamada: None, kind: str
) -> None:
    before, stamp = await count_and_stamp(ctx, resumes["mine"])

    response = await callers.call("recruiter", "GET", f"/api/resumes/{{mine}}/{kind}.pdf")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert disposition_filename(disposition) == NAMES[kind]
    assert await count_and_stamp(ctx, resumes["mine"]) == (before + 1, stamp)


async def test_the_employer_downloads_the_resume_proposed_to_them(
    callers: Callers, ctx: AppContext, resumes: Resumes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "server.domains.resumes.documents_source.render", lambda kind, doc: b"%PDF-1.7\n%%EOF\n"
    )

    shared = await callers.call("employer", "GET", "/api/resumes/{shared}/shokumu.pdf")
    refused = await callers.call("employer", "GET", "/api/resumes/{mine}/shokumu.pdf")

    assert shared.status_code == 200, shared.text
    assert_error(refused, 404, "not_found")
    assert (await count_and_stamp(ctx, resumes["shared"]))[0] == 1
    assert (await count_and_stamp(ctx, resumes["mine"]))[0] == 0


async def test_a_burst_of_concurrent_downloads_counts_each_one(
    callers: Callers, ctx: AppContext, resumes: Resumes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "server.domains.resumes.documents_source.render", lambda kind, doc: b"%PDF-1.7\n%%EOF\n"
    )
    await callers.sign_in("candidate", "recruiter")
    _, stamp = await count_and_stamp(ctx, resumes["mine"])

    answers = await asyncio.gather(
        *(
            callers.call("candidate" if n % 2 else "recruiter", "GET", "/api/resumes/{mine}/resume.pdf")
            for n in range(20)
        )
    )

    assert [a.status_code for a in answers] == [200] * 20
    assert await count_and_stamp(ctx, resumes["mine"]) == (20, stamp)
    shown = await callers.call("candidate", "GET", "/api/resumes/{mine}")
    assert shown.json()["download_count"] == 20


async def test_an_unknown_document_kind_is_404(callers: Callers, resumes: Resumes) -> None:
    assert_error(await callers.call("candidate", "GET", "/api/resumes/{mine}/cv.pdf"), 404, "not_found")
