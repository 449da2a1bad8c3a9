"""Mailed single-use links: account activation and password reset.

A link carries a signed fingerprint of the state it changes (password hash, active flag),
so it stops working the moment it has been used, without a table of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from models import User
from server.auth.tokens import TokenSigner
from server.settings import Settings

LinkState = Callable[[User], tuple[object, ...]]

ACTIVATION_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=1)


def activation_state(user: User) -> tuple[object, ...]:
    """Stops matching once the user has a password and is active."""
    return ("activate", user.id, user.hashed_password, user.is_active)


def reset_state(user: User) -> tuple[object, ...]:
    """Stops matching once the password hash changes."""
    return ("reset", user.id, user.hashed_password)


def _link(
    signer: TokenSigner,
    settings: Settings,
    path: str,
    purpose: str,
    user: User,
    state: LinkState,
    ttl: timedelta,
) -> str:
    token = signer.purpose_token(purpose, user.id, signer.fingerprint(*state(user)), ttl)
    return f"{settings.public_base_url}/{path}?token={token}"


def activation_link(signer: TokenSigner, settings: Settings, user: User) -> str:
    return _link(signer, settings, "activate", "activate", user, activation_state, ACTIVATION_TTL)


def reset_link(signer: TokenSigner, settings: Settings, user: User) -> str:
    return _link(signer, settings, "reset-password", "reset", user, reset_state, RESET_TTL)
