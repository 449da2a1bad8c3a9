"""/api/attachments end to end on the local storage: uploads, refusals, dedupe, names, downloads.

Files hang on the fake `test_owner` entity (a company id; see helpers): a company's people may
see its files, candidates may not change them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from models import Attachment, AuditLog
from server.context import AppContext
from server.settings import Settings
from tests.server.files import helpers
from tests.server.files.conftest import SMALL_CAP
from tests.server.files.helpers import (
    BASE,
    disposition_filename,
    raw_form,
    stored_files,
    tree,
    upload,
    upload_as,
)
from tests.server.tenants import Callers, Client, Tenants, assert_error, error_fields


async def _rows(ctx: AppContext) -> list[Attachment]:
    async with ctx.sessionmaker() as db:
        return list(await db.scalars(select(Attachment).order_by(Attachment.id)))


async def test_upload_stores_the_sniffed_type_under_a_server_chosen_name(
    callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings
) -> None:
    r = await upload_as(
        callers, "recruiter", tenants.home.id, name="求人票.docx", content=helpers.DOCX,
        claimed_type="application/octet-stream", fields={"description": "募集要項"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["filename"] == "求人票.docx"
    assert body["mime_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert body["file_size"] == len(helpers.DOCX)
    assert body["description"] == "募集要項"
    assert body["uploaded_by"] == tenants.user("recruiter").id
    assert body["company_id"] == tenants.home.id
    assert body["upload_status"] == "completed"
    assert body["download_url"] == f"{BASE}/{body['id']}/download"
    assert "file_path" not in body and "stored_filename" not in body
    [row] = await _rows(ctx)
    assert row.file_path == f"companies/{tenants.home.id}/{row.file_hash[:2]}/{row.file_hash}"  # type: ignore[index]
    assert row.stored_filename.endswith(".docx") and "求人票" not in row.stored_filename
    assert stored_files(settings.storage_dir) == [settings.storage_dir / row.file_path]

    got = await callers.call("candidate", "GET", f"{BASE}/{body['id']}")
    assert got.status_code == 200 and got.json() == body


async def test_a_japanese_name_survives_the_round_trip(callers: Callers, tenants: Tenants) -> None:
    name = "履歴書_高橋陽菜（最新版）.pdf"
    r = await upload_as(callers, "recruiter", tenants.home.id, name=name)
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == name
    download = await callers.call("candidate", "GET", r.json()["download_url"])
    assert download.status_code == 200
    assert download.content == helpers.PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(helpers.PDF))
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.isascii()
    assert disposition.startswith("attachment; filename=\"download.pdf\"; filename*=UTF-8''")
    assert disposition_filename(disposition) == name


async def test_text_downloads_say_their_charset(callers: Callers, tenants: Tenants) -> None:
    r = await upload_as(callers, "recruiter", tenants.home.id, name="メモ.csv", content=helpers.CSV)
    assert r.status_code == 201 and r.json()["mime_type"] == "text/csv"
    download = await callers.call("recruiter", "GET", r.json()["download_url"])
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.content.decode() == helpers.CSV.decode()


async def test_a_path_in_the_client_name_never_reaches_the_file_system(
    client: Client, callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings, tmp_path: Path
) -> None:
    """The raw multipart body carries the name exactly as a hostile client would send it."""
    before = {p for p in tree(tmp_path) if settings.storage_dir not in p.parents}
    body, content_type = raw_form(
        [
            ("entity_type", None, b"test_owner"),
            ("entity_id", None, str(tenants.home.id).encode()),
            ("file", "../../etc/passwd", helpers.TEXT),
        ]
    )
    headers = {**await callers.headers("recruiter"), "content-type": content_type}
    r = await client.post(BASE, content=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "passwd"
    [row] = await _rows(ctx)
    assert "passwd" not in row.file_path and "passwd" not in row.stored_filename
    [stored] = stored_files(settings.storage_dir)
    assert stored == (settings.storage_dir / row.file_path).resolve()
    assert stored.read_bytes() == helpers.TEXT
    after = {p for p in tree(tmp_path) if settings.storage_dir not in p.parents}
    storage = {settings.storage_dir, *settings.storage_dir.parents}
    written = {p for p in after - before if not p.name.startswith("test.db") and p not in storage}
    assert written == set()
    assert not any(p.name == "passwd" for p in tree(tmp_path))
    download = await callers.call("recruiter", "GET", r.json()["download_url"])
    assert disposition_filename(download.headers["content-disposition"]) == "passwd"


async def test_refused_uploads_store_nothing(
    callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings
) -> None:
    home = tenants.home.id
    cases = [
        ({"name": "report.pdf", "content": helpers.ELF}, 415, "unsupported_media_type"),
        ({"name": "report.pdf", "content": helpers.MZ}, 415, "unsupported_media_type"),
        ({"name": "invoice.docx", "content": helpers.DOCM}, 415, "unsupported_media_type"),
        ({"name": "empty.pdf", "content": b""}, 422, "validation_error"),
    ]
    for kwargs, status, code in cases:
        r = await upload_as(callers, "recruiter", home, **kwargs)  # type: ignore[arg-type]
        assert_error(r, status, code)
    empty = await upload_as(callers, "recruiter", home, name="empty.pdf", content=b"")
    assert error_fields(empty) == ["file"]
    assert await _rows(ctx) == []
    assert stored_files(settings.storage_dir) == []
    assert helpers.staging_leftovers(settings.storage_dir) == []


async def test_form_mistakes_are_422_and_other_bodies_415(
    client: Client, callers: Callers, tenants: Tenants
) -> None:
    home = tenants.home.id
    headers = await callers.headers("recruiter")
    cases = [
        ({"entity_type": "test_owner"}, ["entity_id"]),
        ({"entity_type": "test_owner", "entity_id": "abc"}, ["entity_id"]),
        ({"entity_type": "no_such_type", "entity_id": home}, ["entity_type"]),
        ({"entity_type": "Bad Type", "entity_id": home}, ["entity_type"]),
        ({"entity_type": "todo", "entity_id": home}, ["entity_type"]),
        ({"entity_type": "test_owner", "entity_id": home, "colour": "red"}, ["colour"]),
        ({"entity_type": "test_owner", "entity_id": home, "description": "x" * 2001}, ["description"]),
    ]
    for fields, named in cases:
        r = await upload(client, headers, **fields)
        assert_error(r, 422, "validation_error")
        assert error_fields(r) == named, (fields, r.json())
    fields_only, content_type = raw_form([("entity_type", None, b"test_owner"), ("entity_id", None, b"1")])
    no_file = await client.post(BASE, content=fields_only, headers={**headers, "content-type": content_type})
    assert_error(no_file, 422, "validation_error")
    assert error_fields(no_file) == ["file"]
    as_json = await client.post(BASE, headers=headers, json={"entity_type": "test_owner", "entity_id": home})
    assert_error(as_json, 415, "unsupported_media_type")
    as_urlencoded = await client.post(BASE, headers=headers, data={"entity_type": "test_owner"})
    assert_error(as_urlencoded, 415, "unsupported_media_type")
    broken, content_type = raw_form([("file", "a.pdf", helpers.PDF)])
    truncated = await client.post(
        BASE, content=broken[:-10], headers={**headers, "content-type": content_type}
    )
    assert_error(truncated, 400, "malformed_multipart")


async def test_the_size_cap_is_exact_and_an_oversized_upload_leaves_nothing(
    small_client: Client, callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings
) -> None:
    headers = await callers.headers("recruiter")
    home = tenants.home.id
    at_cap = helpers.PDF + b"%" * (SMALL_CAP - len(helpers.PDF))
    over = at_cap + b"%"
    r = await upload(small_client, headers, content=over, entity_type="test_owner", entity_id=home)
    assert_error(r, 413, "payload_too_large")
    assert await _rows(ctx) == []
    assert stored_files(settings.storage_dir) == []
    assert helpers.staging_leftovers(settings.storage_dir) == []
    huge = helpers.PDF + b"%" * (200 * 1024)
    r = await upload(small_client, headers, content=huge, entity_type="test_owner", entity_id=home)
    assert_error(r, 413, "payload_too_large")
    r = await upload(small_client, headers, content=at_cap, entity_type="test_owner", entity_id=home)
    assert r.status_code == 201, r.text
    assert r.json()["file_size"] == SMALL_CAP


async def test_identical_content_is_stored_once_per_company(
    callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings
) -> None:
    first = await upload_as(callers, "recruiter", tenants.home.id, name="a.pdf")
    second = await upload_as(callers, "home_admin", tenants.home.id, name="b.pdf")
    elsewhere = await upload_as(callers, "other_user", tenants.other.id, name="a.pdf")
    assert {first.status_code, second.status_code, elsewhere.status_code} == {201}
    a, b, c = await _rows(ctx)
    assert a.file_hash == b.file_hash == c.file_hash
    assert a.file_path == b.file_path
    assert a.stored_filename != b.stored_filename
    assert c.file_path != a.file_path and c.file_path.startswith(f"companies/{tenants.other.id}/")
    assert len(stored_files(settings.storage_dir)) == 2

    deleted = await callers.call("recruiter", "DELETE", f"{BASE}/{a.id}")
    assert deleted.status_code == 204
    still = await callers.call("recruiter", "GET", f"{BASE}/{b.id}/download")
    assert still.status_code == 200 and still.content == helpers.PDF
    assert len(stored_files(settings.storage_dir)) == 2


async def test_soft_deletion_hides_the_file_and_keeps_the_record(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    home = tenants.home.id
    kept = (await upload_as(callers, "recruiter", home, name="kept.pdf", content=helpers.PDF + b"1")).json()
    gone = (await upload_as(callers, "recruiter", home, name="gone.pdf", content=helpers.PDF + b"2")).json()
    r = await callers.call("home_admin", "DELETE", f"{BASE}/{gone['id']}")
    assert r.status_code == 204
    for path in (f"{BASE}/{gone['id']}", f"{BASE}/{gone['id']}/download"):
        assert_error(await callers.call("recruiter", "GET", path), 404, "not_found")
    assert_error(await callers.call("home_admin", "DELETE", f"{BASE}/{gone['id']}"), 404, "not_found")
    page = await callers.call(
        "recruiter", "GET", BASE, params={"entity_type": "test_owner", "entity_id": home}
    )
    assert page.json()["total"] == 1 and [i["id"] for i in page.json()["items"]] == [kept["id"]]
    async with ctx.sessionmaker() as db:
        row = await db.get(Attachment, gone["id"])
        assert row is not None and row.is_deleted and row.deleted_at is not None
        assert row.deleted_by == tenants.user("home_admin").id
        audited = await db.scalar(
            select(func.count()).where(
                AuditLog.entity_type == "attachments", AuditLog.entity_id == gone["id"]
            )
        )
    assert audited == 2  # the upload and the deletion


async def test_lists_page_filter_and_sort(callers: Callers, tenants: Tenants) -> None:
    home = tenants.home.id
    sizes = {}
    for who, name, extra in [
        ("recruiter", "b.pdf", 30),
        ("home_admin", "a.pdf", 10),
        ("recruiter", "c.pdf", 20),
    ]:
        r = await upload_as(callers, who, home, name=name, content=helpers.PDF + b"%" * extra)
        sizes[name] = r.json()["file_size"]
    await upload_as(callers, "other_user", tenants.other.id, name="theirs.pdf")
    params = {"entity_type": "test_owner", "entity_id": home}

    async def names(**more: object) -> tuple[int, list[str]]:
        r = await callers.call("candidate", "GET", BASE, params={**params, **more})
        assert r.status_code == 200, r.text
        return r.json()["total"], [item["filename"] for item in r.json()["items"]]

    assert await names(sort="-id") == (3, ["c.pdf", "a.pdf", "b.pdf"])
    assert (await names())[0] == 3
    assert await names(sort="filename") == (3, ["a.pdf", "b.pdf", "c.pdf"])
    assert await names(sort="-file_size", limit=2) == (3, ["b.pdf", "c.pdf"])
    assert await names(sort="file_size", offset=1) == (3, ["c.pdf", "b.pdf"])
    assert await names(uploaded_by=tenants.user("recruiter").id, sort="id") == (2, ["b.pdf", "c.pdf"])
    bad_sort = await callers.call("candidate", "GET", BASE, params={**params, "sort": "stored_filename"})
    assert_error(bad_sort, 422, "validation_error")
    missing = await callers.call("candidate", "GET", BASE, params={"entity_type": "test_owner"})
    assert_error(missing, 422, "validation_error")


async def test_a_download_whose_content_is_gone_is_404(
    callers: Callers, tenants: Tenants, settings: Settings, ctx: AppContext
) -> None:
    r = await upload_as(callers, "recruiter", tenants.home.id)
    [row] = await _rows(ctx)
    (settings.storage_dir / row.file_path).unlink()
    assert_error(await callers.call("recruiter", "GET", r.json()["download_url"]), 404, "not_found")


async def test_the_openapi_document_describes_the_upload_form(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    for path, fields in [
        ("/api/attachments", {"file", "entity_type", "entity_id", "description"}),
        ("/api/todos/{todo_id}/attachments", {"file", "description"}),
    ]:
        form = document["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert set(form["properties"]) == fields
        assert form["properties"]["file"] == {"type": "string", "format": "binary"}
