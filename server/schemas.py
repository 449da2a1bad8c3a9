"""Types every domain's schemas share: validated strings, list pages and list parameters."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import msgspec

from server.errors import _NAMED_FIELD, FieldError, InvalidInput

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=256)]
ONE_LINE = r"^(?![\s\S]*[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069])[\s\S]*\S"
"""Text shown as a label (a name, a title): something visible, and no C0 or C1 control
character (NUL, newlines, escapes) nor bidirectional override or isolate, which would make
the text around it read differently from what it is (U+202E then `gpj.exe` shows as
`exe.jpg`). Written for both Python and ECMAScript regexes (OpenAPI clients use it too)."""
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
"""A person's first or last name."""
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=ONE_LINE)]
"""The title or name of a thing: an interview, a position, a meeting, a todo, a company."""
MAX_ID = 2**31 - 1
"""Ids are signed 32-bit INTEGER columns; a larger number names no row."""
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True)]
"""A timestamp with its offset; a naive one is refused, never guessed."""

T = TypeVar("T")
_AT_PATH = re.compile(r"- at `\$\.([^`]*)`")
S = TypeVar("S", bound=msgspec.Struct)


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list: `{"items": [...], "total": n}` as the contract says."""

    items: list[T]
    total: int


def apply(entity: Any, changes: msgspec.Struct) -> None:
    """Copy the fields a PATCH body sets onto the entity; UNSET fields stay untouched."""
    for field in changes.__struct_fields__:
        value = getattr(changes, field)
        if value is not msgspec.UNSET:
            setattr(entity, field, value)


def parse(struct_type: type[S], /, **values: Any) -> S:
    """Validate values gathered by a controller (or a socket event) as one struct; a mismatch is a
    422 naming the field, as the REST body errors do."""
    try:
        return msgspec.convert(values, struct_type)
    except msgspec.ValidationError as exc:
        match = _AT_PATH.search(str(exc))
        field = match.group(1) if match else ""
        named = _NAMED_FIELD.search(str(exc))  # a missing or unknown field is named in the message only
        if named:
            field = f"{field}.{named.group('name')}" if field else named.group("name")
        message = str(exc).split(" - at ", 1)[0]
        raise InvalidInput(errors=[FieldError(field=field, message=message)]) from None
