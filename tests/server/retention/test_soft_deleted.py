"""Rows soft-deleted 90 days ago or earlier are hard-deleted, with their files and, when no row
names them any more, their bytes; rows live rows still refer to are kept and counted."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from models import (
    Attachment,
    AuditLog,
    Company,
    Interview,
    Message,
    Position,
    Resume,
    Todo,
    TodoAttachment,
    User,
)
from models.enums import CompanyType, InterviewStatus
from server.context import AppContext
from server.retention.run import run_purge
from server.retention.soft_deleted import soft_delete_tables
from server.settings import Settings
from tests.factories import (
    make_attachment,
    make_interview,
    make_message,
    make_position,
    make_resume,
    make_todo,
)
from tests.server.retention.helpers import NOW, ago, deleted, exists, ids, put_object, world


def _todo_file(todo: Todo, uploader: User, key: str) -> TodoAttachment:
    return TodoAttachment(
        todo_id=todo.id,
        filename="議事録.pdf",
        stored_filename=f"{secrets.token_hex(16)}.pdf",
        file_path=key,
        file_size=3,
        mime_type="application/pdf",
        uploaded_by=uploader.id,
    )


def test_every_soft_deleting_table_is_purged_children_first() -> None:
    names = [table.name for table in soft_delete_tables()]
    assert {"todos", "todo_attachments", "positions", "interviews", "messages", "users", "companies"} <= set(
        names
    )
    assert names.index("todo_attachments") < names.index("todos") < names.index("users")
    assert names.index("users") < names.index("companies")


async def test_rows_deleted_91_days_ago_go_and_those_deleted_89_days_ago_stay(ctx: AppContext) -> None:
    w = await world(ctx)
    async with ctx.transaction() as db:
        todos = {
            "91": await make_todo(db, w.recruiter, **deleted(91)),
            "90": await make_todo(db, w.recruiter, **deleted(90)),
            "89": await make_todo(db, w.recruiter, **deleted(89)),
            "live": await make_todo(db, w.recruiter),
        }
        positions = {
            "91": await make_position(db, w.company, w.admin, **deleted(91)),
            "89": await make_position(db, w.company, w.admin, **deleted(89)),
        }
        interviews = {
            "91": await make_interview(db, w.company, w.recruiter, **deleted(91)),
            "89": await make_interview(db, w.company, w.recruiter, **deleted(89)),
        }
        messages = {
            "91": await make_message(db, w.recruiter, w.candidate, "old", **deleted(91)),
            "89": await make_message(db, w.recruiter, w.candidate, "recent", **deleted(89)),
        }

    report = await run_purge(ctx, now=NOW)

    assert await ids(ctx, Todo) == {todos["89"].id, todos["live"].id}
    assert await ids(ctx, Position) == {positions["89"].id}
    assert await ids(ctx, Interview) == {interviews["89"].id}
    assert await ids(ctx, Message) == {messages["89"].id}
    assert report["soft_deleted.todos"] == 2
    assert [report[f"soft_deleted.{t}"] for t in ("positions", "interviews", "messages")] == [1, 1, 1]
    assert report.total_kept == 0


async def test_an_entitys_attachments_go_with_it_and_bytes_go_only_when_no_row_names_them(
    ctx: AppContext,
) -> None:
    w = await world(ctx)
    own = await put_object(ctx, w.company.id, b"only the deleted position's")
    shared = await put_object(ctx, w.company.id, b"also a live position's")
    todo_bytes = await put_object(ctx, w.company.id, b"a todo's file")
    async with ctx.transaction() as db:
        gone = await make_position(db, w.company, w.admin, **deleted(91))
        live = await make_position(db, w.company, w.admin)
        files = {
            "own": await make_attachment(
                db, w.admin, entity_type="position", entity_id=gone.id, file_path=own
            ),
            "shared, deleted side": await make_attachment(
                db, w.admin, entity_type="position", entity_id=gone.id, file_path=shared
            ),
            "shared, live side": await make_attachment(
                db, w.admin, entity_type="position", entity_id=live.id, file_path=shared
            ),
        }
        todo = await make_todo(db, w.recruiter, **deleted(95))
        todo_file = _todo_file(todo, w.recruiter, todo_bytes)
        db.add(todo_file)

    report = await run_purge(ctx, now=NOW)

    assert await ids(ctx, Attachment) == {files["shared, live side"].id}
    assert not await exists(ctx, TodoAttachment, todo_file.id)
    assert not await ctx.storage.exists(own)
    assert not await ctx.storage.exists(todo_bytes)
    assert await ctx.storage.exists(shared)
    assert report["files"] == 2


async def test_bytes_named_by_a_row_deleted_recently_stay_until_that_row_goes(ctx: AppContext) -> None:
    w = await world(ctx)
    key = await put_object(ctx, w.company.id, b"two deleted rows")
    async with ctx.transaction() as db:
        old = await make_attachment(db, w.admin, file_path=key, entity_type="position", **deleted(120))
        recent = await make_attachment(db, w.admin, file_path=key, entity_type="position", **deleted(10))

    first = await run_purge(ctx, now=NOW)

    assert await ids(ctx, Attachment) == {recent.id}
    assert old.id not in await ids(ctx, Attachment)
    assert await ctx.storage.exists(key)
    assert (first["soft_deleted.attachments"], first["files"]) == (1, 0)

    later = await run_purge(ctx, now=ago(-81))

    assert await ids(ctx, Attachment) == set()
    assert not await ctx.storage.exists(key)
    assert (later["soft_deleted.attachments"], later["files"]) == (1, 1)


async def test_a_row_live_rows_still_refer_to_is_kept_and_counted(ctx: AppContext) -> None:
    w = await world(ctx)
    async with ctx.transaction() as db:
        uploader = await db.get_one(User, w.recruiter.id)
        uploader.is_deleted, uploader.deleted_at = True, ago(100)
        free = await db.get_one(User, w.candidate.id)
        free.is_deleted, free.deleted_at = True, ago(100)
        position = await make_position(db, w.company, w.admin)
        live_file = await make_attachment(db, w.recruiter, entity_type="position", entity_id=position.id)
        parent = await make_message(db, w.admin, w.admin, "question", **deleted(100))
        reply = await make_message(db, w.admin, w.admin, "answer", parent_message_id=parent.id)

    report = await run_purge(ctx, now=NOW)

    assert await exists(ctx, User, w.recruiter.id)
    assert not await exists(ctx, User, w.candidate.id)
    assert await exists(ctx, Attachment, live_file.id)
    assert await exists(ctx, Message, parent.id) and await exists(ctx, Message, reply.id)
    assert (report["soft_deleted.users"], report.kept["soft_deleted.users"]) == (1, 1)
    assert (report["soft_deleted.messages"], report.kept["soft_deleted.messages"]) == (0, 1)
    assert report.total_kept == 2


async def test_a_deleted_reply_and_the_deleted_message_it_answers_both_go(ctx: AppContext) -> None:
    w = await world(ctx)
    async with ctx.transaction() as db:
        parent = await make_message(db, w.admin, w.recruiter, "question", **deleted(100))
        reply = await make_message(
            db, w.recruiter, w.admin, "answer", parent_message_id=parent.id, **deleted(100)
        )

    report = await run_purge(ctx, now=NOW)

    assert not await exists(ctx, Message, parent.id)
    assert not await exists(ctx, Message, reply.id)
    assert (report["soft_deleted.messages"], report.total_kept) == (2, 0)


async def test_a_second_run_deletes_nothing(ctx: AppContext) -> None:
    w = await world(ctx)
    key = await put_object(ctx, w.company.id, b"bytes")
    async with ctx.transaction() as db:
        todo = await make_todo(db, w.recruiter, **deleted(91))
        db.add(_todo_file(todo, w.recruiter, key))
        blocked = await make_message(db, w.admin, w.recruiter, "question", **deleted(100))
        await make_message(db, w.recruiter, w.admin, "answer", parent_message_id=blocked.id)
    first = await run_purge(ctx, now=NOW)
    # The todo (its file went with it, by the cascade), the file's bytes; the message is kept.
    assert (first.rows_deleted, first.files_deleted, first.total_kept) == (1, 1, 1)

    second = await run_purge(ctx, now=NOW)

    assert (second.rows_deleted, second.files_deleted, second.total_kept) == (0, 0, 1)
    assert await exists(ctx, Message, blocked.id)


async def test_a_purged_company_takes_its_rows_and_their_bytes_and_keeps_its_audit_rows(
    ctx: AppContext, settings: Settings
) -> None:
    w = await world(ctx, kind=CompanyType.EMPLOYER)
    other = await world(ctx)
    mine = await put_object(ctx, w.company.id, b"the employer's job description")
    resume_photo = await put_object(ctx, w.company.id, b"a photo")
    todo_bytes = await put_object(ctx, w.company.id, b"the employer's todo file")
    theirs = await put_object(ctx, other.company.id, b"another company's")
    async with ctx.transaction() as db:
        position = await make_position(db, w.company, w.admin)
        interview = await make_interview(
            db, w.company, w.recruiter, candidate=w.candidate, status=InterviewStatus.COMPLETED
        )
        await make_attachment(db, w.admin, entity_type="position", entity_id=position.id, file_path=mine)
        # An agency recruiter's file on the employer's interview: the agency's row, the interview's file.
        agency_file = await make_attachment(
            db, other.recruiter, entity_type="interview", entity_id=interview.id, file_path=theirs
        )
        resume = await make_resume(db, w.candidate)
        await make_attachment(
            db, w.candidate, entity_type="resume", entity_id=resume.id, file_path=resume_photo
        )
        todo = await make_todo(db, w.recruiter)
        db.add(_todo_file(todo, w.recruiter, todo_bytes))
        db.add(
            AuditLog(action="todos.create", entity_type="todos", entity_id=todo.id, company_id=w.company.id)
        )
        company = await db.get_one(Company, w.company.id)
        company.is_deleted, company.deleted_at = True, ago(91)

    report = await run_purge(ctx, now=NOW)

    assert not await exists(ctx, Company, w.company.id)
    assert report["soft_deleted.companies"] == 1 and report.total_kept == 0
    for model, row_id in [(User, w.admin.id), (Position, position.id), (Interview, interview.id)]:
        assert not await exists(ctx, model, row_id), model
    assert not await exists(ctx, Resume, resume.id)
    assert not await exists(ctx, Attachment, agency_file.id)
    for key in (mine, resume_photo, todo_bytes, theirs):
        assert not await ctx.storage.exists(key), key
    assert report["files"] == 4
    async with ctx.sessionmaker() as db:
        kept = await db.scalar(select(AuditLog).where(AuditLog.action == "todos.create"))
    assert kept is not None and kept.company_id is None
    assert await exists(ctx, Company, other.company.id)


async def test_attachments_of_entities_that_no_longer_exist_go_with_their_bytes(ctx: AppContext) -> None:
    w = await world(ctx)
    orphan_bytes = await put_object(ctx, w.company.id, b"an orphan's")
    async with ctx.transaction() as db:
        live = await make_position(db, w.company, w.admin)
        orphan = await make_attachment(
            db, w.admin, entity_type="position", entity_id=live.id + 1000, file_path=orphan_bytes
        )
        owned = await make_attachment(db, w.admin, entity_type="position", entity_id=live.id)
        unbound = await make_attachment(db, w.admin, entity_type="message", entity_id=0)
        unknown = await make_attachment(db, w.admin, entity_type="something_else", entity_id=123456)

    report = await run_purge(ctx, now=NOW)

    assert await ids(ctx, Attachment) == {owned.id, unbound.id, unknown.id}
    assert orphan.id not in await ids(ctx, Attachment)
    assert not await ctx.storage.exists(orphan_bytes)
    assert (report["orphaned.attachments"], report["files"]) == (1, 1)
