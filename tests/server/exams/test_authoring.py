"""Staff write exams of typed questions, publish and archive them; an exam already taken keeps
its questions and is copied as a new version instead; deletion is soft."""

from __future__ import annotations

from sqlalchemy import select

from models import Exam, ExamSession
from server.context import AppContext
from server.demo import seed
from server.demo.candidate import QUESTIONS as DEMO_QUESTIONS
from server.domains.exams import questions, views
from server.settings import Settings
from tests.server.exams.helpers import QUESTIONS, assign, create_exam, published_exam
from tests.server.tenants import Callers, assert_error


async def test_an_exam_keeps_typed_questions_with_stable_ids_and_their_count(callers: Callers) -> None:
    exam = await create_exam(callers, difficulty="hard", settings={"proctoring_enabled": True})
    assert exam["status"] == "draft"
    assert exam["total_questions"] == 5
    assert [q["id"] for q in exam["questions"]] == [1, 2, 3, 4, 5]
    assert [q["type"] for q in exam["questions"]] == [q["type"] for q in QUESTIONS]
    assert exam["questions"][0] == {**QUESTIONS[0], "id": 1}
    assert exam["questions"][4]["max_length"] == questions.ESSAY_CHARS
    assert exam["company_id"] == callers.tenants.home.id

    # Reordered, one dropped, one added: the kept ones keep their ids, the new one gets the next.
    changed = [
        exam["questions"][2],
        exam["questions"][0],
        {"type": "true_false", "question": "?", "answer": False},
    ]
    patched = await callers.call(
        "recruiter", "PATCH", f"/api/exams/{exam['id']}", json={"questions": changed}
    )
    assert patched.status_code == 200, patched.text
    assert [q["id"] for q in patched.json()["questions"]] == [3, 1, 6]
    assert patched.json()["total_questions"] == 3


async def test_publish_archive_and_republish_follow_the_workflow(callers: Callers) -> None:
    empty = await create_exam(callers, questions=[])
    assert_error(
        await callers.call("recruiter", "POST", f"/api/exams/{empty['id']}/publish"), 409, "no_questions"
    )
    exam = await published_exam(callers, who="employer")
    path = f"/api/exams/{exam['id']}"
    assert_error(await callers.call("employer", "POST", f"{path}/publish"), 409, "illegal_transition")
    assert (await callers.call("employer", "POST", f"{path}/archive")).json()["status"] == "archived"
    assert_error(await callers.call("employer", "PATCH", path, json={"title": "x"}), 409, "exam_archived")
    assert (await callers.call("employer", "POST", f"{path}/publish")).json()["status"] == "published"
    emptied = await callers.call("employer", "PATCH", path, json={"questions": []})
    assert_error(emptied, 409, "no_questions")


async def test_an_exam_with_sessions_keeps_its_questions_and_is_copied_as_a_new_version(
    callers: Callers, ctx: AppContext
) -> None:
    exam = await published_exam(callers)
    path = f"/api/exams/{exam['id']}"
    # Without sessions a published exam may still change.
    edited = await callers.call("recruiter", "PATCH", path, json={"duration_minutes": 45})
    assert edited.status_code == 200
    await assign(callers, exam["id"])

    for change in ({"questions": QUESTIONS[:2]}, {"duration_minutes": 10}, {"is_randomized": True}):
        assert_error(await callers.call("recruiter", "PATCH", path, json=change), 409, "exam_in_use")
    # The same questions again, and what sessions do not depend on, still change.
    same = await callers.call(
        "recruiter",
        "PATCH",
        path,
        json={"questions": edited.json()["questions"], "title": "改訂", "passing_score": 60},
    )
    assert same.status_code == 200, same.text
    assert (same.json()["title"], same.json()["passing_score"]) == ("改訂", 60)

    copied = await callers.call("recruiter", "POST", f"{path}/versions")
    assert copied.status_code == 201
    version = copied.json()
    assert version["status"] == "draft" and version["id"] != exam["id"]
    assert version["questions"] == same.json()["questions"]
    assert version["settings"] == {"version_of": exam["id"]}
    changed = await callers.call(
        "recruiter", "PATCH", f"/api/exams/{version['id']}", json={"questions": QUESTIONS[:2]}
    )
    assert changed.status_code == 200 and changed.json()["total_questions"] == 2


async def test_deleting_is_soft_and_hides_the_exam(callers: Callers, ctx: AppContext) -> None:
    exam = await create_exam(callers)
    assert (await callers.call("recruiter", "DELETE", f"/api/exams/{exam['id']}")).status_code == 204
    assert_error(await callers.call("recruiter", "GET", f"/api/exams/{exam['id']}"), 404, "not_found")
    assert (await callers.call("recruiter", "GET", "/api/exams/")).json() == {"items": [], "total": 0}
    async with ctx.sessionmaker() as db:
        row = await db.scalar(select(Exam).where(Exam.id == exam["id"]))
    assert row is not None and row.is_deleted and row.deleted_by == callers.tenants.user("recruiter").id


async def test_the_list_shows_the_company_s_exams_with_filters(callers: Callers) -> None:
    draft = await create_exam(callers, category="aptitude")
    published = await published_exam(callers, who="home_admin", category="technical")
    await create_exam(callers, who="other_user")

    listed = await callers.call("recruiter", "GET", "/api/exams/", params={"sort": "id"})
    assert [e["id"] for e in listed.json()["items"]] == [draft["id"], published["id"]]
    by_status = await callers.call("recruiter", "GET", "/api/exams/", params={"status": "published"})
    assert [e["id"] for e in by_status.json()["items"]] == [published["id"]]
    by_category = await callers.call("recruiter", "GET", "/api/exams/", params={"category": "aptitude"})
    assert [e["id"] for e in by_category.json()["items"]] == [draft["id"]]
    everyone = await callers.call("system_admin", "GET", "/api/exams/")
    assert everyone.json()["total"] == 3


def test_the_demo_exams_validate_as_typed_questions() -> None:
    found = questions.checked(questions.load(DEMO_QUESTIONS))
    assert [q.id for q in found] == [1, 2, 3]
    assert questions.dump(found) == DEMO_QUESTIONS


async def test_the_demo_exam_session_reads_back_through_the_api(settings: Settings, ctx: AppContext) -> None:
    """The seeded, graded session has the answers' shape the API reads."""
    await seed(settings, "demo-pass-1")
    async with ctx.sessionmaker() as db:
        session, exam = (await db.execute(select(ExamSession, Exam).join(Exam))).tuples().one()
    out = views.session_out(session, exam)
    assert [(r.question_id, r.answer, r.points) for r in out.results] == [(1, 2, 40), (2, 0, 30), (3, 3, 0)]
    assert (out.score, out.passed) == (70, True)
    assert views.state_out(session, exam).answers == {"1": 2, "2": 0, "3": 3}
