"""Day-to-day work: todos with viewers, files and an extension request; files attached to records.

File rows describe small documents (size and sha256 of a stand-in content) under `demo/`; the
seed writes no file to storage, so a download of one answers as a missing file would.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, Todo, TodoAttachment, TodoExtensionRequest, TodoViewer
from models.enums import (
    ExtensionStatus,
    TodoPriority,
    TodoStatus,
    TodoVisibility,
    UploadStatus,
    ViewerPermission,
)
from server.demo.common import Demo, stored_name

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def add_todos(session: AsyncSession, demo: Demo) -> None:
    """Two agency todos (one for the candidate, who asks for more time) and a done one at the employer."""
    agency_admin, recruiter, candidate = demo.agency_admin, demo.recruiter, demo.candidate
    letter = Todo(
        title="高橋さんの推薦文を作成する",
        description="カジュアル面談の内容を踏まえ、Sakura Robotics 様向けの推薦文を作成。",
        status=TodoStatus.IN_PROGRESS,
        priority=TodoPriority.HIGH,
        due_date=demo.at(2, 18),
        assigned_user_id=recruiter.id,
        created_by=agency_admin.id,
        category="recruiting",
        tags=["推薦", "Sakura Robotics"],
        estimated_hours=Decimal("2.00"),
        visibility=TodoVisibility.VIEWERS,
        company_id=demo.agency.id,
    )
    resume = Todo(
        title="職務経歴書の最新版を提出する",
        description="テンプレートに沿って直近3年のプロジェクトを追記してください。",
        status=TodoStatus.PENDING,
        priority=TodoPriority.MEDIUM,
        due_date=demo.at(5, 23, 59),
        assigned_user_id=candidate.id,
        created_by=recruiter.id,
        category="documents",
        tags=["書類"],
        visibility=TodoVisibility.VIEWERS,
        company_id=demo.agency.id,
    )
    scoring = Todo(
        title="カジュアル面談の評価シートを記入する",
        status=TodoStatus.COMPLETED,
        priority=TodoPriority.MEDIUM,
        due_date=demo.at(-5, 18),
        assigned_user_id=demo.employer_user.id,
        created_by=demo.employer_admin.id,
        completed_at=demo.at(-6, 17, 30),
        completed_by=demo.employer_user.id,
        category="interview",
        tags=["評価"],
        estimated_hours=Decimal("1.00"),
        actual_hours=Decimal("0.75"),
        visibility=TodoVisibility.COMPANY,
        company_id=demo.employer.id,
    )
    session.add_all([letter, resume, scoring])
    await session.flush()

    template = "職務経歴書テンプレート".encode()
    template_name = stored_name("docx")
    session.add_all(
        [
            TodoViewer(
                todo_id=letter.id,
                user_id=recruiter.id,
                permission=ViewerPermission.EDIT,
                added_by=agency_admin.id,
            ),
            TodoViewer(
                todo_id=resume.id,
                user_id=agency_admin.id,
                permission=ViewerPermission.READ,
                added_by=recruiter.id,
            ),
            TodoAttachment(
                todo_id=resume.id,
                filename="職務経歴書テンプレート.docx",
                stored_filename=template_name,
                file_path=f"demo/todos/{template_name}",
                file_size=len(template),
                mime_type=DOCX,
                description="記入例つきのテンプレート",
                uploaded_by=recruiter.id,
            ),
            TodoExtensionRequest(
                todo_id=resume.id,
                requested_by=candidate.id,
                original_due_date=resume.due_date,
                requested_due_date=demo.at(9, 23, 59),
                reason="現職の繁忙期のため、提出を週末まで延長させていただけますでしょうか。",
                status=ExtensionStatus.PENDING,
            ),
        ]
    )
    await session.flush()


async def add_attachments(session: AsyncSession, demo: Demo) -> None:
    """The employer's job description on its first position and the candidate's CV at the agency."""
    job_description = "募集要項：ロボットソフトウェアエンジニア".encode()
    cv = "履歴書：高橋 陽菜".encode()
    session.add_all(
        [
            _attachment(
                entity_type="position",
                entity_id=demo.positions[0].id,
                filename="募集要項_ロボットソフトウェアエンジニア.pdf",
                content=job_description,
                description="募集要項（2ページ）",
                uploaded_by=demo.employer_admin.id,
                company_id=demo.employer.id,
            ),
            _attachment(
                entity_type="user",
                entity_id=demo.candidate.id,
                filename="履歴書_高橋陽菜.pdf",
                content=cv,
                description="JIS 規格の履歴書",
                uploaded_by=demo.candidate.id,
                company_id=demo.agency.id,
            ),
        ]
    )
    await session.flush()


def _attachment(
    *,
    entity_type: str,
    entity_id: int,
    filename: str,
    content: bytes,
    description: str,
    uploaded_by: int,
    company_id: int,
) -> Attachment:
    stored = stored_name(filename.rsplit(".", 1)[-1])
    return Attachment(
        entity_type=entity_type,
        entity_id=entity_id,
        filename=filename,
        stored_filename=stored,
        file_path=f"demo/attachments/{stored}",
        file_size=len(content),
        mime_type=PDF,
        file_hash=hashlib.sha256(content).hexdigest(),
        description=description,
        upload_status=UploadStatus.COMPLETED,
        uploaded_by=uploaded_by,
        company_id=company_id,
    )
