"""Initial schema: every table of the database definition, plus the four it names without defining

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 07:22:26.015440
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.types import LongText, UTCDateTime, utc_now, utc_now_on_update

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = (
    'companies',
    'roles',
    'users',
    'attachments',
    'audit_logs',
    'calendar_connections',
    'exams',
    'mbti_test_sessions',
    'messages',
    'notifications',
    'positions',
    'refresh_tokens',
    'resumes',
    'todos',
    'two_factor_codes',
    'user_roles',
    'user_settings',
    'video_calls',
    'calendar_integrations',
    'exam_sessions',
    'interviews',
    'todo_attachments',
    'todo_extension_requests',
    'todo_viewers',
    'video_call_participants',
    'interview_notes',
    'meetings',
    'meeting_participants',
    'meeting_recordings',
    'meeting_transcripts',
    'meeting_summaries',
)
"""Every table, parents before children."""


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('type', sa.Enum('RECRUITING_AGENCY', 'EMPLOYER', name='company_type'), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('website', sa.String(length=255), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('prefecture', sa.String(length=50), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_active', sa.String(length=1), server_default='1', nullable=False),
    sa.Column('is_demo', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('demo_end_date', UTCDateTime(), nullable=True),
    sa.Column('demo_features', sa.Text(), nullable=True),
    sa.Column('demo_notes', sa.Text(), nullable=True),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_type'), ['type'], unique=False)

    op.create_table('roles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('name', name=op.f('uq_roles_name')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('hashed_password', sa.String(length=255), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('is_admin', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('require_2fa', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_login', UTCDateTime(), nullable=True),
    sa.Column('is_suspended', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('suspended_at', UTCDateTime(), nullable=True),
    sa.Column('suspended_by', sa.Integer(), nullable=True),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_users_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_users_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_is_admin'), ['is_admin'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_is_suspended'), ['is_suspended'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_require_2fa'), ['require_2fa'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_filename', sa.String(length=255), nullable=False),
    sa.Column('file_path', sa.String(length=500), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('upload_status', sa.String(length=20), server_default='completed', nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_attachments_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_filename', name=op.f('uq_attachments_stored_filename')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_uploaded_by'), ['uploaded_by'], unique=False)

    op.create_table('audit_logs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('old_values', sa.Text(), nullable=True),
    sa.Column('new_values', sa.Text(), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.Column('session_id', sa.String(length=255), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('metadata', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_audit_logs_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_logs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_logs')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('audit_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_logs_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_logs_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_audit_logs_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_logs_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_logs_user_id'), ['user_id'], unique=False)

    op.create_table('calendar_connections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('external_account_id', sa.String(length=255), nullable=False),
    sa.Column('external_account_email', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=True),
    sa.Column('access_token', sa.Text(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=True),
    sa.Column('token_expires_at', UTCDateTime(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('last_sync', UTCDateTime(), nullable=True),
    sa.Column('sync_enabled', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_connections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_connections')),
    sa.UniqueConstraint('user_id', 'provider', 'external_account_id', name=op.f('uq_calendar_connections_user_id_provider_external_account_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('calendar_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_connections_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_connections_provider'), ['provider'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_connections_user_id'), ['user_id'], unique=False)

    op.create_table('exams',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('instructions', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=True),
    sa.Column('difficulty', sa.String(length=20), server_default='medium', nullable=False),
    sa.Column('duration_minutes', sa.Integer(), server_default='60', nullable=False),
    sa.Column('total_questions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('passing_score', sa.Integer(), server_default='70', nullable=False),
    sa.Column('max_attempts', sa.Integer(), server_default='1', nullable=False),
    sa.Column('is_randomized', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('show_results', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('show_correct_answers', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('questions', LongText, nullable=False),
    sa.Column('settings', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_exams_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_exams_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exams')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exams_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_exams_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exams_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_exams_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_exams_title'), ['title'], unique=False)

    op.create_table('mbti_test_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_token', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='in_progress', nullable=False),
    sa.Column('current_question', sa.Integer(), server_default='1', nullable=False),
    sa.Column('answers', sa.Text(), nullable=True),
    sa.Column('e_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('i_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('s_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('n_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('t_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('f_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('j_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('p_score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('result_type', sa.String(length=4), nullable=True),
    sa.Column('started_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('completed_at', UTCDateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_mbti_test_sessions_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mbti_test_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mbti_test_sessions')),
    sa.UniqueConstraint('session_token', name=op.f('uq_mbti_test_sessions_session_token')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('mbti_test_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mbti_test_sessions_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mbti_test_sessions_result_type'), ['result_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_mbti_test_sessions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mbti_test_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('message_type', sa.String(length=20), server_default='direct', nullable=False),
    sa.Column('priority', sa.String(length=10), server_default='normal', nullable=False),
    sa.Column('is_read', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('read_at', UTCDateTime(), nullable=True),
    sa.Column('parent_message_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.String(length=50), nullable=True),
    sa.Column('attachments', sa.Text(), nullable=True),
    sa.Column('metadata', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_messages_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_message_id'], ['messages.id'], name=op.f('fk_messages_parent_message_id_messages')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_messages_recipient_id_users')),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_messages_sender_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_is_read'), ['is_read'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_thread_id'), ['thread_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=True),
    sa.Column('is_read', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('read_at', UTCDateTime(), nullable=True),
    sa.Column('priority', sa.String(length=10), server_default='normal', nullable=False),
    sa.Column('category', sa.String(length=50), nullable=True),
    sa.Column('action_url', sa.String(length=500), nullable=True),
    sa.Column('expires_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_category'), ['category'], unique=False)
        batch_op.create_index('ix_notifications_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_is_read'), ['is_read'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_type'), ['type'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', LongText, nullable=True),
    sa.Column('requirements', LongText, nullable=True),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('employment_type', sa.String(length=50), nullable=True),
    sa.Column('salary_range', sa.String(length=100), nullable=True),
    sa.Column('experience_level', sa.String(length=50), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('posted_date', sa.Date(), nullable=True),
    sa.Column('application_deadline', sa.Date(), nullable=True),
    sa.Column('is_remote', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('benefits', sa.Text(), nullable=True),
    sa.Column('skills_required', sa.Text(), nullable=True),
    sa.Column('skills_preferred', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_positions_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_positions_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_title'), ['title'], unique=False)

    op.create_table('refresh_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=255), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refresh_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_tokens')),
    sa.UniqueConstraint('token', name=op.f('uq_refresh_tokens_token')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_tokens_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_refresh_tokens_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_refresh_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('resumes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('visibility', sa.String(length=20), server_default='private', nullable=False),
    sa.Column('content', LongText, nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('skills', sa.Text(), nullable=True),
    sa.Column('languages', sa.Text(), nullable=True),
    sa.Column('certifications', sa.Text(), nullable=True),
    sa.Column('education', sa.Text(), nullable=True),
    sa.Column('experience', sa.Text(), nullable=True),
    sa.Column('projects', sa.Text(), nullable=True),
    sa.Column('references', sa.Text(), nullable=True),
    sa.Column('is_public', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('public_slug', sa.String(length=100), nullable=True),
    sa.Column('download_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('view_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_resumes_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resumes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resumes')),
    sa.UniqueConstraint('public_slug', name=op.f('uq_resumes_public_slug')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('resumes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resumes_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resumes_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_resumes_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_resumes_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_resumes_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resumes_visibility'), ['visibility'], unique=False)

    op.create_table('todos',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('priority', sa.String(length=10), server_default='medium', nullable=False),
    sa.Column('due_date', UTCDateTime(), nullable=True),
    sa.Column('assigned_user_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('completed_at', UTCDateTime(), nullable=True),
    sa.Column('completed_by', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.Column('estimated_hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('actual_hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('visibility', sa.String(length=20), server_default='private', nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_user_id'], ['users.id'], name=op.f('fk_todos_assigned_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_todos_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['completed_by'], ['users.id'], name=op.f('fk_todos_completed_by_users')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_todos_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_todos')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('todos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_todos_assigned_user_id'), ['assigned_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_priority'), ['priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_todos_title'), ['title'], unique=False)

    op.create_table('two_factor_codes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('is_used', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('used_at', UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_codes')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('two_factor_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_two_factor_codes_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_two_factor_codes_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_two_factor_codes_is_used'), ['is_used'], unique=False)
        batch_op.create_index(batch_op.f('ix_two_factor_codes_user_id'), ['user_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_user_roles_assigned_by_users')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_user_roles_role_id_roles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'role_id', name=op.f('uq_user_roles_user_id_role_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('user_settings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('setting_key', sa.String(length=100), nullable=False),
    sa.Column('setting_value', sa.Text(), nullable=True),
    sa.Column('data_type', sa.String(length=20), server_default='string', nullable=False),
    sa.Column('is_encrypted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_settings')),
    sa.UniqueConstraint('user_id', 'setting_key', name=op.f('uq_user_settings_user_id_setting_key')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('user_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_settings_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_settings_setting_key'), ['setting_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_settings_user_id'), ['user_id'], unique=False)

    op.create_table('video_calls',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('room_code', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='scheduled', nullable=False),
    sa.Column('scheduled_start', UTCDateTime(), nullable=False),
    sa.Column('scheduled_end', UTCDateTime(), nullable=False),
    sa.Column('actual_start', UTCDateTime(), nullable=True),
    sa.Column('actual_end', UTCDateTime(), nullable=True),
    sa.Column('max_participants', sa.Integer(), server_default='10', nullable=False),
    sa.Column('recording_enabled', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('password_required', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('room_password', sa.String(length=100), nullable=True),
    sa.Column('waiting_room', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('settings', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_video_calls_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_video_calls_host_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_calls')),
    sa.UniqueConstraint('room_code', name=op.f('uq_video_calls_room_code')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('video_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_calls_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_calls_host_id'), ['host_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_calls_scheduled_start'), ['scheduled_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_calls_status'), ['status'], unique=False)

    op.create_table('calendar_integrations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('external_event_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('start_datetime', UTCDateTime(), nullable=False),
    sa.Column('end_datetime', UTCDateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=50), nullable=True),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('is_all_day', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='confirmed', nullable=False),
    sa.Column('organizer_email', sa.String(length=255), nullable=True),
    sa.Column('attendees', sa.Text(), nullable=True),
    sa.Column('meeting_url', sa.String(length=500), nullable=True),
    sa.Column('is_recurring', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('recurrence_rule', sa.Text(), nullable=True),
    sa.Column('sync_status', sa.String(length=20), server_default='synced', nullable=False),
    sa.Column('last_modified', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['calendar_connections.id'], name=op.f('fk_calendar_integrations_connection_id_calendar_connections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_integrations')),
    sa.UniqueConstraint('connection_id', 'external_event_id', name=op.f('uq_calendar_integrations_connection_id_external_event_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('calendar_integrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_integrations_connection_id'), ['connection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_integrations_end_datetime'), ['end_datetime'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_integrations_start_datetime'), ['start_datetime'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_integrations_sync_status'), ['sync_status'], unique=False)

    op.create_table('exam_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('session_token', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='not_started', nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('submitted_at', UTCDateTime(), nullable=True),
    sa.Column('time_remaining', sa.Integer(), nullable=True),
    sa.Column('current_question', sa.Integer(), server_default='0', nullable=False),
    sa.Column('answers', LongText, nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.Column('browser_info', sa.Text(), nullable=True),
    sa.Column('attempt_number', sa.Integer(), server_default='1', nullable=False),
    sa.Column('proctoring_enabled', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('proctoring_data', sa.Text(), nullable=True),
    sa.Column('violations', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_exam_sessions_candidate_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_exam_sessions_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_sessions_exam_id_exams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_sessions')),
    sa.UniqueConstraint('session_token', name=op.f('uq_exam_sessions_session_token')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('exam_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_sessions_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_sessions_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_sessions_exam_id'), ['exam_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_sessions_status'), ['status'], unique=False)

    op.create_table('interviews',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('recruiter_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('scheduled_start', UTCDateTime(), nullable=True),
    sa.Column('scheduled_end', UTCDateTime(), nullable=True),
    sa.Column('actual_start', UTCDateTime(), nullable=True),
    sa.Column('actual_end', UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='pending_schedule', nullable=False),
    sa.Column('interview_type', sa.String(length=20), server_default='online', nullable=False),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('meeting_url', sa.String(length=500), nullable=True),
    sa.Column('timezone', sa.String(length=50), server_default='Asia/Tokyo', nullable=True),
    sa.Column('duration_minutes', sa.Integer(), server_default='60', nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_interviews_candidate_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interviews_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_interviews_created_by_users')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_interviews_position_id_positions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['users.id'], name=op.f('fk_interviews_recruiter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_recruiter_id'), ['recruiter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_scheduled_start'), ['scheduled_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_status'), ['status'], unique=False)

    op.create_table('todo_attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('todo_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_filename', sa.String(length=255), nullable=False),
    sa.Column('file_path', sa.String(length=500), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['todo_id'], ['todos.id'], name=op.f('fk_todo_attachments_todo_id_todos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_todo_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_todo_attachments')),
    sa.UniqueConstraint('stored_filename', name=op.f('uq_todo_attachments_stored_filename')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('todo_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_todo_attachments_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_todo_attachments_todo_id'), ['todo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_todo_attachments_uploaded_by'), ['uploaded_by'], unique=False)

    op.create_table('todo_extension_requests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('todo_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('original_due_date', UTCDateTime(), nullable=True),
    sa.Column('requested_due_date', UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', UTCDateTime(), nullable=True),
    sa.Column('review_notes', sa.Text(), nullable=True),
    sa.Column('approved_due_date', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_todo_extension_requests_requested_by_users')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_todo_extension_requests_reviewed_by_users')),
    sa.ForeignKeyConstraint(['todo_id'], ['todos.id'], name=op.f('fk_todo_extension_requests_todo_id_todos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_todo_extension_requests')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('todo_extension_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_todo_extension_requests_requested_by'), ['requested_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_todo_extension_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_todo_extension_requests_todo_id'), ['todo_id'], unique=False)

    op.create_table('todo_viewers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('todo_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('permission', sa.String(length=20), server_default='read', nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=False),
    sa.Column('added_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['users.id'], name=op.f('fk_todo_viewers_added_by_users')),
    sa.ForeignKeyConstraint(['todo_id'], ['todos.id'], name=op.f('fk_todo_viewers_todo_id_todos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_todo_viewers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_todo_viewers')),
    sa.UniqueConstraint('todo_id', 'user_id', name=op.f('uq_todo_viewers_todo_id_user_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('video_call_participants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('video_call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), server_default='participant', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='invited', nullable=False),
    sa.Column('joined_at', UTCDateTime(), nullable=True),
    sa.Column('left_at', UTCDateTime(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('is_muted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('is_video_enabled', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('connection_quality', sa.String(length=20), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_video_call_participants_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['video_call_id'], ['video_calls.id'], name=op.f('fk_video_call_participants_video_call_id_video_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_call_participants')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('video_call_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_call_participants_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_call_participants_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_call_participants_video_call_id'), ['video_call_id'], unique=False)

    op.create_table('interview_notes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=20), server_default='private', nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_interview_notes_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interview_notes_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_notes_interview_id_interviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_notes')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('interview_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_notes_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_notes_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_notes_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_notes_is_deleted'), ['is_deleted'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('meeting_type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='scheduled', nullable=False),
    sa.Column('scheduled_start', UTCDateTime(), nullable=False),
    sa.Column('scheduled_end', UTCDateTime(), nullable=False),
    sa.Column('actual_start', UTCDateTime(), nullable=True),
    sa.Column('actual_end', UTCDateTime(), nullable=True),
    sa.Column('room_id', sa.String(length=255), nullable=False),
    sa.Column('access_code', sa.String(length=50), nullable=True),
    sa.Column('recording_enabled', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('recording_status', sa.String(length=20), server_default='not_started', nullable=False),
    sa.Column('recording_consent_required', sa.Boolean(), server_default=sa.text('1'), nullable=False),
    sa.Column('transcription_enabled', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('auto_summary', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_meetings_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_meetings_created_by_users')),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_meetings_interview_id_interviews'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('room_id', name=op.f('uq_meetings_room_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_scheduled_start'), ['scheduled_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_status'), ['status'], unique=False)

    op.create_table('meeting_participants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='invited', nullable=False),
    sa.Column('joined_at', UTCDateTime(), nullable=True),
    sa.Column('left_at', UTCDateTime(), nullable=True),
    sa.Column('can_record', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('recording_consent', sa.Boolean(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_participants_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_participants')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_meeting_participants_meeting_id_user_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('meeting_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_participants_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_participants_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_recordings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('file_path', sa.String(length=500), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('mime_type', sa.String(length=100), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_meeting_recordings_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_recordings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_meeting_recordings_started_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_recordings')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('meeting_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_recordings_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_recordings_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_recordings_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_recordings_status'), ['status'], unique=False)

    op.create_table('meeting_transcripts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), server_default='ja', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('content', LongText, nullable=True),
    sa.Column('segments', LongText, nullable=True),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_meeting_transcripts_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_transcripts_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recording_id'], ['meeting_recordings.id'], name=op.f('fk_meeting_transcripts_recording_id_meeting_recordings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_transcripts')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('meeting_transcripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_transcripts_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_transcripts_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_transcripts_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_transcripts_recording_id'), ['recording_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_transcripts_status'), ['status'], unique=False)

    op.create_table('meeting_summaries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('key_points', sa.Text(), nullable=True),
    sa.Column('action_items', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now_on_update(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_meeting_summaries_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_meeting_summaries_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_summaries_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transcript_id'], ['meeting_transcripts.id'], name=op.f('fk_meeting_summaries_transcript_id_meeting_transcripts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_summaries')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('meeting_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_summaries_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_summaries_is_deleted'), ['is_deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_summaries_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_summaries_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_summaries_transcript_id'), ['transcript_id'], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
