"""The pages of the mailed links and of signing in, in a real browser: an activation link from
the outbox sets a password, a reset link changes it, a 2FA sign-in done with the keyboard
alone, the language switch, the time zone setting, and signing out."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType, InterviewStatus
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.e2e.conftest import Pages, Shot, link_in, mail_to
from tests.factories import PASSWORD, make_company, make_interview, make_user
from tests.realtime.harness import LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


async def test_an_activation_link_sets_a_password_and_a_reset_link_changes_it(
    live: LiveServer, settings: Settings, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    company = await make_company(session, CompanyType.RECRUITING_AGENCY)
    admin = await make_user(session, ctx.passwords, company, RoleName.COMPANY_ADMIN)
    await session.commit()
    outbox = settings.var_dir / "outbox"
    newcomer = "hanako.kobayashi@agency.example.jp"
    async with httpx.AsyncClient(base_url=live.url) as http:
        token = (await http.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD})).json()
        created = await http.post(
            "/api/users",
            headers={"Authorization": f"Bearer {token['access_token']}"},
            json={"email": newcomer, "first_name": "花子", "last_name": "小林", "roles": ["recruiter"]},
        )
        assert created.status_code == 201, created.text
    activation = link_in(await mail_to(outbox, newcomer, after=time.time() - 5), "activate")

    page = await pages.open(live.url, locale="ja-JP", **PHONE)
    await page.goto(activation)
    await page.wait_for_selector("main[data-route=activate] h1")
    assert "token=" not in page.url  # out of the address bar and the history
    await page.fill("input[name=password]", "はじめてのパスワード1")
    await page.fill("input[name=confirm]", "はじめてのパスワード2")
    await page.click("button[type=submit]")
    await page.wait_for_selector(".form-error:has-text('一致しません')")
    await page.fill("input[name=confirm]", "はじめてのパスワード1")
    await shot(page, "activate-phone-ja")
    await page.click("button[type=submit]")
    await page.wait_for_selector("text=アカウントが有効になりました")

    await page.click("a[href='/login']")
    await page.fill("input[name=email]", newcomer)
    await page.fill("input[name=password]", "はじめてのパスワード1")
    await page.click("button[type=submit]")
    await page.wait_for_selector("main[data-route=today] .summary")
    await shot(page, "today-phone-ja")

    # Signed out, a reset link chooses another password.
    await page.click("details.menu summary")
    await page.click("button.signout")
    await page.wait_for_selector("main[data-route=login]")
    await page.click("a[href='/reset-password']")
    await page.fill("input[name=email]", newcomer)
    asked = time.time() - 1
    await page.click("button[type=submit]")
    await page.wait_for_selector("text=再設定用のリンクを送信しました")
    reset = link_in(await mail_to(outbox, newcomer, after=asked), "reset-password")
    await page.goto(reset)
    await page.fill("input[name=password]", "つぎのパスワード2026")
    await page.fill("input[name=confirm]", "つぎのパスワード2026")
    await page.click("button[type=submit]")
    await page.wait_for_selector("text=パスワードを変更しました")
    await page.goto("/login")
    await page.fill("input[name=email]", newcomer)
    await page.fill("input[name=password]", "はじめてのパスワード1")
    await page.click("button[type=submit]")
    await page.wait_for_selector(".form-error:has-text('正しくありません')")
    await page.fill("input[name=password]", "つぎのパスワード2026")
    await page.click("button[type=submit]")
    await page.wait_for_selector("main[data-route=today] .summary")


async def focus_by_tab(page: Any, name: str) -> None:
    for _ in range(15):
        await page.keyboard.press("Tab")
        if await page.evaluate("() => document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"the {name} field is not reachable with Tab")


async def test_a_two_factor_sign_in_with_the_keyboard_then_language_and_time_zone(
    live: LiveServer, settings: Settings, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot
) -> None:
    company = await make_company(session, CompanyType.RECRUITING_AGENCY)
    user = await make_user(
        session,
        ctx.passwords,
        company,
        RoleName.RECRUITER,
        require_2fa=True,
        first_name="Ken",
        last_name="Mori",
    )
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime.now(tokyo).replace(hour=0, minute=30, second=0, microsecond=0)  # today, in Tokyo
    interview = await make_interview(
        session,
        company,
        user,
        recruiter=user,
        title="一次面接：森さん担当",
        status=InterviewStatus.SCHEDULED,
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
    )
    await session.commit()
    page = await pages.open(live.url, locale="en-US")
    await page.goto("/")
    await page.wait_for_selector("main[data-route=login]")
    await focus_by_tab(page, "email")
    await page.keyboard.type(user.email)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    asked = time.time() - 1
    await page.keyboard.press("Enter")
    await page.wait_for_selector("input[name=code]")
    assert await page.evaluate("() => document.activeElement.name") == "code"
    code = re.search(r"\b(\d{6})\b", await mail_to(settings.var_dir / "outbox", user.email, after=asked))
    assert code
    await page.keyboard.type("000000" if code.group(1) != "000000" else "111111")
    await page.keyboard.press("Enter")
    await page.wait_for_selector(".form-error:has-text('The code is wrong')")
    await shot(page, "login-2fa-en")
    await page.fill("input[name=code]", code.group(1))
    await page.keyboard.press("Enter")
    await page.wait_for_selector("main[data-route=today] h1:has-text('Today')")
    assert "(Asia/Tokyo)" in await page.inner_text(".today .date")
    today = await page.inner_text("#today-interviews + ul")
    assert "一次面接：森さん担当" in today and "00:30" in today  # the day and the time in Tokyo

    await page.click("button.lang")
    await page.wait_for_selector("main[data-route=today] h1:has-text('今日の予定')")
    assert await page.evaluate("() => document.documentElement.lang") == "ja"
    await page.goto("/settings")
    await page.select_option("#set-tz", "Europe/London")
    await page.click("main button[type=submit]")
    await page.wait_for_selector("text=設定を保存しました")
    await page.goto("/")
    await page.wait_for_selector(".today .date:has-text('(Europe/London)')")
    await page.reload()  # kept as the user's setting, so a new page load keeps it
    await page.wait_for_selector(".today .date:has-text('(Europe/London)')")
    await page.goto(f"/interviews/{interview.id}")
    london = start.astimezone(ZoneInfo("Europe/London"))
    await page.wait_for_selector(f".facts dd:has-text('{london.hour}:{london.minute:02d}')")
    await shot(page, "interview-ja")

    await page.click("details.menu summary")
    await page.click("button.signout")
    await page.wait_for_selector("main[data-route=login] h1:has-text('ログイン')")
    await page.goto("/messages")
    await page.wait_for_selector("main[data-route=login]")
    assert "next=%2Fmessages" in page.url
