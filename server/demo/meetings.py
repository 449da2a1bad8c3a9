"""Video meetings of the interviews, what a recorded one leaves behind, and ad-hoc video calls."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Meeting,
    MeetingParticipant,
    MeetingRecording,
    MeetingSummary,
    MeetingTranscript,
    VideoCall,
    VideoCallParticipant,
)
from models.enums import (
    CallRole,
    ConnectionQuality,
    MeetingRole,
    MeetingStatus,
    MeetingType,
    ParticipantStatus,
    ProcessingStatus,
    RecordingStatus,
    VideoCallStatus,
)
from server.demo.common import Demo, full_name

# No 0/o, 1/l/i: a room code is read aloud and typed by hand.
ROOM_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def room_code() -> str:
    """A short, readable code such as `k7m-qd2x-p9a`."""
    return "-".join("".join(secrets.choice(ROOM_CODE_ALPHABET) for _ in range(n)) for n in (3, 4, 3))


async def add_meetings(session: AsyncSession, demo: Demo) -> None:
    """The completed casual talk (recorded with everyone's consent) and the scheduled first interview."""
    casual, first = demo.interviews[0], demo.interviews[1]
    recruiter, candidate, interviewer = demo.recruiter, demo.candidate, demo.employer_user
    past = Meeting(
        interview_id=casual.id,
        title=casual.title,
        meeting_type=MeetingType.INTERVIEW,
        status=MeetingStatus.COMPLETED,
        scheduled_start=casual.scheduled_start,
        scheduled_end=casual.scheduled_end,
        actual_start=casual.actual_start,
        actual_end=casual.actual_end,
        room_id=secrets.token_urlsafe(16),
        recording_enabled=True,
        recording_status=RecordingStatus.STOPPED,
        recording_consent_required=True,
        transcription_enabled=True,
        auto_summary=True,
        company_id=demo.agency.id,
        created_by=recruiter.id,
    )
    upcoming = Meeting(
        interview_id=first.id,
        title=first.title,
        description="開始5分前から入室できます。カメラとマイクの確認をお願いします。",
        meeting_type=MeetingType.INTERVIEW,
        status=MeetingStatus.SCHEDULED,
        scheduled_start=first.scheduled_start,
        scheduled_end=first.scheduled_end,
        room_id=secrets.token_urlsafe(16),
        access_code=f"{secrets.randbelow(10**6):06d}",
        recording_enabled=False,
        company_id=demo.agency.id,
        created_by=recruiter.id,
    )
    session.add_all([past, upcoming])
    await session.flush()

    joined, left = casual.actual_start, casual.actual_end
    session.add_all(
        [
            MeetingParticipant(
                meeting_id=past.id,
                user_id=recruiter.id,
                role=MeetingRole.HOST,
                status=ParticipantStatus.LEFT,
                joined_at=joined,
                left_at=left,
                can_record=True,
                recording_consent=True,
            ),
            MeetingParticipant(
                meeting_id=past.id,
                user_id=candidate.id,
                role=MeetingRole.CANDIDATE,
                status=ParticipantStatus.LEFT,
                joined_at=joined,
                left_at=left,
                recording_consent=True,
            ),
            MeetingParticipant(
                meeting_id=upcoming.id,
                user_id=recruiter.id,
                role=MeetingRole.HOST,
                status=ParticipantStatus.ACCEPTED,
            ),
            MeetingParticipant(
                meeting_id=upcoming.id,
                user_id=candidate.id,
                role=MeetingRole.CANDIDATE,
                status=ParticipantStatus.ACCEPTED,
            ),
            MeetingParticipant(
                meeting_id=upcoming.id,
                user_id=interviewer.id,
                role=MeetingRole.INTERVIEWER,
                status=ParticipantStatus.INVITED,
            ),
        ]
    )
    await session.flush()
    await _add_artifacts(session, demo, past)


async def _add_artifacts(session: AsyncSession, demo: Demo, meeting: Meeting) -> None:
    """The recording of the past meeting, its transcript and the summary generated from it."""
    recruiter, candidate = full_name(demo.recruiter), full_name(demo.candidate)
    recording = MeetingRecording(
        meeting_id=meeting.id,
        company_id=meeting.company_id,
        started_by=demo.recruiter.id,
        status=ProcessingStatus.READY,
        file_path=f"demo/recordings/{secrets.token_hex(16)}.webm",
        file_size=184_320_512,
        mime_type="video/webm",
        duration_seconds=2520,
        started_at=meeting.actual_start,
        ended_at=meeting.actual_end,
    )
    session.add(recording)
    await session.flush()

    segments = [
        {
            "start": 0.0,
            "end": 6.5,
            "speaker": recruiter,
            "text": "本日はお時間をいただきありがとうございます。",
        },
        {"start": 6.5, "end": 14.0, "speaker": candidate, "text": "よろしくお願いいたします。"},
        {
            "start": 14.0,
            "end": 31.2,
            "speaker": recruiter,
            "text": "まず、現在のお仕事内容を簡単に教えていただけますか。",
        },
        {
            "start": 31.2,
            "end": 58.9,
            "speaker": candidate,
            "text": "自動搬送車の経路計画を ROS 2 で開発しています。",
        },
    ]
    transcript = MeetingTranscript(
        meeting_id=meeting.id,
        recording_id=recording.id,
        company_id=meeting.company_id,
        language="ja",
        status=ProcessingStatus.READY,
        content="\n".join(f"{s['speaker']}：{s['text']}" for s in segments),
        segments=segments,
    )
    session.add(transcript)
    await session.flush()

    session.add(
        MeetingSummary(
            meeting_id=meeting.id,
            transcript_id=transcript.id,
            company_id=meeting.company_id,
            status=ProcessingStatus.READY,
            summary="候補者は ROS 2 による自動搬送車の経路計画を担当。現場で動くロボットへの関心が高い。",
            key_points=["ROS 2 の実務経験3年", "経路計画・SLAM に強み", "入社は3か月後を希望"],
            action_items=[
                {
                    "text": "一次面接の日程を調整する",
                    "assignee_id": demo.recruiter.id,
                    "due_date": demo.today.isoformat(),
                }
            ],
            created_by=demo.recruiter.id,
        )
    )
    await session.flush()


async def add_video_calls(session: AsyncSession, demo: Demo) -> None:
    """A finished follow-up call with the candidate and a scheduled sync with the employer."""
    recruiter, candidate, employer = demo.recruiter, demo.candidate, demo.employer_admin
    follow_up = VideoCall(
        room_code=room_code(),
        title="面談後フォローアップ",
        description="カジュアル面談の感想と今後の選考の流れについて。",
        host_id=recruiter.id,
        status=VideoCallStatus.ENDED,
        scheduled_start=demo.at(-2, 18),
        scheduled_end=demo.at(-2, 18, 30),
        actual_start=demo.at(-2, 18, 1),
        actual_end=demo.at(-2, 18, 26),
        max_participants=2,
        settings={"chat": True, "screen_share": False},
        company_id=demo.agency.id,
    )
    weekly = VideoCall(
        room_code=room_code(),
        title="週次すり合わせ（Sakura Robotics 様）",
        description="推薦候補者の選考状況の共有。",
        host_id=recruiter.id,
        status=VideoCallStatus.SCHEDULED,
        scheduled_start=demo.at(1, 16),
        scheduled_end=demo.at(1, 16, 30),
        waiting_room=True,
        settings={"chat": True, "screen_share": True},
        company_id=demo.agency.id,
    )
    session.add_all([follow_up, weekly])
    await session.flush()

    session.add_all(
        [
            VideoCallParticipant(
                video_call_id=follow_up.id,
                user_id=recruiter.id,
                display_name=full_name(recruiter),
                role=CallRole.HOST,
                status=ParticipantStatus.LEFT,
                joined_at=follow_up.actual_start,
                left_at=follow_up.actual_end,
                duration_minutes=25,
                connection_quality=ConnectionQuality.EXCELLENT,
            ),
            VideoCallParticipant(
                video_call_id=follow_up.id,
                user_id=candidate.id,
                display_name=full_name(candidate),
                status=ParticipantStatus.LEFT,
                joined_at=demo.at(-2, 18, 2),
                left_at=follow_up.actual_end,
                duration_minutes=24,
                connection_quality=ConnectionQuality.GOOD,
            ),
            VideoCallParticipant(
                video_call_id=weekly.id,
                user_id=recruiter.id,
                display_name=full_name(recruiter),
                role=CallRole.HOST,
                status=ParticipantStatus.ACCEPTED,
            ),
            VideoCallParticipant(
                video_call_id=weekly.id,
                user_id=employer.id,
                display_name=full_name(employer),
                status=ParticipantStatus.INVITED,
            ),
        ]
    )
    await session.flush()
