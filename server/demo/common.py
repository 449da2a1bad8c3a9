"""What every demo step shares: the accounts created first and the clock the sample rows hang on."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import msgspec

from models import Company, Interview, Position, User
from server.settings import Settings

DOMAIN = "demo.miraiworks.jp"
"""Every demo email ends with this domain, so demo accounts are easy to spot (and to purge)."""

TOKYO_TZ = "Asia/Tokyo"
# Japan has kept UTC+9 without daylight saving since 1951: a fixed offset is exact and needs no tzdata.
JST = timezone(timedelta(hours=9), "JST")


class DemoAccount(msgspec.Struct, frozen=True):
    """One demo login, as `miraiworks seed-demo` prints it."""

    email: str
    role: str
    company: str


@dataclass
class Demo:
    """The state the steps build up, in order: accounts first, then the sample rows that use them."""

    settings: Settings
    password: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    created: bool = False
    """True when this run created the demo companies: the sample rows are added only then."""
    accounts: list[DemoAccount] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    # Set by the accounts step, which always runs first.
    agency: Company = field(init=False)
    employer: Company = field(init=False)
    admin: User = field(init=False)
    agency_admin: User = field(init=False)
    recruiter: User = field(init=False)
    candidate: User = field(init=False)
    employer_admin: User = field(init=False)
    employer_user: User = field(init=False)

    @property
    def today(self) -> date:
        """Today in Tokyo, where the demo companies are."""
        return self.now.astimezone(JST).date()

    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        """`hour:minute` Tokyo time, `days` from today, as the aware UTC datetime the columns store."""
        day = self.today + timedelta(days=days)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST).astimezone(UTC)


def full_name(user: User) -> str:
    """Japanese order: family name first."""
    return f"{user.last_name} {user.first_name}"


def unusable_token() -> str:
    """The sha256 hex of random bytes: shaped like a stored token digest, matching no token ever issued."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def stored_name(extension: str) -> str:
    """A unique stored filename, as the upload code would choose (never the client's name)."""
    return f"{secrets.token_hex(16)}.{extension}"
