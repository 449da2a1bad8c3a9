"""Around the work: a calendar link, messages, notifications, settings, sign-in traces and the audit note.

Nothing here is a usable secret: calendar tokens say they are demo values, the refresh token and
two-factor code are expired and spent, and the refresh token is a digest of random bytes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CalendarConnection,
    CalendarIntegration,
    Message,
    Notification,
    RefreshToken,
    TwoFactorCode,
    User,
    UserSetting,
)
from models.enums import (
    CalendarEventStatus,
    CalendarProvider,
    MessageType,
    Priority,
    SettingDataType,
    SyncStatus,
    TwoFactorMethod,
)
from server import audit
from server.demo.common import TOKYO_TZ, Demo, full_name, unusable_token


async def add_calendar(session: AsyncSession, demo: Demo) -> None:
    """The recruiter's Google calendar (sync off: its tokens are fake) with two mirrored events."""
    recruiter, first = demo.recruiter, demo.interviews[1]
    assert first.scheduled_start is not None and first.scheduled_end is not None
    connection = CalendarConnection(
        user_id=recruiter.id,
        provider=CalendarProvider.GOOGLE,
        external_account_id=f"demo-{secrets.token_hex(8)}",
        external_account_email=recruiter.email,
        display_name=f"{full_name(recruiter)}（Google カレンダー）",
        access_token=f"demo-access-token-not-valid-{secrets.token_hex(8)}",
        refresh_token=f"demo-refresh-token-not-valid-{secrets.token_hex(8)}",
        token_expires_at=demo.now - timedelta(hours=1),
        last_sync=demo.now - timedelta(hours=2),
        sync_enabled=False,
    )
    session.add(connection)
    await session.flush()

    session.add_all(
        [
            CalendarIntegration(
                connection_id=connection.id,
                external_event_id=f"demo-{secrets.token_hex(12)}",
                title=first.title,
                description=first.description,
                start_datetime=first.scheduled_start,
                end_datetime=first.scheduled_end,
                timezone=TOKYO_TZ,
                location="オンライン（MiraiWorks ミーティング）",
                status=CalendarEventStatus.CONFIRMED,
                organizer_email=recruiter.email,
                attendees=[recruiter.email, demo.candidate.email, demo.employer_user.email],
                sync_status=SyncStatus.SYNCED,
                last_modified=demo.now - timedelta(hours=2),
            ),
            CalendarIntegration(
                connection_id=connection.id,
                external_event_id=f"demo-{secrets.token_hex(12)}",
                title="チーム定例",
                start_datetime=demo.at(1, 9, 30),
                end_datetime=demo.at(1, 10),
                timezone=TOKYO_TZ,
                location="本社 会議室A",
                status=CalendarEventStatus.CONFIRMED,
                organizer_email=demo.agency_admin.email,
                attendees=[demo.agency_admin.email, recruiter.email],
                is_recurring=True,
                recurrence_rule="RRULE:FREQ=WEEKLY;BYDAY=MO",
                sync_status=SyncStatus.SYNCED,
            ),
        ]
    )
    await session.flush()


async def add_messages(session: AsyncSession, demo: Demo) -> None:
    """A read message from the recruiter to the candidate and the candidate's unread reply."""
    recruiter, candidate = demo.recruiter, demo.candidate
    thread = f"demo-{secrets.token_hex(8)}"
    invitation = Message(
        sender_id=recruiter.id,
        recipient_id=candidate.id,
        subject="一次面接の日程について",
        content=(
            f"{candidate.last_name}様\n\n{demo.employer.name} 様との一次面接が確定しました。"
            f"詳細は面接ページをご確認ください。\n\n{recruiter.last_name}"
        ),
        message_type=MessageType.DIRECT,
        priority=Priority.HIGH,
        is_read=True,
        read_at=demo.now - timedelta(hours=3),
        thread_id=thread,
        company_id=demo.agency.id,
    )
    session.add(invitation)
    await session.flush()
    session.add(
        Message(
            sender_id=candidate.id,
            recipient_id=recruiter.id,
            subject="Re: 一次面接の日程について",
            content=(
                f"{recruiter.last_name}様\n\nご連絡ありがとうございます。"
                f"当日はどうぞよろしくお願いいたします。\n\n{candidate.last_name}"
            ),
            parent_message_id=invitation.id,
            thread_id=thread,
            company_id=demo.agency.id,
        )
    )
    await session.flush()


async def add_notifications(session: AsyncSession, demo: Demo) -> None:
    first = demo.interviews[1]
    session.add_all(
        [
            Notification(
                user_id=demo.candidate.id,
                type="interview_scheduled",
                title="面接日程が確定しました",
                message=f"{first.title} が登録されました。",
                data={"interview_id": first.id},
                priority=Priority.HIGH,
                category="interview",
                action_url=f"/interviews/{first.id}",
            ),
            Notification(
                user_id=demo.recruiter.id,
                type="message_received",
                title="新しいメッセージ",
                message=f"{full_name(demo.candidate)}さんから返信が届きました。",
                category="message",
                action_url="/messages",
            ),
            Notification(
                user_id=demo.agency_admin.id,
                type="todo_extension_requested",
                title="期限延長のリクエスト",
                message="「職務経歴書の最新版を提出する」の期限延長がリクエストされました。",
                category="todo",
                action_url="/todos",
            ),
            Notification(
                user_id=demo.employer_user.id,
                type="interview_scheduled",
                title="面接官として招待されました",
                message=f"{first.title}（面接官）",
                data={"interview_id": first.id},
                is_read=True,
                read_at=demo.now - timedelta(hours=1),
                category="interview",
                action_url=f"/interviews/{first.id}",
            ),
        ]
    )
    await session.flush()


async def add_user_settings(session: AsyncSession, demo: Demo) -> None:
    """Language and time zone of every company user; the recruiter also turned off email digests."""
    users: list[User] = [
        demo.agency_admin,
        demo.recruiter,
        demo.candidate,
        demo.employer_admin,
        demo.employer_user,
    ]
    rows = [
        UserSetting(user_id=user.id, setting_key=key, setting_value=value, category="general")
        for user in users
        for key, value in (("language", "ja"), ("timezone", TOKYO_TZ))
    ]
    rows.append(
        UserSetting(
            user_id=demo.recruiter.id,
            setting_key="email_digest",
            setting_value="false",
            data_type=SettingDataType.BOOL,
            category="notifications",
            description="1日1回のまとめメール",
        )
    )
    session.add_all(rows)
    await session.flush()


async def add_sign_in_traces(session: AsyncSession, demo: Demo) -> None:
    """One expired, revoked refresh token and one spent, expired two-factor code."""
    session.add_all(
        [
            RefreshToken(
                user_id=demo.candidate.id,
                token=unusable_token(),
                expires_at=demo.now - timedelta(days=1),
                is_active=False,
            ),
            TwoFactorCode(
                user_id=demo.agency_admin.id,
                code=f"{secrets.randbelow(10**6):06d}",
                method=TwoFactorMethod.EMAIL,
                expires_at=demo.now - timedelta(days=1, minutes=50),
                is_used=True,
                used_at=demo.now - timedelta(days=1, minutes=55),
                attempts=1,
            ),
        ]
    )
    await session.flush()


async def add_audit_note(session: AsyncSession, demo: Demo) -> None:
    """The audit event saying the demo data was created (each row is also audited as it is inserted)."""
    audit.note(
        session,
        "demo.seed",
        "companies",
        demo.agency.id,
        {
            "companies": [demo.agency.name, demo.employer.name],
            "accounts": [account.email for account in demo.accounts],
        },
    )
    await session.flush()
