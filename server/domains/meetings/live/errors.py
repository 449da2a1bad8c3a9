"""What a room event can be refused with, besides the shared 403/404/409 errors."""

from __future__ import annotations

from server.errors import AppError


class NotInRoom(AppError):
    status = 409
    code = "not_in_room"
    detail = "Join a room first."


class UnknownParticipant(AppError):
    status = 404
    code = "participant_not_found"
    detail = "No such participant in this room."
