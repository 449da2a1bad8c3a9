"""Exams and the personality test in a real browser.

A candidate opens the link of their exam assignment's notification, reads the instructions,
starts, answers two questions over the live socket, reloads the page and finds herself at the
same question with her answers kept, submits after confirming and reads her result (at phone
width, in Japanese). A proctoring signal (a copy) is stored by the server. Another candidate
takes the 16-type test in English with the keyboard and the mouse, completes it, reads the
result and shares it, then stops sharing it.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import User
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from tests.e2e.conftest import Pages, Shot, sign_in
from tests.factories import PASSWORD, make_company, make_user
from tests.realtime.harness import LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
QUESTIONS: list[dict[str, Any]] = [
    {"type": "single_choice", "question": "2 + 2 = ?", "options": ["3", "4", "5"], "answer": 1, "points": 10},
    {
        "type": "multiple_choice",
        "question": "素数はどれですか。",
        "options": ["2", "4", "5", "9"],
        "answers": [0, 2],
        "points": 20,
    },
    {"type": "true_false", "question": "東京は日本の首都である。", "answer": True, "points": 10},
    {
        "type": "short_text",
        "question": "Python の作者は？",
        "accepted_answers": ["Guido van Rossum", "グイド"],
        "points": 20,
    },
    {"type": "essay", "question": "志望動機を書いてください。", "points": 40},
]


async def call(base: str, user: User, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base) as http:
        login = await http.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        return await http.request(method, path, headers=headers, **kwargs)


async def assigned_exam(live: LiveServer, recruiter: User, candidate: User) -> int:
    """A published, proctored exam of every question type assigned to the candidate: the session id."""
    body = {
        "title": "基礎テスト",
        "instructions": "落ち着いて回答してください。電卓は使えません。",
        "duration_minutes": 30,
        "questions": QUESTIONS,
        "settings": {"proctoring_enabled": True},
    }
    created = await call(live.url, recruiter, "POST", "/api/exams/", json=body)
    assert created.status_code == 201, created.text
    exam_id = created.json()["id"]
    published = await call(live.url, recruiter, "POST", f"/api/exams/{exam_id}/publish")
    assert published.status_code == 200, published.text
    assigned = await call(
        live.url, recruiter, "POST", f"/api/exams/{exam_id}/assignments", json={"candidate_id": candidate.id}
    )
    assert assigned.status_code == 201, assigned.text
    session_id: int = assigned.json()["id"]
    return session_id


async def settled(page: Any) -> None:
    """Every answer and move of the exam page acknowledged by the server."""
    await page.wait_for_selector("section.exam[data-pending='0']")


async def test_a_candidate_takes_an_exam_from_its_notification_resumes_it_and_reads_the_result(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    agency = await make_company(session, CompanyType.RECRUITING_AGENCY, name="ミライ人材株式会社")
    recruiter = await make_user(session, ctx.passwords, agency, RoleName.RECRUITER, first_name="Yui")
    candidate = await make_user(
        session, ctx.passwords, agency, RoleName.CANDIDATE, first_name="花子", last_name="山田"
    )
    await session.commit()
    session_id = await assigned_exam(live, recruiter, candidate)

    page = await pages.open(live.url, locale="ja-JP", **PHONE)
    await sign_in(page, candidate)
    assert await page.inner_text("#topbar nav a[data-nav=exams]") == "試験"
    assert await page.inner_text("#topbar nav a[data-nav=personality]") == "性格診断"

    # The notification's link opens the session: instructions, then Start.
    await page.click("#topbar .bell")
    link = page.locator("#bell-panel a.notification", has_text="基礎テスト")
    assert await link.get_attribute("href") == f"/exams/sessions/{session_id}"
    await link.click()
    await page.wait_for_selector("main[data-route=exam] #exam-start")
    assert "電卓は使えません" in await page.inner_text("main .exam-intro")
    await page.click("#exam-start")
    await page.wait_for_selector("section.exam[data-state=in_progress][data-joined=true] .exam-question")
    assert await page.inner_text(".exam-count") == "問題 1 / 5"
    timer = int(await page.get_attribute(".exam-timer", "data-seconds") or "0")
    assert 29 * 60 < timer <= 30 * 60

    # Two answers, saved over the socket as they are given.
    await page.click(".exam-question label:has-text('4')")
    await page.wait_for_selector(".exam-save[data-state=saved]")
    await settled(page)
    await page.click("#exam-next")
    await page.wait_for_selector(".exam-question[data-type=multiple_choice]")
    await settled(page)
    await page.check("#q-2-0")
    await page.check("#q-2-2")
    await settled(page)
    await page.click("#exam-next")
    await page.wait_for_selector(".exam-question[data-type=true_false]")
    await settled(page)
    assert await page.get_attribute("section.exam", "data-via") == "socket"
    await shot(page, "exam-question-ja")

    # A proctoring signal: the server stores it.
    await page.evaluate("() => document.dispatchEvent(new Event('copy'))")
    for _ in range(50):
        staff = await call(live.url, recruiter, "GET", f"/api/exam-sessions/{session_id}")
        if [v["kind"] for v in staff.json()["violations"]] == ["copy"]:
            break
        await page.wait_for_timeout(100)
    assert [v["kind"] for v in staff.json()["violations"]] == ["copy"]
    assert staff.json()["current_question"] == 2

    # A reload resumes at the same question with the answers kept.
    await page.reload()
    await page.wait_for_selector("section.exam[data-state=in_progress] .exam-question[data-type=true_false]")
    assert await page.inner_text(".exam-count") == "問題 3 / 5"
    done = await page.eval_on_selector_all(
        ".exam-nav button", "(bs) => bs.map((b) => b.classList.contains('done'))"
    )
    assert done == [True, True, False, False, False]
    await page.click("#exam-prev")
    await page.wait_for_selector(".exam-question[data-type=multiple_choice]")
    assert [await page.is_checked(f"#q-2-{i}") for i in range(4)] == [True, False, True, False]
    await settled(page)

    # Submit, after confirming (three questions left unanswered), and read the result.
    await page.click("#exam-submit")
    await page.wait_for_selector("dialog.exam-confirm[open]")
    assert "3問" in await page.inner_text("dialog.exam-confirm")
    await page.click("#exam-confirm-submit")
    await page.wait_for_selector("section.exam[data-state=graded] #exam-score")
    assert await page.inner_text("#exam-score") == "得点 30% 不合格"
    assert "試験を提出しました" in await page.inner_text(".exam-done")
    await shot(page, "exam-result-ja")

    # Her list of exams shows it graded.
    await page.click("main a[href='/exams']")
    await page.wait_for_selector(f"main[data-route=exams] [data-session='{session_id}']")
    assert "採点済み" in await page.inner_text(f"[data-session='{session_id}']")
    assert await page.get_attribute("#topbar nav a[data-nav=exams]", "aria-current") == "page"


async def test_a_candidate_takes_the_personality_test_and_shares_the_result(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    agency = await make_company(session, CompanyType.RECRUITING_AGENCY)
    candidate = await make_user(session, ctx.passwords, agency, RoleName.CANDIDATE, first_name="Ken")
    await session.commit()

    page = await pages.open(live.url, locale="en-US")
    await sign_in(page, candidate)
    await page.click("#topbar nav a[data-nav=personality]")
    await page.wait_for_selector("main[data-route=personality] #mbti-start")
    await page.click("#mbti-start")
    await page.wait_for_selector(".personality .exam-question[data-question='1']")
    assert await page.inner_text("#mbti-progress-text") == "0 of 60 answered"

    # The first answer with the keyboard: to the scale, an arrow picks a value.
    await page.focus("#mbti-q-1-1")
    await page.keyboard.press("Space")
    await page.wait_for_selector(".personality .exam-question[data-question='2']")
    await shot(page, "personality-question-en")
    for number in range(2, 61):
        value = 1 + number % 5
        await page.click(f"label[for='mbti-q-{number}-{value}']")
        following = number + 1 if number < 60 else 60
        if number < 60:
            await page.wait_for_selector(f".personality .exam-question[data-question='{following}']")
    await page.wait_for_selector("#mbti-progress-text:text-is('60 of 60 answered')")
    await page.click("#mbti-complete")
    await page.wait_for_selector("#mbti-result #mbti-type")
    result_type = await page.inner_text("#mbti-type")
    assert len(result_type) == 4
    assert await page.inner_text("#mbti-share-state") == "Only you can see this result."
    await shot(page, "personality-result-en")

    await page.click("#mbti-share")
    await page.wait_for_selector("#mbti-share[data-shared=true]")
    assert "staff" in await page.inner_text("#mbti-share-state")
    await page.click("#mbti-share")
    await page.wait_for_selector("#mbti-share[data-shared=false]")

    # A reload shows the latest result again.
    await page.reload()
    await page.wait_for_selector("#mbti-result #mbti-type")
    assert await page.inner_text("#mbti-type") == result_type
