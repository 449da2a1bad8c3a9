"""A resume's photo: JPEG or PNG judged from the bytes, kept as a `resume` attachment, replaced with
the previous one soft-deleted, served to whoever sees the resume."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from models import Attachment, AuditLog, Resume
from server.context import AppContext
from server.domains.resumes.documents.model import DocumentKind, ResumeDocument
from tests.server.files.helpers import ELF, GIF, JPEG, PDF, PNG, raw_form
from tests.server.resumes.conftest import TABLES, Resumes
from tests.server.resumes.test_resumes_matrix import CALLERS, SEES
from tests.server.tenants import Callers, assert_error, error_fields, snapshot


async def put_photo(
    callers: Callers, who: str, content: bytes, name: str = "写真.png", target: str = "mine"
) -> httpx.Response:
    headers = await callers.headers(who)
    files = {"file": (name, content, "image/png")}
    response: httpx.Response = await callers.client.put(
        callers.path(f"/api/resumes/{{{target}}}/photo"), headers=headers, files=files
    )
    return response


async def live_photos(ctx: AppContext, resume_id: int) -> list[tuple[int, str, bool]]:
    async with ctx.sessionmaker() as db:
        rows = await db.execute(
            select(Attachment.id, Attachment.mime_type, Attachment.is_deleted)
            .where(Attachment.entity_type == "resume", Attachment.entity_id == resume_id)
            .order_by(Attachment.id)
        )
        return [(i, m, d) for i, m, d in rows]


async def test_a_photo_is_stored_as_an_attachment_of_the_resume_and_served_back(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    response = await put_photo(callers, "candidate", PNG)

    assert response.status_code == 200, response.text
    photo_id = response.json()["photo"]
    assert response.json()["profile"]["photo_attachment_id"] == photo_id
    async with ctx.sessionmaker() as db:
        row = await db.get(Attachment, photo_id)
    assert row is not None
    assert (row.entity_type, row.entity_id, row.mime_type, row.company_id, row.uploaded_by) == (
        "resume",
        resumes["mine"],
        "image/png",
        callers.tenants.home.id,
        callers.tenants.user("candidate").id,
    )
    served = await callers.call("recruiter", "GET", "/api/resumes/{mine}/photo")
    assert served.status_code == 200, served.text
    assert (served.content, served.headers["content-type"]) == (PNG, "image/png")


async def test_a_new_photo_replaces_the_previous_one(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    first = (await put_photo(callers, "candidate", PNG)).json()["photo"]

    second = await put_photo(callers, "recruiter", JPEG, "face.jpg")

    assert second.status_code == 200, second.text
    assert await live_photos(ctx, resumes["mine"]) == [
        (first, "image/png", True),
        (second.json()["photo"], "image/jpeg", False),
    ]
    served = await callers.call("candidate", "GET", "/api/resumes/{mine}/photo")
    assert (served.content, served.headers["content-type"]) == (JPEG, "image/jpeg")


@pytest.mark.parametrize(
    "content, name, status, code",
    [
        (PDF, "写真.pdf", 415, "unsupported_media_type"),
        (PDF, "写真.png", 415, "unsupported_media_type"),
        (ELF, "写真.png", 415, "unsupported_media_type"),
        (GIF, "写真.gif", 415, "unsupported_media_type"),
        ("顔写真です".encode(), "写真.png", 415, "unsupported_media_type"),
        (b"", "写真.png", 422, "validation_error"),
    ],
)
async def test_anything_but_jpeg_or_png_is_refused_and_changes_nothing(
    callers: Callers, ctx: AppContext, resumes: Resumes, content: bytes, name: str, status: int, code: str
) -> None:
    await put_photo(callers, "candidate", PNG)
    before = await snapshot(ctx, *TABLES, AuditLog)

    response = await put_photo(callers, "candidate", content, name)

    assert_error(response, status, code)
    if status == 422:
        assert error_fields(response) == ["file"]
    assert await snapshot(ctx, *TABLES, AuditLog) == before


async def test_a_form_without_a_file_is_422_and_json_is_415(callers: Callers, resumes: Resumes) -> None:
    body, content_type = raw_form([("description", None, b"x")])
    headers = {**await callers.headers("candidate"), "content-type": content_type}
    response = await callers.client.put(
        callers.path("/api/resumes/{mine}/photo"), headers=headers, content=body
    )
    assert_error(response, 422, "validation_error")
    assert error_fields(response) == ["file"]
    json_body = await callers.call("candidate", "PUT", "/api/resumes/{mine}/photo", json={"file": "x"})
    assert_error(json_body, 415, "unsupported_media_type")


async def test_deleting_the_photo(callers: Callers, ctx: AppContext, resumes: Resumes) -> None:
    photo_id = (await put_photo(callers, "candidate", PNG)).json()["photo"]

    deleted = await callers.call("candidate", "DELETE", "/api/resumes/{mine}/photo")

    assert deleted.status_code == 204, deleted.text
    assert await live_photos(ctx, resumes["mine"]) == [(photo_id, "image/png", True)]
    assert (await callers.call("candidate", "GET", "/api/resumes/{mine}")).json()["photo"] is None
    for method in ("GET", "DELETE"):
        missing = assert_error(
            await callers.call("candidate", method, "/api/resumes/{mine}/photo"), 404, "not_found"
        )
        assert missing["detail"] == f"Resume {resumes['mine']} has no photo."


async def test_a_photo_deleted_through_the_attachment_routes_is_gone(
    callers: Callers, resumes: Resumes
) -> None:
    photo_id = (await put_photo(callers, "candidate", PNG)).json()["photo"]
    assert (await callers.call("candidate", "DELETE", f"/api/attachments/{photo_id}")).status_code == 204
    assert_error(await callers.call("candidate", "GET", "/api/resumes/{mine}/photo"), 404, "not_found")


async def test_who_gets_the_photo(callers: Callers, resumes: Resumes) -> None:
    for target in ("mine", "shared", "private"):
        assert (await put_photo(callers, "system_admin", PNG, target=target)).status_code == 200
    expected, got = [], []
    for who in ["anonymous", *CALLERS]:
        for target in ("mine", "shared", "private"):
            response = await callers.call(who, "GET", f"/api/resumes/{{{target}}}/photo")
            status = 401 if who == "anonymous" else 200 if target in SEES[who] else 404
            expected.append((who, target, status))
            got.append((who, target, response.status_code))
    assert got == expected


async def test_the_rirekisho_carries_the_photo(
    callers: Callers, resumes: Resumes, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[DocumentKind, ResumeDocument]] = []

    def render(kind: DocumentKind, document: ResumeDocument) -> bytes:
        drawn.append((kind, document))
        return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr("server.domains.resumes.documents_source.render", render)
    await put_photo(callers, "candidate", JPEG, "face.jpg")

    response = await callers.call("candidate", "GET", "/api/resumes/{mine}/rirekisho.pdf")

    assert response.status_code == 200, response.text
    assert [(kind, document.photo) for kind, document in drawn] == [(DocumentKind.RIREKISHO, JPEG)]


async def test_a_resume_row_names_its_photo(callers: Callers, ctx: AppContext, resumes: Resumes) -> None:
    photo_id = (await put_photo(callers, "candidate", PNG)).json()["photo"]
    async with ctx.sessionmaker() as db:
        content: Any = await db.scalar(select(Resume.content).where(Resume.id == resumes["mine"]))
    assert content["photo_attachment_id"] == photo_id
    # A profile sent in a PATCH never moves the photo.
    patched = await callers.call(
        "candidate",
        "PATCH",
        "/api/resumes/{mine}",
        json={"profile": {"photo_attachment_id": 1, "name_kana": "x"}},
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["photo"], patched.json()["profile"]["name_kana"]) == (photo_id, "x")
