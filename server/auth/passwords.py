"""Argon2id password hashing with the cost taken from settings (cheap in tests)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.settings import Settings

# Verifying against this keeps a login for an unknown email as slow as one for a known email.
_DUMMY_PASSWORD = "miraiworks-timing-equaliser"  # noqa: S105 - not a credential


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = _hasher(settings.password_time_cost, settings.password_memory_kib)
        self._dummy_hash = self._hasher.hash(_DUMMY_PASSWORD)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, hashed: str | None, password: str) -> bool:
        """Constant-effort check; a NULL hash (SSO-only account) never matches."""
        try:
            return self._hasher.verify(hashed or self._dummy_hash, password) and hashed is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        return self._hasher.check_needs_rehash(hashed)
