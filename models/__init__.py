"""SQLAlchemy models of every MiraiWorks table, one module per section of the database definition.

Importing this package registers every table on `Base.metadata` (Alembic and the tests rely on it).
"""

from models.accounts import Company, Role, User, UserRole
from models.attachments import Attachment
from models.audit import AuditLog
from models.auth import RefreshToken, TwoFactorCode
from models.base import Base
from models.calendar import CalendarConnection, CalendarIntegration
from models.exams import Exam, ExamSession
from models.interviews import Interview, InterviewNote
from models.mbti import MbtiTestSession
from models.meeting_artifacts import MeetingRecording, MeetingSummary, MeetingTranscript
from models.meetings import Meeting, MeetingParticipant
from models.messages import Message
from models.notifications import Notification
from models.positions import Position
from models.resumes import Resume
from models.settings import UserSetting
from models.todos import Todo, TodoAttachment, TodoExtensionRequest, TodoViewer
from models.video_calls import VideoCall, VideoCallParticipant

__all__ = [
    "Attachment",
    "AuditLog",
    "Base",
    "CalendarConnection",
    "CalendarIntegration",
    "Company",
    "Exam",
    "ExamSession",
    "Interview",
    "InterviewNote",
    "MbtiTestSession",
    "Meeting",
    "MeetingParticipant",
    "MeetingRecording",
    "MeetingSummary",
    "MeetingTranscript",
    "Message",
    "Notification",
    "Position",
    "RefreshToken",
    "Resume",
    "Role",
    "Todo",
    "TodoAttachment",
    "TodoExtensionRequest",
    "TodoViewer",
    "TwoFactorCode",
    "User",
    "UserRole",
    "UserSetting",
    "VideoCall",
    "VideoCallParticipant",
]
