"""A recruiter's work screens in a real browser: an interview moved through its status actions
(the buttons are the moves the API lists for her, each click reflected at once and kept on a
reload), and a todo created, completed and reopened, with the keyboard where it matters and at
phone width."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview
from models.enums import CompanyType, InterviewStatus
from server.auth.principal import RoleName
from server.context import AppContext
from tests.e2e.conftest import Pages, Shot, sign_in
from tests.factories import make_company, make_interview, make_user
from tests.realtime.harness import LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TOKYO = ZoneInfo("Asia/Tokyo")


def due_today() -> tuple[datetime, str]:
    """A due time today in Tokyo and the chip the open list shows for it: the day's last minute
    while it is minutes away (not started, 未着手), else the day's first (past, so 期限切れ)."""
    now = datetime.now(TOKYO)
    last = now.replace(hour=23, minute=59, second=0, microsecond=0)
    if last - now > timedelta(minutes=10):
        return last, "未着手"
    return now.replace(hour=0, minute=0, second=0, microsecond=0), "期限切れ"


async def actions_offered(page: object) -> list[str]:
    return await page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        ".interview-actions button[data-action]", "(bs) => bs.map((b) => b.dataset.action)"
    )


async def test_a_recruiter_schedules_confirms_starts_and_completes_an_interview(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    company = await make_company(session, CompanyType.RECRUITING_AGENCY)
    recruiter = await make_user(
        session, ctx.passwords, company, RoleName.RECRUITER, first_name="Yui", last_name="Ishikawa"
    )
    candidate = await make_user(
        session, ctx.passwords, company, RoleName.CANDIDATE, first_name="Ren", last_name="Kato"
    )
    interview = await make_interview(
        session, company, recruiter, candidate=candidate, recruiter=recruiter, title="二次面接：加藤さん"
    )
    await session.commit()
    assert interview.status is InterviewStatus.PENDING_SCHEDULE

    page = await pages.open(live.url, locale="en-US")
    await sign_in(page, recruiter)
    await page.goto(f"/interviews/{interview.id}")
    await page.wait_for_selector(
        "#interview-status .chip.interview-pending_schedule:text-is('To be scheduled')"
    )
    assert await actions_offered(page) == ["schedule", "cancel"]

    # Scheduled with the keyboard: the form opens on its first field, the time is Tokyo's.
    await page.focus(".interview-actions [data-action=schedule]")
    await page.keyboard.press("Enter")
    assert await page.evaluate("() => document.activeElement.id") == "schedule-start"
    start = (datetime.now(TOKYO) + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    await page.fill("#schedule-start", start.strftime("%Y-%m-%dT%H:%M"))
    await page.fill("#schedule-minutes", "45")
    await page.press("#schedule-minutes", "Enter")
    await page.wait_for_selector("#interview-status .chip.interview-scheduled:text-is('Scheduled')")
    assert "14:00" in await page.inner_text(".facts") and "14:45" in await page.inner_text(".facts")
    assert await actions_offered(page) == ["schedule", "confirm", "cancel"]
    assert await page.evaluate("() => document.activeElement.id") == "interview-status"

    await page.click(".interview-actions [data-action=confirm]")
    await page.wait_for_selector("#interview-status .chip.interview-confirmed:text-is('Confirmed')")
    assert await actions_offered(page) == ["schedule", "start", "cancel"]
    await shot(page, "interview-actions-en")
    await page.click(".interview-actions [data-action=start]")
    await page.wait_for_selector("#interview-status .chip.interview-in_progress:text-is('In progress')")
    assert await actions_offered(page) == ["complete", "cancel"]

    # The cancel asks first; Escape gives it up and the interview stays as it was.
    await page.click(".interview-actions [data-action=cancel]")
    await page.wait_for_selector("#cancel-reason:focus")
    await page.keyboard.press("Escape")
    await page.wait_for_selector("#cancel-reason", state="detached")

    await page.click(".interview-actions [data-action=complete]")
    await page.wait_for_selector("#interview-status .chip.interview-completed:text-is('Completed')")
    assert await page.query_selector(".interview-actions") is None  # nothing left to do
    await page.reload()
    await page.wait_for_selector("#interview-status .chip.interview-completed:text-is('Completed')")

    async with ctx.sessionmaker() as db:
        stored = await db.get(Interview, interview.id)
        assert stored is not None
        assert stored.status is InterviewStatus.COMPLETED and stored.actual_end is not None
        assert stored.scheduled_start is not None
        assert stored.scheduled_start.replace(tzinfo=ZoneInfo("UTC")) == start

    # The candidate is offered nothing on it now (and, on a scheduled one, only `confirm`).
    other = await pages.open(live.url, locale="ja-JP", **PHONE)
    await sign_in(other, candidate)
    await other.goto(f"/interviews/{interview.id}")
    await other.wait_for_selector("#interview-status .chip.interview-completed:text-is('完了')")
    assert await other.query_selector(".interview-actions") is None


async def test_a_todo_is_created_completed_and_reopened_on_a_phone(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    company = await make_company(session, CompanyType.RECRUITING_AGENCY)
    recruiter = await make_user(
        session, ctx.passwords, company, RoleName.RECRUITER, first_name="Yui", last_name="Ishikawa"
    )
    await session.commit()
    page = await pages.open(live.url, locale="ja-JP", **PHONE)
    await sign_in(page, recruiter)
    await page.goto("/todos")
    await page.wait_for_selector("main[data-route=todos] .empty")
    await page.click("#todo-new")
    await page.wait_for_selector("#todo-title:focus")
    await page.keyboard.type("候補者に面接日程を連絡する")
    due, open_chip = due_today()
    await page.fill("#todo-due", due.strftime("%Y-%m-%dT%H:%M"))
    await page.select_option("#todo-priority", "high")
    await shot(page, "todo-new-phone-ja")
    await page.click("#todo-create button[type=submit]")
    row = "main [data-todo] a:has-text('候補者に面接日程を連絡する')"
    await page.wait_for_selector(row)
    assert await page.query_selector("#todo-create") is None
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # Today's open todos list it, due today in Tokyo.
    await page.goto("/")
    await page.wait_for_selector(f"#today-todos + ul {row.removeprefix('main ')}")
    await page.goto("/todos")
    await page.click("main button[aria-label='「候補者に面接日程を連絡する」を完了にする']")
    await page.wait_for_selector("text=「候補者に面接日程を連絡する」を完了にしました。")
    await page.wait_for_selector("main details summary:has-text('（1件）')")
    await page.click("main details summary")
    await page.wait_for_selector("main details .chip:has-text('完了')")
    await shot(page, "todos-phone-ja")
    await page.click("main details button:has-text('再開する')")
    await page.wait_for_selector(
        f"main > section > div > ul [data-todo] .chip:has-text('{open_chip}')", state="attached"
    )
    await page.wait_for_selector("main details", state="detached")

    # On its own page: complete, and the keyboard stays on the button that undoes it.
    await page.click(row)
    await page.wait_for_selector("main[data-route=todo] .actions button:has-text('完了にする')")
    await page.click("main .actions button:has-text('完了にする')")
    await page.wait_for_selector("main .facts .chip:has-text('完了')")
    assert await page.evaluate("() => document.activeElement.textContent") == "再開する"
    await page.keyboard.press("Enter")
    await page.wait_for_selector("main .facts .chip:has-text('未着手')")
