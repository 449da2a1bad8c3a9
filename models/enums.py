"""Allowed values of the seed's status-like columns.

The columns stay VARCHAR as the seed defines them; these enums are what the application
accepts and writes. Each seed default is a member of its enum.
"""

from enum import StrEnum


class CompanyType(StrEnum):
    RECRUITING_AGENCY = "RECRUITING_AGENCY"
    EMPLOYER = "EMPLOYER"


class Priority(StrEnum):
    """Priority of messages and notifications."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class PositionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERNSHIP = "internship"
    FREELANCE = "freelance"


class ExperienceLevel(StrEnum):
    ENTRY = "entry"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    EXECUTIVE = "executive"


class InterviewStatus(StrEnum):
    PENDING_SCHEDULE = "pending_schedule"
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InterviewType(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    PHONE = "phone"


class InterviewDecision(StrEnum):
    PASS = "pass"  # noqa: S105 - an interview decision, not a secret
    FAIL = "fail"
    HOLD = "hold"
    NEXT_ROUND = "next_round"


class NoteVisibility(StrEnum):
    """interview_notes: private to the author, or shared with the author's company."""

    PRIVATE = "private"
    COMPANY = "company"


class MeetingType(StrEnum):
    INTERVIEW = "interview"
    TEAM = "team"
    CLIENT = "client"
    OTHER = "other"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RecordingStatus(StrEnum):
    """meetings.recording_status: consent gates the move from pending_consent to recording."""

    NOT_STARTED = "not_started"
    PENDING_CONSENT = "pending_consent"
    RECORDING = "recording"
    STOPPED = "stopped"


class MeetingRole(StrEnum):
    HOST = "host"
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"
    OBSERVER = "observer"


class ParticipantStatus(StrEnum):
    """Where a participant of a meeting or a video call stands."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WAITING = "waiting"
    JOINED = "joined"
    LEFT = "left"
    REMOVED = "removed"
    DENIED = "denied"


class CallRole(StrEnum):
    HOST = "host"
    CO_HOST = "co_host"
    PARTICIPANT = "participant"


class VideoCallStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    ENDED = "ended"
    CANCELLED = "cancelled"


class ConnectionQuality(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class ProcessingStatus(StrEnum):
    """Recordings, transcripts and summaries: produced asynchronously after a meeting."""

    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"
    PARTIAL = "partial"
    """A recording whose recorder died: playable up to the last second it wrote."""


class TodoStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TodoPriority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class TodoVisibility(StrEnum):
    PRIVATE = "private"
    COMPANY = "company"
    VIEWERS = "viewers"


class ViewerPermission(StrEnum):
    READ = "read"
    EDIT = "edit"


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class CalendarProvider(StrEnum):
    GOOGLE = "google"
    OUTLOOK = "outlook"


class CalendarEventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class SyncStatus(StrEnum):
    SYNCED = "synced"
    PENDING = "pending"
    FAILED = "failed"


class UploadStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"


class ResumeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class ResumeVisibility(StrEnum):
    PRIVATE = "private"
    COMPANY = "company"
    PUBLIC = "public"


class ExamDifficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class ExamStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ExamSessionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    GRADED = "graded"
    EXPIRED = "expired"


class MbtiStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SHARED = "shared"
    """Completed, and shared by the taker with their company's staff (server/domains/personality)."""
    ABANDONED = "abandoned"


class TwoFactorMethod(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class SettingDataType(StrEnum):
    STRING = "string"
    INT = "int"
    BOOL = "bool"
    JSON = "json"


class MessageType(StrEnum):
    DIRECT = "direct"
    SYSTEM = "system"
