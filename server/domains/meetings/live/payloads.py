"""Payloads of the room events (`server.domains.meetings.sockets`), validated before anything runs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from server.schemas import Id

ParticipantId = Id
Sdp = Annotated[str, msgspec.Meta(min_length=1, max_length=32_000)]


class Join(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    room_code: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    password: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class Nothing(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class Target(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    participant_id: ParticipantId


class Description(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    to: ParticipantId
    sdp: Sdp
    type: Literal["offer", "answer"] | None = None


class Candidate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    to: ParticipantId
    candidate: dict[str, Any] | str | None
    """An RTCIceCandidateInit, or null at the end of candidates."""


class MediaUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    muted: bool | msgspec.UnsetType = msgspec.UNSET
    video: bool | msgspec.UnsetType = msgspec.UNSET
    screen: bool | msgspec.UnsetType = msgspec.UNSET
    quality: Literal["excellent", "good", "fair", "poor"] | msgspec.UnsetType = msgspec.UNSET


class Consent(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    granted: bool
