"""Access JWTs, opaque refresh tokens and single-purpose signed links.

- Access token: HS256 JWT of about 15 minutes naming the user (`sub`) and the session
  (`sid`, the refresh-token family). The principal is re-read from the database on every
  request, so a suspended user or a revoked session stops working at once.
- Refresh token: `<family>.<secret>`; only `<family>.<sha256(secret)>` is stored, in
  `refresh_tokens.token`, so the family of a presented token is known without a column the
  schema does not have, and a leaked database row cannot be replayed.
- Purpose tokens (2FA challenge, activation, password reset) are JWTs bound to a purpose and
  to a fingerprint of the state they change, which makes each link single-use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from server.errors import Unauthorized
from server.settings import Settings

ALGORITHM = "HS256"
FAMILY_BYTES = 12


class TokenError(Unauthorized):
    code = "invalid_token"
    detail = "The token is invalid or has expired."


class RefreshSecret:
    """A refresh token as given to the client and as stored."""

    def __init__(self, family: str, secret: str) -> None:
        self.family = family
        self.secret = secret

    @classmethod
    def issue(cls, family: str | None = None) -> RefreshSecret:
        return cls(family or secrets.token_hex(FAMILY_BYTES), secrets.token_urlsafe(32))

    @classmethod
    def parse(cls, presented: str) -> RefreshSecret:
        family, sep, secret = presented.partition(".")
        if not sep or len(family) != FAMILY_BYTES * 2 or not secret or len(presented) > 200:
            raise TokenError()
        return cls(family, secret)

    @property
    def client_value(self) -> str:
        return f"{self.family}.{self.secret}"

    @property
    def stored_value(self) -> str:
        return f"{self.family}.{hashlib.sha256(self.secret.encode()).hexdigest()}"


class TokenSigner:
    def __init__(self, settings: Settings) -> None:
        self._key = settings.secret_key
        self.access_ttl = timedelta(minutes=settings.access_token_minutes)

    def _encode(self, claims: dict[str, Any], ttl: timedelta) -> str:
        now = datetime.now(UTC)
        return jwt.encode({**claims, "iat": now, "exp": now + ttl}, self._key, algorithm=ALGORITHM)

    def _decode(self, token: str, typ: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self._key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ"]}
            )
        except jwt.PyJWTError as exc:
            raise TokenError() from exc
        if claims.get("typ") != typ:
            raise TokenError()
        return claims

    def access_token(self, user_id: int, session_id: str) -> str:
        return self._encode({"sub": str(user_id), "sid": session_id, "typ": "access"}, self.access_ttl)

    def read_access_token(self, token: str) -> tuple[int, str]:
        claims = self._decode(token, "access")
        try:
            return int(claims["sub"]), str(claims["sid"])
        except (KeyError, ValueError) as exc:
            raise TokenError() from exc

    def purpose_token(self, purpose: str, user_id: int, fingerprint: str, ttl: timedelta) -> str:
        return self._encode({"sub": str(user_id), "typ": purpose, "fp": fingerprint}, ttl)

    def read_purpose_token(self, token: str, purpose: str) -> tuple[int, str]:
        claims = self._decode(token, purpose)
        try:
            return int(claims["sub"]), str(claims.get("fp", ""))
        except ValueError as exc:
            raise TokenError() from exc

    def fingerprint(self, *parts: object) -> str:
        """A short MAC of the state a purpose token may change; it stops matching once changed."""
        message = "|".join(str(p) for p in parts).encode()
        return hmac.new(self._key.encode(), message, hashlib.sha256).hexdigest()[:32]
