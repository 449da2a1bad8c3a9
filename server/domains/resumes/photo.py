"""A resume's photo: one image attachment of the resume, named by `Profile.photo_attachment_id`.

Uploads go through the files mechanism (streamed intake, size cap, content sniffing, storage
under the resume's company): an attachment with entity_type `resume` and entity_id the resume.
Only JPEG and PNG, judged from the bytes, are photos; anything else is 415
`unsupported_media_type`. A new photo soft-deletes the previous one. Who may do what is the
resume's rule (`access`): seeing the resume lets one fetch the photo, changing it lets one put
or delete it.
"""

from __future__ import annotations

import anyio
import msgspec

from models import Attachment, Resume
from models.enums import UploadStatus
from server.domains.files.intake import FILE_FIELD, UploadBody
from server.domains.files.services import Download, FileKeeper
from server.domains.files.sniffing import JPEG, PNG, sniff
from server.domains.resumes import access
from server.domains.resumes.documents_source import PHOTO_ENTITY, photo_attachment
from server.domains.resumes.schemas import ResumeOut, read_profile, stored
from server.domains.resumes.services import resume_out
from server.errors import FieldError, InvalidInput, NotFound, UnsupportedMediaType
from server.settings import Settings

PHOTO_TYPES = frozenset({JPEG, PNG})
PHOTO_DESCRIPTION = "resume photo"


def no_photo(resume_id: int) -> NotFound:
    return NotFound(f"Resume {resume_id} has no photo.")


class PhotoService:
    def __init__(self, files: FileKeeper, settings: Settings) -> None:
        self.files = files
        self.db = files.db
        self.principal = files.principal
        self.settings = settings

    async def put(self, resume_id: int, body: UploadBody) -> ResumeOut:
        resume = await access.load(self.db, self.principal, resume_id, write=True)
        async with self.files.receive(body) as form:
            staged = form.file
            if staged is None:
                raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="a file is required")])
            if staged.size == 0:
                raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="the file is empty")])
            mime = await anyio.to_thread.run_sync(sniff, staged.path, staged.head, staged.client_name)
            if mime not in PHOTO_TYPES:
                raise UnsupportedMediaType("A photo is a JPEG or PNG image.")
            kept = await self.files.keep(form, resume.company_id)
        previous = await photo_attachment(self.db, resume)
        if previous is not None:
            previous.mark_deleted(self.principal.user_id)
        row = Attachment(
            entity_type=PHOTO_ENTITY,
            entity_id=resume.id,
            filename=kept.filename,
            stored_filename=kept.stored_filename,
            file_path=kept.file_path,
            file_size=kept.file_size,
            mime_type=kept.mime_type,
            file_hash=kept.file_hash,
            description=PHOTO_DESCRIPTION,
            upload_status=UploadStatus.COMPLETED,
            uploaded_by=self.principal.user_id,
            company_id=resume.company_id,
        )
        self.db.add(row)
        await self.db.flush()
        self._name_photo(resume, row.id)
        return await self._out(resume)

    async def get(self, resume_id: int) -> Download:
        resume = await access.load(self.db, self.principal, resume_id)
        attachment = await photo_attachment(self.db, resume)
        if attachment is None:
            raise no_photo(resume_id)
        return await self.files.download(attachment.file_path, attachment.filename, attachment.mime_type)

    async def delete(self, resume_id: int) -> None:
        resume = await access.load(self.db, self.principal, resume_id, write=True)
        attachment = await photo_attachment(self.db, resume)
        if attachment is None:
            raise no_photo(resume_id)
        attachment.mark_deleted(self.principal.user_id)
        self._name_photo(resume, None)
        await self.db.flush()

    @staticmethod
    def _name_photo(resume: Resume, attachment_id: int | None) -> None:
        profile = read_profile(resume.content)
        resume.content = stored(msgspec.structs.replace(profile, photo_attachment_id=attachment_id))

    async def _out(self, resume: Resume) -> ResumeOut:
        await self.db.flush()
        await self.db.refresh(resume)
        return resume_out(resume, self.settings)
