"""/api/resumes: every caller's exact answer on every route, and refusals that change nothing.

The rules are in `server/domains/resumes/access.py`: who sees a resume (others: 404, exactly like
a missing id), who changes it (someone who only sees it: 403), who creates one for whom.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from models import AuditLog, Resume
from models.enums import ResumeVisibility
from server.context import AppContext
from tests.server.files.helpers import PNG
from tests.server.resumes.conftest import TABLES, Resumes
from tests.server.tenants import (
    NO_BODY,
    Callers,
    Expect,
    Matrix,
    assert_error,
    assert_matrix,
    assert_rows,
    error_fields,
    snapshot,
)

LIVE = ["mine", "private", "shared", "closed", "theirs", "other_resume"]
TARGETS = [*LIVE, "gone", "missing"]
CALLERS = [
    "system_admin",
    "home_admin",
    "recruiter",
    "candidate",
    "candidate2",
    "employer_admin",
    "employer",
    "other_admin",
    "other_user",
    "loner",
]
AGENCY_VIEW = {"mine", "shared", "closed", "theirs"}
SEES: dict[str, set[str]] = {
    "system_admin": set(LIVE),
    "home_admin": AGENCY_VIEW,
    "recruiter": AGENCY_VIEW,
    "candidate": {"mine", "private", "shared", "closed"},
    "candidate2": {"theirs"},
    "employer_admin": {"shared"},
    "employer": {"shared"},
    "other_admin": {"other_resume"},
    "other_user": {"other_resume"},
    "loner": set(),
}
"""Who sees which live resume: the seeing rule, spelled out."""
READ_ONLY = {"employer_admin", "employer"}
RESTORERS = {"system_admin", "home_admin", "recruiter", "candidate"}
"""Who may bring `gone` (the candidate's, visibility company) back."""
CODES = {401: "invalid_token", 403: "forbidden", 404: "not_found"}
PATCH_BODY = {"title": "職務経歴書（改訂版）"}
STUB_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who may download is what this module checks; drawing the PDFs is test_resume_downloads'."""
    monkeypatch.setattr("server.domains.resumes.documents_source.render", lambda kind, document: STUB_PDF)


def read(who: str, target: str) -> int:
    return 200 if target in SEES[who] else 404


def write(ok: int) -> Any:
    def status(who: str, target: str) -> int:
        if target not in SEES[who]:
            return 404
        return 403 if who in READ_ONLY else ok

    return status


def restore(who: str, target: str) -> int:
    return 200 if target == "gone" and who in RESTORERS else 404


ROUTES: list[tuple[str, str, Any, Any]] = [
    ("GET", "/api/resumes/{target}", NO_BODY, read),
    ("PATCH", "/api/resumes/{target}", PATCH_BODY, write(200)),
    ("DELETE", "/api/resumes/{target}", NO_BODY, write(204)),
    ("POST", "/api/resumes/{target}/restore", NO_BODY, restore),
    ("GET", "/api/resumes/{target}/rirekisho.pdf", NO_BODY, read),
    ("GET", "/api/resumes/{target}/shokumu.pdf", NO_BODY, read),
    ("GET", "/api/resumes/{target}/resume.pdf", NO_BODY, read),
    ("PUT", "/api/resumes/{target}/photo", NO_BODY, write(200)),
    ("GET", "/api/resumes/{target}/photo", NO_BODY, read),
    ("DELETE", "/api/resumes/{target}/photo", NO_BODY, write(204)),
]


def cells(rule: Any) -> tuple[list[Expect], list[Expect]]:
    """Every caller on every target: (refused, allowed), anonymous first among the refused."""
    refused = [Expect("anonymous", "mine", 401, CODES[401])]
    allowed: list[Expect] = []
    for who in CALLERS:
        for target in TARGETS:
            status = rule(who, target)
            (allowed if status < 400 else refused).append(Expect(who, target, status, CODES.get(status, "")))
    return refused, allowed


MATRIX: Matrix = [(method, path, body, cells(rule)[0]) for method, path, body, rule in ROUTES]


async def test_refusals_answer_exactly_and_change_nothing(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (*TABLES, AuditLog), not_found="Resume {id} was not found.")


async def _deleted(ctx: AppContext, resume_id: int, deleted: bool) -> None:
    async with ctx.transaction() as db:
        await db.execute(update(Resume).where(Resume.id == resume_id).values(is_deleted=deleted))


async def test_permitted_reads_answer_the_resume(callers: Callers, resumes: Resumes) -> None:
    expected, got = [], []
    for method, path, _, rule in ROUTES:
        if method != "GET" or path.endswith("/photo"):
            continue
        for cell in cells(rule)[1]:
            response = await callers.call(
                cell.who, "GET", path.replace("{target}", "{" + str(cell.target) + "}")
            )
            expected.append((path, cell.who, cell.target, 200))
            got.append((path, cell.who, cell.target, response.status_code))
            if response.status_code == 200 and path.endswith("}"):
                assert response.json()["id"] == resumes[str(cell.target)]
            elif response.status_code == 200:
                assert response.headers["content-type"] == "application/pdf"
                assert response.content.startswith(b"%PDF-")
    assert_rows(expected, got)


async def test_permitted_changes_succeed(callers: Callers, ctx: AppContext, resumes: Resumes) -> None:
    expected, got = [], []
    for method, path, body, rule in ROUTES:
        if method == "GET":
            continue
        for cell in cells(rule)[1]:
            target = str(cell.target)
            if path.endswith("/restore"):
                await _deleted(ctx, resumes[target], True)
            if path.endswith("/photo") and method == "DELETE":
                await _send(callers, "system_admin", "PUT", f"/api/resumes/{{{target}}}/photo", NO_BODY)
            response = await _send(
                callers, cell.who, method, path.replace("{target}", "{" + target + "}"), body
            )
            expected.append((method, path, cell.who, target, cell.status))
            got.append((method, path, cell.who, target, response.status_code))
            if method == "DELETE" and not path.endswith("/photo"):
                await _deleted(ctx, resumes[target], False)
            if path.endswith("/restore"):
                await _deleted(ctx, resumes[target], target == "gone")
    assert_rows(expected, got)


async def _send(callers: Callers, who: str, method: str, template: str, body: Any) -> httpx.Response:
    if method == "PUT":  # the photo: a multipart upload
        headers = await callers.headers(who)
        files = {"file": ("写真.png", PNG, "image/png")}
        response: httpx.Response = await callers.client.put(
            callers.path(template), headers=headers, files=files
        )
        return response
    return await callers.call(who, method, template, json=body)


async def test_each_caller_lists_exactly_the_resumes_they_see(callers: Callers, resumes: Resumes) -> None:
    for who in CALLERS:
        response = await callers.call(who, "GET", "/api/resumes/", params={"limit": 200})
        assert response.status_code == 200, (who, response.text)
        listed = {item["id"] for item in response.json()["items"]}
        assert listed == {resumes[name] for name in SEES[who]}, who
        assert response.json()["total"] == len(SEES[who])
    assert_error(await callers.call("anonymous", "GET", "/api/resumes/"), 401, "invalid_token")


async def test_the_list_filters(callers: Callers, resumes: Resumes, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        row = await db.get(Resume, resumes["mine"])
        assert row is not None
        row.title = "Robotics CV"
        row.summary = "ROS 2 と SLAM"

    async def ids(**params: Any) -> set[int]:
        response = await callers.call("candidate", "GET", "/api/resumes/", params=params)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids(q="robotics") == {resumes["mine"]}
    assert await ids(q="slam") == {resumes["mine"]}
    assert await ids(visibility="private") == {resumes["private"]}
    assert await ids(status="active") == set()
    assert await ids(user_id=callers.tenants.user("candidate2").id) == set()
    assert len(await ids(limit=1)) == 1
    wrong: list[tuple[dict[str, Any], str]] = [
        ({"status": "published"}, "status"),
        ({"limit": 0}, "limit"),
        ({"sort": "x"}, "sort"),
    ]
    for params, field in wrong:
        response = await callers.call("candidate", "GET", "/api/resumes/", params=params)
        assert_error(response, 422, "validation_error")
        assert error_fields(response) == [field]


NEW = {"title": "職務経歴書（新規）"}


def creating() -> list[tuple[str, dict[str, Any], int, str, list[str]]]:
    """(who, body, status, code, fields named) of every creation case."""
    for_candidate = {**NEW, "user_id": "{candidate}"}
    return [
        ("anonymous", NEW, 401, "invalid_token", []),
        ("candidate", {**NEW, "user_id": "{candidate2}"}, 403, "forbidden", []),
        ("loner", NEW, 409, "no_company", []),
        ("employer_admin", for_candidate, 403, "forbidden", []),
        ("employer", NEW, 403, "forbidden", []),
        ("home_admin", NEW, 422, "validation_error", ["user_id"]),
        ("recruiter", {**NEW, "user_id": "{other_candidate}"}, 422, "validation_error", ["user_id"]),
        ("recruiter", {**NEW, "user_id": "{recruiter}"}, 422, "validation_error", ["user_id"]),
        ("recruiter", {**NEW, "user_id": "{loner}"}, 422, "validation_error", ["user_id"]),
        ("recruiter", {**NEW, "user_id": "{missing}"}, 422, "validation_error", ["user_id"]),
        ("other_admin", for_candidate, 422, "validation_error", ["user_id"]),
        ("other_user", for_candidate, 422, "validation_error", ["user_id"]),
        ("system_admin", NEW, 422, "validation_error", ["user_id"]),
        ("system_admin", {**NEW, "user_id": "{home_admin}"}, 422, "validation_error", ["user_id"]),
    ]


async def test_creating_is_refused_exactly_and_changes_nothing(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    await callers.sign_in(*{who for who, *_ in creating() if who != "anonymous"})
    before = await snapshot(ctx, *TABLES, AuditLog)
    expected, got = [], []
    for who, body, status, code, fields in creating():
        response = await callers.call(who, "POST", "/api/resumes/", json=callers.resolve(body))
        expected.append((who, body, status, code, fields))
        answer = response.json()
        got.append((who, body, response.status_code, answer.get("code"), error_fields(response)))
    assert_rows(expected, got)
    assert await snapshot(ctx, *TABLES, AuditLog) == before


async def test_candidates_staff_and_system_admin_create_for_the_right_person(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    tenants = callers.tenants
    cases = [
        ("candidate", NEW, "candidate"),
        ("candidate", {**NEW, "user_id": "{candidate}"}, "candidate"),
        ("candidate2", NEW, "candidate2"),
        ("home_admin", {**NEW, "user_id": "{candidate}"}, "candidate"),
        ("recruiter", {**NEW, "user_id": "{candidate2}"}, "candidate2"),
        ("other_user", {**NEW, "user_id": "{other_candidate}"}, "other_candidate"),
        ("system_admin", {**NEW, "user_id": "{other_candidate}"}, "other_candidate"),
    ]
    for who, body, owner in cases:
        response = await callers.call(who, "POST", "/api/resumes/", json=callers.resolve(body))
        assert response.status_code == 201, (who, response.text)
        created = response.json()
        person = tenants.user(owner)
        assert (created["user_id"], created["company_id"]) == (person.id, person.company_id), who
        assert (created["status"], created["visibility"], created["public_url"]) == ("draft", "private", None)
        async with ctx.sessionmaker() as db:
            entry = await db.scalar(
                select(AuditLog).where(
                    AuditLog.action == "resumes.create", AuditLog.entity_id == created["id"]
                )
            )
        assert entry is not None and entry.user_id == tenants.user(who).id


async def test_a_candidate_editing_another_candidates_resume_is_404(
    callers: Callers, resumes: Resumes
) -> None:
    response = await callers.call("candidate2", "PATCH", "/api/resumes/{mine}", json=PATCH_BODY)
    body = assert_error(response, 404, "not_found")
    assert body["detail"] == f"Resume {resumes['mine']} was not found."
    missing = await callers.call("candidate2", "PATCH", "/api/resumes/{missing}", json=PATCH_BODY)
    assert assert_error(missing, 404, "not_found")["detail"].replace(str(2_000_000_000), "X") == body[
        "detail"
    ].replace(str(resumes["mine"]), "X")


async def test_staff_lose_sight_of_a_resume_made_private(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    made = await callers.call("candidate", "PATCH", "/api/resumes/{mine}", json={"visibility": "private"})
    assert made.status_code == 200, made.text
    assert_error(await callers.call("recruiter", "GET", "/api/resumes/{mine}"), 404, "not_found")
    assert (await callers.call("candidate", "GET", "/api/resumes/{mine}")).status_code == 200
    async with ctx.sessionmaker() as db:
        assert (await db.get(Resume, resumes["mine"])).visibility is ResumeVisibility.PRIVATE  # type: ignore[union-attr]


async def test_soft_delete_then_restore(callers: Callers, ctx: AppContext, resumes: Resumes) -> None:
    deleted = await callers.call("candidate", "DELETE", "/api/resumes/{mine}")
    assert deleted.status_code == 204, deleted.text
    async with ctx.sessionmaker() as db:
        row = await db.get(Resume, resumes["mine"])
        assert row is not None
        assert (row.is_deleted, row.deleted_by) == (True, callers.tenants.user("candidate").id)
        assert row.deleted_at is not None
    for who in ("candidate", "recruiter", "system_admin"):
        assert_error(await callers.call(who, "GET", "/api/resumes/{mine}"), 404, "not_found")
        assert_error(
            await callers.call(who, "PATCH", "/api/resumes/{mine}", json=PATCH_BODY), 404, "not_found"
        )
    listed = await callers.call("candidate", "GET", "/api/resumes/")
    assert resumes["mine"] not in {item["id"] for item in listed.json()["items"]}
    assert_error(await callers.call("candidate2", "POST", "/api/resumes/{mine}/restore"), 404, "not_found")
    assert_error(await callers.call("employer", "POST", "/api/resumes/{shared}/restore"), 404, "not_found")

    restored = await callers.call("recruiter", "POST", "/api/resumes/{mine}/restore")

    assert restored.status_code == 200, restored.text
    assert restored.json()["id"] == resumes["mine"]
    async with ctx.sessionmaker() as db:
        row = await db.get(Resume, resumes["mine"])
        assert row is not None
        assert (row.is_deleted, row.deleted_at, row.deleted_by) == (False, None, None)
        actions = list(
            await db.scalars(
                select(AuditLog.action).where(AuditLog.entity_id == row.id, AuditLog.entity_type == "resumes")
            )
        )
    assert {"resumes.delete", "resumes.restore"} <= set(actions)
    assert (await callers.call("candidate", "GET", "/api/resumes/{mine}")).status_code == 200
    assert_error(await callers.call("candidate", "POST", "/api/resumes/{mine}/restore"), 404, "not_found")


async def test_the_generic_attachment_routes_follow_the_resume_rule(
    callers: Callers, resumes: Resumes
) -> None:
    params = {"entity_type": "resume", "entity_id": resumes["private"]}
    assert (await callers.call("candidate", "GET", "/api/attachments/", params=params)).status_code == 200
    assert_error(await callers.call("recruiter", "GET", "/api/attachments/", params=params), 404, "not_found")
    shared = {"entity_type": "resume", "entity_id": resumes["shared"]}
    assert (await callers.call("employer", "GET", "/api/attachments/", params=shared)).status_code == 200
    headers = await callers.headers("employer")
    files = {"file": ("a.png", PNG, "image/png")}
    refused = await callers.client.post(
        "/api/attachments/", headers=headers, data={k: str(v) for k, v in shared.items()}, files=files
    )
    assert_error(refused, 403, "forbidden")
