"""/api/todos/{todo_id}/attachments: a todo's files, through the same mechanism as /api/attachments.

The todo decides (server/domains/todos/access.py, registered as the "todo" owner): whoever may
see it lists, reads and downloads its files; whoever may edit it (creator, assignee, an `edit`
viewer, a company_admin, a system_admin) uploads and deletes them. A colleague who may not
see a private todo gets **404**, like another tenant; one who may only read it gets 403 on
writes. These tests run once the todos domain has registered its check.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Attachment, TodoAttachment
from models.enums import TodoVisibility
from server.context import AppContext
from server.domains.files import owners
from server.settings import Settings
from tests.factories import make_todo
from tests.server.files import helpers
from tests.server.files.helpers import disposition_filename, stored_files, upload_as
from tests.server.tenants import Callers, Expect, Tenants, assert_error, assert_rows, snapshot

pytest.importorskip("server.domains.todos.access")

FILES = "/api/todos/{todo}/attachments"


@pytest.fixture
async def todos(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, int]:
    """`private` (the recruiter's own), `shared` (company-visible, by the home admin) and
    `assigned` (the recruiter's, assigned to the candidate)."""
    assert "todo" in owners.entity_types()
    recruiter, admin = tenants.user("recruiter"), tenants.user("home_admin")
    async with ctx.transaction() as db:
        made = {
            "private": await make_todo(db, recruiter, visibility=TodoVisibility.PRIVATE),
            "shared": await make_todo(db, admin, visibility=TodoVisibility.COMPANY),
            "assigned": await make_todo(
                db,
                recruiter,
                visibility=TodoVisibility.PRIVATE,
                assigned_user_id=tenants.user("candidate").id,
            ),
        }
    ids = {name: todo.id for name, todo in made.items()}
    callers.names.update(ids)
    return ids


def _files(todo: str, tail: str = "") -> str:
    return FILES.format(todo="{" + todo + "}") + tail


async def _cells(callers: Callers, method: str, cells: list[Expect], tail: str = "") -> None:
    got = []
    for cell in cells:
        assert cell.target is not None
        if method == "POST":
            response = await upload_as(callers, cell.who, path=callers.path(_files(cell.target)))
        else:
            response = await callers.call(cell.who, method, _files(cell.target, tail))
        is_json = response.headers.get("content-type", "").startswith("application/json")
        body = response.json() if is_json and response.content else {}
        got.append(cell._replace(status=response.status_code, code=body.get("code", "") if body else ""))
    assert_rows(cells, got)


async def test_who_may_upload_to_a_todo(callers: Callers, ctx: AppContext, todos: dict[str, int]) -> None:
    refused = [
        Expect("anonymous", "private", 401, "invalid_token"),
        Expect("candidate", "private", 404, "not_found"),
        Expect("other_user", "private", 404, "not_found"),
        Expect("employer_admin", "private", 404, "not_found"),
        Expect("recruiter", "missing", 404, "not_found"),
        Expect("recruiter", "shared", 403, "forbidden"),
        Expect("candidate", "shared", 404, "not_found"),
    ]
    await callers.sign_in(*{cell.who for cell in refused} - {"anonymous"})
    before = await snapshot(ctx, TodoAttachment)
    await _cells(callers, "POST", refused)
    assert await snapshot(ctx, TodoAttachment) == before
    await _cells(
        callers,
        "POST",
        [
            Expect("recruiter", "private", 201, ""),
            Expect("home_admin", "private", 201, ""),
            Expect("system_admin", "private", 201, ""),
            Expect("home_admin", "shared", 201, ""),
            Expect("candidate", "assigned", 201, ""),
        ],
    )


async def test_who_may_list_read_download_and_delete(
    callers: Callers, tenants: Tenants, todos: dict[str, int]
) -> None:
    for todo in ("private", "shared"):
        r = await upload_as(callers, "home_admin", path=callers.path(_files(todo)), name=f"{todo}.pdf")
        assert r.status_code == 201, r.text
        callers.names[f"{todo}_file"] = r.json()["id"]
    reads = [
        Expect("anonymous", "private", 401, "invalid_token"),
        Expect("recruiter", "private", 200, ""),
        Expect("home_admin", "private", 200, ""),
        Expect("system_admin", "private", 200, ""),
        Expect("candidate", "private", 404, "not_found"),
        Expect("other_user", "private", 404, "not_found"),
        Expect("recruiter", "shared", 200, ""),
        Expect("candidate", "shared", 404, "not_found"),
        Expect("recruiter", "missing", 404, "not_found"),
    ]
    await _cells(callers, "GET", reads)
    for todo in ("private", "shared"):
        await _cells(callers, "GET", [c for c in reads if c.target == todo], f"/{{{todo}_file}}")
        await _cells(callers, "GET", [c for c in reads if c.target == todo], f"/{{{todo}_file}}/download")
    wrong_todo = await callers.call("recruiter", "GET", _files("shared", "/{private_file}"))
    assert_error(wrong_todo, 404, "not_found")
    for who, todo, status in [
        ("candidate", "private", 404),
        ("other_user", "private", 404),
        ("recruiter", "shared", 403),
        ("recruiter", "private", 204),
        ("home_admin", "private", 404),
        ("home_admin", "shared", 204),
    ]:
        r = await callers.call(who, "DELETE", _files(todo, f"/{{{todo}_file}}"))
        assert r.status_code == status, (who, todo, r.text)
    page = await callers.call("home_admin", "GET", _files("private"))
    assert page.json() == {"items": [], "total": 0}


async def test_todo_files_share_storage_and_names_with_general_attachments(
    callers: Callers, tenants: Tenants, ctx: AppContext, settings: Settings, todos: dict[str, int]
) -> None:
    name = "職務経歴書_高橋.pdf"
    on_todo = await upload_as(callers, "recruiter", path=callers.path(_files("private")), name=name)
    on_entity = await upload_as(callers, "recruiter", tenants.home.id, name="copy.pdf")
    assert on_todo.status_code == on_entity.status_code == 201
    body = on_todo.json()
    assert body["filename"] == name and body["todo_id"] == todos["private"]
    assert body["mime_type"] == "application/pdf" and body["file_size"] == len(helpers.PDF)
    async with ctx.sessionmaker() as db:
        todo_row = await db.scalar(select(TodoAttachment))
        general_row = await db.scalar(select(Attachment))
    assert todo_row is not None and general_row is not None
    assert todo_row.file_path == general_row.file_path
    assert body["file_hash"] == general_row.file_hash
    assert len(stored_files(settings.storage_dir)) == 1
    download = await callers.call("home_admin", "GET", body["download_url"])
    assert download.status_code == 200 and download.content == helpers.PDF
    assert disposition_filename(download.headers["content-disposition"]) == name

    refused = await upload_as(callers, "recruiter", path=callers.path(_files("private")), content=helpers.ELF)
    assert_error(refused, 415, "unsupported_media_type")
    empty = await upload_as(callers, "recruiter", path=callers.path(_files("private")), content=b"")
    assert_error(empty, 422, "validation_error")
