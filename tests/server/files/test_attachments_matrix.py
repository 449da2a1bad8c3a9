"""/api/attachments: who gets what on every route, with one exact status per cell.

Rules (server/domains/files/attachments.py): the owning entity decides. Its check answers 404
to whoever may not see it (another tenant, a missing entity) and 403 to whoever may see but
not change it. Here the entity is the fake `test_owner` (a company): its people see it, its
candidate may not change it, a system_admin sees everything. On top of that an account
without a company (the system_admin) may not upload (403): files belong to a company. A file
that is missing, deleted or on an entity the caller may not see answers the same 404 words,
"Attachment {id} was not found."
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from models import Attachment
from server.context import AppContext
from tests.server.files.helpers import BASE, OWNER, upload_as
from tests.server.tenants import Callers, Expect, Tenants, assert_rows, snapshot

NOT_FOUND = "Attachment {id} was not found."


@pytest.fixture
async def files(callers: Callers, tenants: Tenants) -> dict[str, int]:
    """`home_file`, `home_file2` on the home company's entity and `other_file` on the other's."""
    made = {}
    for name, who, entity in [
        ("home_file", "recruiter", tenants.home.id),
        ("home_file2", "home_admin", tenants.home.id),
        ("other_file", "other_user", tenants.other.id),
    ]:
        r = await upload_as(callers, who, entity, name=f"{name}.pdf")
        assert r.status_code == 201, r.text
        made[name] = r.json()["id"]
    callers.names.update(made)
    return made


def _answer(response: httpx.Response) -> tuple[int, str, str]:
    is_json = response.headers.get("content-type", "").startswith("application/json")
    body: Any = response.json() if is_json and response.content else {}
    if not isinstance(body, dict):
        return response.status_code, "", ""
    return response.status_code, body.get("code", ""), body.get("detail", "")


async def _run(callers: Callers, method: str, template: str, cells: list[Expect]) -> None:
    got = []
    for cell in cells:
        path = template.replace("{target}", "{" + cell.target + "}") if cell.target else template
        status, code, detail = _answer(await callers.call(cell.who, method, path))
        if status == 404 and "{target}" in template and template.startswith(f"{BASE}/"):
            expected = NOT_FOUND.format(id=callers.path("{" + str(cell.target) + "}"))
            code = code if detail == expected else f"{code} ({detail!r})"
        got.append(cell._replace(status=status, code=code))
    assert_rows(cells, got)


READ_CELLS = [
    Expect("anonymous", "home_file", 401, "invalid_token"),
    Expect("recruiter", "home_file", 200, ""),
    Expect("home_admin", "home_file", 200, ""),
    Expect("candidate", "home_file", 200, ""),
    Expect("system_admin", "home_file", 200, ""),
    Expect("employer", "home_file", 404, "not_found"),
    Expect("other_admin", "home_file", 404, "not_found"),
    Expect("recruiter", "other_file", 404, "not_found"),
    Expect("other_user", "other_file", 200, ""),
    Expect("recruiter", "missing", 404, "not_found"),
]


@pytest.mark.parametrize("route", ["{BASE}/{{target}}", "{BASE}/{{target}}/download"])
async def test_reading_and_downloading_a_file(
    callers: Callers, ctx: AppContext, files: dict[str, int], route: str
) -> None:
    await callers.sign_in(*{cell.who for cell in READ_CELLS} - {"anonymous"})
    before = await snapshot(ctx, Attachment)
    await _run(callers, "GET", route.format(BASE=BASE), READ_CELLS)
    assert await snapshot(ctx, Attachment) == before


async def test_listing_the_files_of_an_entity(callers: Callers, files: dict[str, int]) -> None:
    template = f"{BASE}?entity_type={OWNER}&entity_id={{target}}"
    await _run(
        callers,
        "GET",
        template,
        [
            Expect("anonymous", "home", 401, "invalid_token"),
            Expect("recruiter", "home", 200, ""),
            Expect("candidate", "home", 200, ""),
            Expect("system_admin", "home", 200, ""),
            Expect("employer", "home", 404, "not_found"),
            Expect("other_user", "home", 404, "not_found"),
            Expect("recruiter", "missing", 404, "not_found"),
        ],
    )
    page = await callers.call("candidate", "GET", template.replace("{target}", "{home}"))
    assert page.json()["total"] == 2
    assert {item["id"] for item in page.json()["items"]} == {files["home_file"], files["home_file2"]}


async def test_deleting_a_file(callers: Callers, ctx: AppContext, files: dict[str, int]) -> None:
    refused = [
        Expect("anonymous", "home_file", 401, "invalid_token"),
        Expect("candidate", "home_file", 403, "forbidden"),
        Expect("employer", "home_file", 404, "not_found"),
        Expect("other_user", "home_file", 404, "not_found"),
        Expect("recruiter", "other_file", 404, "not_found"),
        Expect("recruiter", "missing", 404, "not_found"),
    ]
    await callers.sign_in(*{cell.who for cell in refused} - {"anonymous"})
    before = await snapshot(ctx, Attachment)
    await _run(callers, "DELETE", f"{BASE}/{{target}}", refused)
    assert await snapshot(ctx, Attachment) == before
    await _run(
        callers,
        "DELETE",
        f"{BASE}/{{target}}",
        [
            Expect("home_admin", "home_file", 204, ""),
            Expect("recruiter", "home_file", 404, "not_found"),
            Expect("system_admin", "home_file2", 204, ""),
            Expect("other_admin", "other_file", 204, ""),
        ],
    )


async def test_uploading_a_file(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    cells = [
        ("anonymous", "home", 401, "invalid_token"),
        ("candidate", "home", 403, "forbidden"),
        ("employer", "home", 404, "not_found"),
        ("other_user", "home", 404, "not_found"),
        ("recruiter", "missing", 404, "not_found"),
        ("system_admin", "home", 403, "forbidden"),
    ]
    await callers.sign_in(*{who for who, *_ in cells} - {"anonymous"})
    before = await snapshot(ctx, Attachment)
    got = []
    for who, target, *_ in cells:
        response = await upload_as(callers, who, tenants.ids()[target])
        got.append((who, target, *_answer(response)[:2]))
    assert_rows(cells, got)
    assert await snapshot(ctx, Attachment) == before
    for who, target in [("recruiter", "home"), ("home_admin", "home"), ("other_user", "other")]:
        response = await upload_as(callers, who, tenants.ids()[target])
        assert response.status_code == 201, (who, response.text)
