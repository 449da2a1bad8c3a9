"""Files of a message (entity type `message`, entity id the message's id) through /api/attachments.

Rules (server/domains/messages/access.py): the message's sender and recipient list, read and
download its files, whatever company either is in; the sender alone uploads and deletes them
(the recipient gets 403); anyone else, a colleague of either party, another tenant, a
system_admin, gets the same 404 as for a missing file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from sqlalchemy import select

from models import Attachment
from server.context import AppContext
from server.domains.messages.events import MessageSent
from tests.factories import make_attachment, make_message
from tests.server.auth.helpers import app_ctx
from tests.server.files.helpers import BASE, PDF, upload
from tests.server.messages.helpers import history, sent
from tests.server.tenants import Callers, Expect, Tenants, assert_rows, snapshot

NOT_FOUND = "Attachment {id} was not found."
FILE_NAME = "職務経歴書_高橋.pdf"


async def upload_onto(callers: Callers, who: str, message_id: int | str) -> httpx.Response:
    return await upload(
        callers.client,
        await callers.headers(who),
        name=FILE_NAME,
        entity_type="message",
        entity_id=message_id,
    )


@pytest.fixture
async def message_file(callers: Callers, tenants: Tenants) -> int:
    """`recruiter` writes to `home_admin` and puts a PDF on the message: names `message`, `message_file`."""
    message = await sent(callers, "recruiter", tenants.user("home_admin").id, "職務経歴書を送ります")
    r = await upload_onto(callers, "recruiter", message["id"])
    assert r.status_code == 201, r.text
    assert (r.json()["entity_type"], r.json()["entity_id"]) == ("message", message["id"])
    callers.names.update(message=message["id"], message_file=r.json()["id"])
    file_id: int = r.json()["id"]
    return file_id


def _answer(response: httpx.Response) -> tuple[int, str]:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response.status_code, ""
    body: Any = response.json() if response.content else {}
    return response.status_code, body.get("code", "") if isinstance(body, dict) else ""


async def _run(callers: Callers, method: str, template: str, cells: list[Expect]) -> None:
    """Every cell as called, a 404 also required to say exactly the missing-file words."""
    got = []
    for cell in cells:
        assert cell.target is not None
        path = template.replace("{target}", "{" + cell.target + "}")
        response = await callers.call(cell.who, method, path)
        status, code = _answer(response)
        if status == 404 and template.startswith(f"{BASE}/"):
            expected = NOT_FOUND.format(id=callers.path("{" + cell.target + "}"))
            code = (
                code if response.json()["detail"] == expected else f"{code} ({response.json()['detail']!r})"
            )
        got.append(cell._replace(status=status, code=code))
    assert_rows(cells, got)


READ_CELLS = [
    Expect("anonymous", "message_file", 401, "invalid_token"),
    Expect("recruiter", "message_file", 200, ""),  # the sender
    Expect("home_admin", "message_file", 200, ""),  # the recipient
    Expect("candidate", "message_file", 404, "not_found"),  # a colleague of both, no party
    Expect("employer", "message_file", 404, "not_found"),
    Expect("other_admin", "message_file", 404, "not_found"),  # another tenant
    Expect("system_admin", "message_file", 404, "not_found"),  # messages are their parties' only
    Expect("home_admin", "missing", 404, "not_found"),
]


@pytest.mark.parametrize("route", [f"{BASE}/{{target}}", f"{BASE}/{{target}}/download"])
async def test_the_sender_and_the_recipient_read_and_download_a_message_file_and_nobody_else(
    callers: Callers, ctx: AppContext, message_file: int, route: str
) -> None:
    await callers.sign_in(*{cell.who for cell in READ_CELLS} - {"anonymous"})
    before = await snapshot(ctx, Attachment)
    await _run(callers, "GET", route, READ_CELLS)
    assert await snapshot(ctx, Attachment) == before


async def test_the_recipient_downloads_the_very_bytes_the_sender_put_on_the_message(
    callers: Callers, message_file: int
) -> None:
    response = await callers.call("home_admin", "GET", f"{BASE}/{message_file}/download")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"


async def test_a_file_stored_on_a_message_downloads_for_its_recipient_as_for_its_sender(
    callers: Callers, ctx: AppContext, tenants: Tenants, tmp_path: Path
) -> None:
    """The reported defect: such a file answered 200 to its sender and 404 to its recipient."""
    [message] = await history(ctx, tenants, ("recruiter", "home_admin", "内定通知書を添付します"))
    staged = tmp_path / "offer.pdf"
    staged.write_bytes(PDF)
    key = f"companies/{tenants.home.id}/offer"
    await ctx.storage.put(key, staged, len(PDF))
    async with ctx.transaction() as db:
        row = await make_attachment(
            db, tenants.user("recruiter"), entity_id=message.id, file_path=key, file_size=len(PDF)
        )
    answers = []
    for who in ("recruiter", "home_admin", "candidate"):
        response = await callers.call(who, "GET", f"{BASE}/{row.id}/download")
        answers.append((who, response.status_code, response.content if response.status_code == 200 else b""))
    assert answers == [("recruiter", 200, PDF), ("home_admin", 200, PDF), ("candidate", 404, b"")]


async def test_the_parties_list_the_files_of_their_message(callers: Callers, message_file: int) -> None:
    template = f"{BASE}?entity_type=message&entity_id={{target}}"
    await _run(
        callers,
        "GET",
        template,
        [
            Expect("anonymous", "message", 401, "invalid_token"),
            Expect("recruiter", "message", 200, ""),
            Expect("home_admin", "message", 200, ""),
            Expect("candidate", "message", 404, "not_found"),
            Expect("other_user", "message", 404, "not_found"),
            Expect("system_admin", "message", 404, "not_found"),
            Expect("home_admin", "missing", 404, "not_found"),
        ],
    )
    page = await callers.call("home_admin", "GET", template.replace("{target}", "{message}"))
    assert page.json()["total"] == 1
    [item] = page.json()["items"]
    assert (item["id"], item["filename"], item["download_url"]) == (
        message_file,
        FILE_NAME,
        f"{BASE}/{message_file}/download",
    )


async def test_only_the_sender_puts_files_on_a_message_or_takes_them_off(
    callers: Callers, ctx: AppContext, message_file: int
) -> None:
    message_id = callers.names["message"]
    refused_uploads = [
        ("home_admin", 403, "forbidden"),  # the recipient reads, never changes
        ("candidate", 404, "not_found"),
        ("other_user", 404, "not_found"),
    ]
    refused_deletes = [
        Expect("anonymous", "message_file", 401, "invalid_token"),
        Expect("home_admin", "message_file", 403, "forbidden"),
        Expect("candidate", "message_file", 404, "not_found"),
        Expect("other_admin", "message_file", 404, "not_found"),
    ]
    await callers.sign_in("home_admin", "candidate", "other_user", "other_admin")
    before = await snapshot(ctx, Attachment)
    got = [(who, *_answer(await upload_onto(callers, who, message_id))) for who, *_ in refused_uploads]
    assert_rows(refused_uploads, got)
    await _run(callers, "DELETE", f"{BASE}/{{target}}", refused_deletes)
    assert await snapshot(ctx, Attachment) == before
    await _run(callers, "DELETE", f"{BASE}/{{target}}", [Expect("recruiter", "message_file", 204, "")])
    assert (await callers.call("home_admin", "GET", f"{BASE}/{message_file}")).status_code == 404


async def test_a_recipient_in_another_company_downloads_while_their_colleague_may_not(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    async with ctx.transaction() as db:
        message = await make_message(db, tenants.user("recruiter"), tenants.user("employer_admin"), "求人票")
    r = await upload_onto(callers, "recruiter", message.id)
    assert r.status_code == 201, r.text
    callers.names["message_file"] = r.json()["id"]
    await _run(
        callers,
        "GET",
        f"{BASE}/{{target}}/download",
        [
            Expect("employer_admin", "message_file", 200, ""),
            Expect("employer", "message_file", 404, "not_found"),
        ],
    )


async def test_a_deleted_message_takes_its_files_out_of_sight(callers: Callers, message_file: int) -> None:
    deleted = await callers.call("recruiter", "DELETE", "/api/messages/{message}")
    assert deleted.status_code == 204
    await _run(
        callers,
        "GET",
        f"{BASE}/{{target}}",
        [
            Expect("recruiter", "message_file", 404, "not_found"),
            Expect("home_admin", "message_file", 404, "not_found"),
        ],
    )


async def test_sending_names_stored_message_files_and_hangs_them_on_the_message(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    async with ctx.transaction() as db:
        unbound = await make_attachment(db, tenants.user("recruiter"))  # a `message` file of entity 0
        elsewhere = await make_attachment(db, tenants.user("recruiter"), entity_type="interview", entity_id=7)
    message = await sent(
        callers, "recruiter", tenants.user("home_admin").id, attachments=[unbound.id, elsewhere.id]
    )
    assert message["attachments"] == [unbound.id, elsewhere.id]
    async with ctx.sessionmaker() as db:
        rows = (await db.execute(select(Attachment.id, Attachment.entity_type, Attachment.entity_id))).all()
    assert sorted(rows) == sorted([(unbound.id, "message", message["id"]), (elsewhere.id, "interview", 7)])
    callers.names["unbound"] = unbound.id
    await _run(
        callers,
        "GET",
        f"{BASE}/{{target}}",
        [
            Expect("recruiter", "unbound", 200, ""),
            Expect("home_admin", "unbound", 200, ""),
            Expect("candidate", "unbound", 404, "not_found"),
        ],
    )


# --- the files in the message itself ----------------------------------------------------------


async def _listed(callers: Callers, who: str, message_id: int | str) -> list[dict[str, Any]]:
    page = await callers.call(who, "GET", f"{BASE}?entity_type=message&entity_id={message_id}&sort=id")
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_every_answer_carrying_a_message_carries_its_files_as_the_attachments_list_gives_them(
    callers: Callers, ctx: AppContext, tenants: Tenants, message_file: int
) -> None:
    """A thread loaded over REST (a page reload) shows each message's files (in upload order)
    exactly as the message itself says: one shape, from one place, in every answer."""
    message_id = callers.names["message"]
    plain = await sent(callers, "home_admin", tenants.user("recruiter").id, "受け取りました")
    second = await upload_onto(callers, "recruiter", message_id)
    assert second.status_code == 201, second.text
    deleted = await upload_onto(callers, "recruiter", message_id)
    assert (await callers.call("recruiter", "DELETE", f"{BASE}/{deleted.json()['id']}")).status_code == 204
    files = await _listed(callers, "home_admin", message_id)
    assert [f["id"] for f in files] == [message_file, second.json()["id"]]  # the deleted one is gone

    recruiter = tenants.user("recruiter").id
    for who, counterpart in (("recruiter", tenants.user("home_admin").id), ("home_admin", recruiter)):
        answers = {
            "read": (await callers.call(who, "GET", f"/api/messages/{message_id}")).json(),
            "thread": (await callers.call(who, "GET", f"/api/messages/with/{counterpart}")).json()["items"][
                1
            ],
            "since": (await callers.call(who, "GET", "/api/messages/since")).json()["items"][0],
            "search": (await callers.call(who, "GET", "/api/messages/search?q=職務経歴書")).json()["items"][
                0
            ],
        }
        for where, message in answers.items():
            assert (where, message["id"], message["files"]) == (where, message_id, files), who
        [conversation] = (await callers.call(who, "GET", "/api/messages/conversations")).json()["items"]
        assert conversation["last_message"] == {**plain, "files": []}
    assert files[0]["download_url"] == f"{BASE}/{message_file}/download"


async def test_the_pushed_message_names_the_files_it_was_sent_with_like_a_read_of_it(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    """`message:new` carries what `MessageSent` holds: the files hung on the message when it was
    sent, the same list a later `GET` answers; a file of another entity is named in
    `attachments` but never listed as the message's (its own entity decides who sees it)."""
    published: list[MessageSent] = []

    async def keep(event: MessageSent) -> None:
        published.append(event)

    app_ctx(callers.client).hub.subscribe(MessageSent, keep)
    async with ctx.transaction() as db:
        unbound = await make_attachment(db, tenants.user("recruiter"))
        elsewhere = await make_attachment(db, tenants.user("recruiter"), entity_type="interview", entity_id=7)
    body = await sent(
        callers,
        "recruiter",
        tenants.user("home_admin").id,
        "資料です",
        attachments=[unbound.id, elsewhere.id],
    )
    [event] = published
    pushed = msgspec.json.decode(msgspec.json.encode(event.message))
    read = (await callers.call("home_admin", "GET", f"/api/messages/{body['id']}")).json()
    assert pushed == body == {**read, "is_read": False, "read_at": None}
    assert [f["id"] for f in pushed["files"]] == [unbound.id]
    assert pushed["files"] == await _listed(callers, "home_admin", body["id"])


async def test_files_in_a_message_change_no_rule_of_who_downloads_them(
    callers: Callers, tenants: Tenants, message_file: int
) -> None:
    """A colleague still cannot read the message, nor its file's link from it."""
    message_id = callers.names["message"]
    assert (await callers.call("candidate", "GET", f"/api/messages/{message_id}")).status_code == 404
    await _run(
        callers,
        "GET",
        f"{BASE}/{{target}}/download",
        [
            Expect("home_admin", "message_file", 200, ""),
            Expect("candidate", "message_file", 404, "not_found"),
            Expect("other_admin", "message_file", 404, "not_found"),
        ],
    )
