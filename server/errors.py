"""Every error answers in one JSON shape: {status, code, detail, errors: [{field, message}]}.

Services raise `AppError` subclasses; framework errors (routing, body validation, size
limits) and database integrity errors are mapped here, so no 4xx ever has another shape
and bad input never surfaces as a 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import IntegrityError

from server.failures import contention, outage
from server.retry import mark_retryable

log = logging.getLogger(__name__)


class FieldError(msgspec.Struct):
    field: str
    message: str


class ErrorBody(msgspec.Struct):
    status: int
    code: str
    detail: str
    errors: list[FieldError] = msgspec.field(default_factory=list)


class AppError(Exception):
    status = 400
    code = "bad_request"
    detail = "The request is not valid."

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        keep_changes: bool = False,
    ) -> None:
        self.detail = detail or type(self).detail
        self.code = code or type(self).code
        self.errors = errors or []
        self.headers = headers or {}
        # A refusal that must still be recorded (a failed 2FA attempt, a revoked token chain)
        # commits the transaction instead of rolling it back.
        self.keep_changes = keep_changes
        super().__init__(self.detail)


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    detail = "Authentication is required."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    detail = "You are not allowed to do this."


class NotFound(AppError):
    status = 404
    code = "not_found"
    detail = "Not found."


class Conflict(AppError):
    status = 409
    code = "conflict"
    detail = "The request conflicts with the current state."


class InvalidInput(AppError):
    status = 422
    code = "validation_error"
    detail = "The request is not valid."


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    detail = "The request is larger than allowed."


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"
    detail = "This type of content is not accepted."


class TooManyRequests(AppError):
    status = 429
    code = "rate_limited"
    detail = "Too many requests; try again later."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = retry_after


class ServiceUnavailable(AppError):
    status = 503
    code = "unavailable"
    detail = "The service is not ready."


BUSY_RETRY_AFTER_SECONDS = 1
OUTAGE_RETRY_AFTER_SECONDS = 5


class Busy(AppError):
    """Contention that outlasted its retries (`server.retry`)."""

    status = 503
    code = "busy"
    detail = "Other changes to the same records kept this one waiting; try again."

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)})


class Unreachable(AppError):
    """The database or Redis cannot be reached (`server.failures.outage`)."""

    status = 503
    code = "service_unavailable"

    NAMES = {"database": "The database", "redis": "Redis"}

    def __init__(self, dependency: str) -> None:
        super().__init__(
            f"{self.NAMES.get(dependency, dependency)} is unreachable; try again shortly.",
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        )
        self.dependency = dependency


def transient(exc: BaseException) -> AppError | None:
    """`Busy` or `Unreachable` for a failure that is neither the caller's fault nor a bug."""
    if contention(exc):
        return Busy()
    down = outage(exc)
    return Unreachable(down) if down is not None else None


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def error_response(body: ErrorBody, headers: dict[str, str] | None = None) -> Response[ErrorBody]:
    return Response(body, status_code=body.status, media_type=MediaType.JSON, headers=headers)


def _field_errors(extra: Any) -> list[FieldError]:
    if not isinstance(extra, list):
        return []
    errors = []
    for item in extra:
        if isinstance(item, dict):
            errors.append(FieldError(field=str(item.get("key") or ""), message=str(item.get("message", ""))))
    return errors


_AT_PATH = re.compile(r"- at `\$\.?(?P<path>[^`]*)`")
_NAMED_FIELD = re.compile(r"(?:missing required|contains unknown) field `(?P<name>[^`]+)`")
_MISSING_PARAMETER = re.compile(r"Missing required \w+ parameter '(?P<name>[^']+)'")
_WHOLE_BODY = ("", "data")
"""How Litestar names the body itself; the field at fault is then in the message."""


def _validation_response(exc: ValidationException) -> Response[ErrorBody]:
    """A well-formed request with missing, unknown or wrongly typed fields is a 422."""
    errors = _field_errors(exc.extra)
    for error in errors:
        if error.field not in _WHOLE_BODY:
            continue
        at = _AT_PATH.search(error.message)
        named = _NAMED_FIELD.search(error.message)
        path = at.group("path") if at else ""
        if named:
            path = f"{path}.{named.group('name')}" if path else named.group("name")
        if path:
            error.field = path
    missing = _MISSING_PARAMETER.search(str(exc.detail))
    if not errors and missing:
        errors = [FieldError(field=missing.group("name"), message="is required")]
    return error_response(ErrorBody(422, "validation_error", "The request is not valid.", errors))


def _overflow(exc: BaseException) -> bool:
    """A number too large for the database (an id of 10**20): bad input, never a crash."""
    return isinstance(exc, OverflowError) or isinstance(getattr(exc, "orig", None), OverflowError)


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    if isinstance(exc, AppError):
        return error_response(ErrorBody(exc.status, exc.code, exc.detail, exc.errors), exc.headers)
    if isinstance(exc, ValidationException):
        return _validation_response(exc)
    if isinstance(exc, RecursionError) or isinstance(exc.__cause__, RecursionError):
        return error_response(ErrorBody(400, "malformed_json", "The request body is nested too deeply."))
    if _overflow(exc) or _overflow(exc.__cause__ or exc):
        return error_response(ErrorBody(422, "validation_error", "A number in the request is out of range."))
    if isinstance(exc, HTTPException) and isinstance(exc.__cause__, SerializationException):
        return error_response(
            ErrorBody(400, "malformed_json", f"The request body is not valid JSON: {exc.detail}.")
        )
    if isinstance(exc, HTTPException):
        status = exc.status_code
        return error_response(
            ErrorBody(status, _CODES.get(status, "error"), str(exc.detail)), dict(exc.headers or {})
        )
    if (passing := transient(exc)) is not None:
        if isinstance(passing, Busy):
            mark_retryable(request.scope)
        else:
            log.warning("%s %s: %s (%s)", request.method, request.url.path, passing.detail, exc)
        return error_response(ErrorBody(passing.status, passing.code, passing.detail), passing.headers)
    if isinstance(exc, IntegrityError):
        log.info("integrity error mapped to 409: %s", exc.orig)
        return error_response(ErrorBody(409, "conflict", "This conflicts with an existing record."))
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(
        ErrorBody(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred.")
    )
