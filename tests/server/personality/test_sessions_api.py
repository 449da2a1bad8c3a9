"""/api/personality/sessions: start, answer with progress, resume in the taker's language, complete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from models import MbtiTestSession
from models.enums import MbtiStatus
from server.context import AppContext
from server.domains.personality.bank import BY_ID, QUESTIONS
from server.domains.personality.profiles import NOTE, PROFILES
from tests.server.personality.helpers import (
    BASE,
    FIXED_SCORES,
    FIXED_SHEET,
    FIXED_TYPE,
    batch,
    finished,
    start,
)
from tests.server.tenants import Callers, assert_error


async def test_starting_creates_one_session_and_starting_again_resumes_it(
    callers: Callers, ctx: AppContext
) -> None:
    first = await callers.call("candidate", "POST", f"{BASE}/sessions")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "in_progress"
    assert (body["current_question"], body["answered"], body["total_questions"]) == (1, 0, 60)
    assert body["next_question"] == {"id": 1, "text": BY_ID[1].ja}
    assert body["answers"] == []
    assert body["result"] is None
    assert body["shared_with_company"] is False
    assert body["user_id"] == callers.tenants.user("candidate").id
    assert body["company_id"] == callers.tenants.home.id
    datetime.fromisoformat(body["started_at"])

    again = await callers.call("candidate", "POST", f"{BASE}/sessions")
    assert again.status_code == 200, again.text
    assert again.json()["id"] == body["id"]
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(MbtiTestSession)) == 1
        row = await db.get(MbtiTestSession, body["id"])
        assert row is not None
        assert len(row.session_token) >= 40


async def test_answers_one_at_a_time_and_in_batches_move_the_progress(callers: Callers) -> None:
    session = await start(callers, "recruiter")
    path = f"{BASE}/sessions/{session['id']}"

    one = await callers.call("recruiter", "POST", f"{path}/answers", json={"question_id": 1, "value": 4})
    assert one.status_code == 200, one.text
    assert (one.json()["current_question"], one.json()["answered"]) == (2, 1)
    assert one.json()["next_question"]["id"] == 2

    # Out of order: the progress is the lowest unanswered question.
    many = await callers.call("recruiter", "POST", f"{path}/answers", json=batch({3: 5, 2: 1, 5: 3}))
    assert many.status_code == 200, many.text
    assert (many.json()["current_question"], many.json()["answered"]) == (4, 4)
    assert many.json()["answers"] == batch({1: 4, 2: 1, 3: 5, 5: 3})

    # An answer may be changed while the test is open.
    changed = await callers.call("recruiter", "POST", f"{path}/answers", json={"question_id": 2, "value": 2})
    assert changed.json()["answers"][1] == {"question_id": 2, "value": 2}
    assert changed.json()["answered"] == 4

    resumed = await callers.call("recruiter", "GET", path)
    assert resumed.status_code == 200
    assert resumed.json()["current_question"] == 4
    assert resumed.json()["next_question"] == {"id": 4, "text": BY_ID[4].ja}


async def test_resume_speaks_the_takers_language(callers: Callers) -> None:
    session = await start(callers, "candidate", lang="en")
    assert session["lang"] == "en"
    assert session["next_question"]["text"] == BY_ID[1].en
    path = f"{BASE}/sessions/{session['id']}"
    cases = [
        ({}, {}, "ja"),
        ({"lang": "en"}, {}, "en"),
        ({"lang": "ja"}, {"Accept-Language": "en"}, "ja"),
        ({}, {"Accept-Language": "en-GB,en;q=0.9,ja;q=0.8"}, "en"),
        ({}, {"Accept-Language": "fr-FR,ja;q=0.5,en;q=0.4"}, "ja"),
        ({}, {"Accept-Language": "de"}, "ja"),
    ]
    got = []
    for params, headers, _ in cases:
        response = await callers.client.get(
            callers.path(path), params=params, headers={**await callers.headers("candidate"), **headers}
        )
        assert response.status_code == 200, response.text
        got.append(response.json()["lang"])
        text = response.json()["next_question"]["text"]
        assert text == BY_ID[1].text(response.json()["lang"])
    assert got == [lang for _, _, lang in cases]

    bank = await callers.call("candidate", "GET", f"{BASE}/questions", params={"lang": "en"})
    assert bank.status_code == 200
    assert bank.json()["total"] == 60
    assert [step["value"] for step in bank.json()["scale"]] == [1, 2, 3, 4, 5]
    assert bank.json()["questions"][0] == {"id": 1, "text": QUESTIONS[0].en}
    assert set(bank.json()["questions"][0]) == {"id", "text"}  # the keying is not given away


async def test_completing_computes_the_eight_scores_and_the_type(callers: Callers, ctx: AppContext) -> None:
    done = await finished(callers, "candidate")
    assert done["status"] == "completed"
    assert done["current_question"] == 60
    assert done["next_question"] is None
    assert datetime.fromisoformat(done["completed_at"]) >= datetime.fromisoformat(done["started_at"])
    result = done["result"]
    assert result["result_type"] == FIXED_TYPE
    assert result["scores"] == FIXED_SCORES
    assert result["name"] == PROFILES[FIXED_TYPE].name_ja
    assert result["summary"] == PROFILES[FIXED_TYPE].summary_ja
    assert result["note"] == NOTE["ja"]

    english = await callers.call("candidate", "GET", f"{BASE}/sessions/{done['id']}", params={"lang": "en"})
    assert english.json()["result"]["name"] == PROFILES[FIXED_TYPE].name_en
    assert english.json()["result"]["summary"] == PROFILES[FIXED_TYPE].summary_en

    async with ctx.sessionmaker() as db:
        row = await db.get(MbtiTestSession, done["id"])
        assert row is not None
        stored = [row.e_score, row.i_score, row.s_score, row.n_score]
        stored += [row.t_score, row.f_score, row.j_score, row.p_score]
        assert stored == [75, 25, 50, 50, 47, 53, 65, 35]
        assert (row.result_type, row.status, row.current_question) == ("ENFJ", MbtiStatus.COMPLETED, 60)
        assert row.answers == {str(q): v for q, v in sorted(FIXED_SHEET.items())}


async def test_the_same_answers_give_the_same_result_whatever_the_order(callers: Callers) -> None:
    first = await finished(callers, "candidate")
    # The same sheet again, answered backwards one by one after a wrong first try of each.
    session = await start(callers, "candidate")
    assert session["id"] != first["id"]
    path = f"{BASE}/sessions/{session['id']}"
    for question_id in sorted(FIXED_SHEET, reverse=True):
        wrong = 6 - FIXED_SHEET[question_id]
        await callers.call(
            "candidate", "POST", f"{path}/answers", json={"question_id": question_id, "value": wrong}
        )
    await callers.call("candidate", "POST", f"{path}/answers", json=batch(FIXED_SHEET))
    second = (await callers.call("candidate", "POST", f"{path}/complete")).json()
    assert second["result"] == first["result"]
    third = await finished(callers, "recruiter")
    assert third["result"] == first["result"]


async def test_completing_needs_every_answer_and_a_completed_test_is_closed(callers: Callers) -> None:
    session = await start(callers, "candidate")
    path = f"{BASE}/sessions/{session['id']}"
    partial = {q: v for q, v in FIXED_SHEET.items() if q not in (7, 60)}
    await callers.call("candidate", "POST", f"{path}/answers", json=batch(partial))
    refused = await callers.call("candidate", "POST", f"{path}/complete")
    body = assert_error(refused, 409, "incomplete")
    assert body["errors"] == [{"field": "answers", "message": "unanswered: 7, 60"}]
    assert (await callers.call("candidate", "GET", path)).json()["current_question"] == 7

    await callers.call("candidate", "POST", f"{path}/answers", json=batch({7: 3, 60: 3}))
    assert (await callers.call("candidate", "POST", f"{path}/complete")).status_code == 200
    late = await callers.call("candidate", "POST", f"{path}/answers", json={"question_id": 1, "value": 1})
    assert_error(late, 409, "session_closed")
    assert_error(await callers.call("candidate", "POST", f"{path}/complete"), 409, "already_completed")
    assert_error(await callers.call("candidate", "POST", f"{path}/abandon"), 409, "session_closed")


async def test_abandoning_lets_the_taker_start_afresh(callers: Callers) -> None:
    session = await start(callers, "candidate")
    path = f"{BASE}/sessions/{session['id']}"
    await callers.call("candidate", "POST", f"{path}/answers", json={"question_id": 1, "value": 5})
    dropped = await callers.call("candidate", "POST", f"{path}/abandon")
    assert dropped.status_code == 200
    assert dropped.json()["status"] == "abandoned"
    assert dropped.json()["next_question"] is None
    assert_error(
        await callers.call("candidate", "POST", f"{path}/answers", json={"question_id": 2, "value": 5}),
        409,
        "session_closed",
    )
    assert_error(await callers.call("candidate", "POST", f"{path}/complete"), 409, "session_closed")
    fresh = await callers.call("candidate", "POST", f"{BASE}/sessions")
    assert fresh.status_code == 201
    assert fresh.json()["id"] != session["id"]
    assert fresh.json()["answered"] == 0


async def test_an_account_without_a_company_cannot_take_the_test(callers: Callers, ctx: AppContext) -> None:
    assert_error(await callers.call("system_admin", "POST", f"{BASE}/sessions"), 403, "no_company")
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(MbtiTestSession)) == 0
